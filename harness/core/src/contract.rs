//! The error contract as a whole, one case per component: `<component>/errors`.
//!
//! Per step, `judge` already checks that each Rust error lands on its contracted exception.
//! This case checks what no single step can: that every contracted class exists, is importable,
//! is an exception, has the declared bases and is declared in the module's stub; and *coverage*:
//! which contract entries no scenario exercises (the Rust side of every scenario is run again
//! to see which error kinds it returns, which is fast and needs no Python), and which error
//! kinds the adapter declares (`Adapter::error_kinds`) that the contract does not mention.

use std::collections::BTreeMap;
use std::ffi::CString;

use pyo3::prelude::*;
use pyo3::types::PyModule;
use pyo3_conformance_model::{ErrorMapping, FALLBACK_ERROR, kind_family};
use pyo3_conformance_model::{Failure, FailureKind, Outcome, ScenarioVerdict};

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::{ComponentFixtures, MANIFEST};
use crate::plan::plan_scenario;
use crate::python::inspect_module;
use crate::runner::run_rust;

const CHECK_PY: &str = r#"
import importlib

def resolve(qualname):
    module, _, name = qualname.rpartition(".")
    try:
        value = importlib.import_module(module or "builtins")
    except ImportError as error:
        return None, f"{qualname} cannot be imported: {error}"
    for part in name.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None, f"{qualname} does not exist"
    if not (isinstance(value, type) and issubclass(value, BaseException)):
        return None, f"{qualname} is not an exception class"
    return value, None

def check(exception, bases):
    cls, problem = resolve(exception)
    if problem:
        return [problem]
    problems = []
    for base in bases:
        base_cls, problem = resolve(base)
        if problem:
            problems.append(f"the contracted base {problem}")
        elif not issubclass(cls, base_cls):
            problems.append(f"{exception} does not derive from the contracted base {base}")
    return problems
"#;

/// The id of a component's error-contract case.
pub fn errors_id(component: &str) -> String {
    format!("{component}/errors")
}

fn failure(message: String) -> Failure {
    Failure::new(FailureKind::Exception, message)
}

/// Every contracted exception class must exist, be an exception, have its declared bases, and
/// (when it lives in the component's module and the module has a stub) be declared in the stub.
fn hierarchy(component: &ComponentFixtures) -> Result<Vec<Failure>> {
    let manifest = &component.manifest;
    Python::attach(|py| {
        let code = CString::new(CHECK_PY).expect("no NUL byte");
        let helper = PyModule::from_code(
            py,
            &code,
            c"pyo3_conformance_contract.py",
            c"pyo3_conformance_contract",
        )
        .map_err(|e| {
            Error::new(ErrorKind::Python(format!(
                "cannot load the contract helper: {e}"
            )))
        })?;
        let stub = inspect_module(py, &manifest.module, None, None)?.stub;
        let mut found = Vec::new();
        for (kind, mapping) in &manifest.errors {
            let problems: Vec<String> = helper
                .getattr("check")
                .and_then(|f| f.call1((mapping.exception.as_str(), mapping.bases.clone())))
                .and_then(|r| r.extract())
                .map_err(|e| {
                    Error::new(ErrorKind::Python(format!(
                        "cannot check {}: {e}",
                        mapping.exception
                    )))
                })?;
            found.extend(
                problems
                    .into_iter()
                    .map(|p| failure(format!("{kind}: {p}"))),
            );
            let local = mapping
                .exception
                .strip_prefix(&format!("{}.", manifest.module));
            if let (Some(name), Some((path, surface))) = (local, &stub) {
                if !surface.members.contains_key(name) {
                    found.push(failure(format!(
                        "{kind}: {} is declared in no stub ({})",
                        mapping.exception,
                        path.display()
                    )));
                }
            }
        }
        Ok(found)
    })
}

/// The verdict on a component's error contract: hierarchy and coverage.
pub fn contract_verdict(
    adapter: &Adapter,
    component: &ComponentFixtures,
) -> Result<ScenarioVerdict> {
    let manifest = &component.manifest;
    let mut failures = hierarchy(component)?;
    let mut raised: BTreeMap<String, usize> = BTreeMap::new();
    for path in &component.scenarios {
        let plan = plan_scenario(component, adapter, path)?;
        for outcome in run_rust(adapter, manifest, &plan) {
            if let Outcome::Raised { kind, .. } = outcome.outcome {
                *raised.entry(kind).or_default() += 1;
            }
        }
    }
    let mut notes = Vec::new();
    // A raised kind exercises its own entry, or its family's (`ArgumentError` for
    // `ArgumentError.range`), or else the fallback entry.
    fn entry_of<'k>(errors: &BTreeMap<String, ErrorMapping>, raised_kind: &'k str) -> &'k str {
        if errors.contains_key(raised_kind) {
            raised_kind
        } else if errors.contains_key(kind_family(raised_kind)) {
            kind_family(raised_kind)
        } else {
            FALLBACK_ERROR
        }
    }
    let count = |kind: &str| -> Option<usize> {
        let n: usize = raised
            .iter()
            .filter(|(k, _)| entry_of(&manifest.errors, k) == kind)
            .map(|(_, n)| n)
            .sum();
        (n > 0).then_some(n)
    };
    let exercised: Vec<String> = manifest
        .errors
        .keys()
        .filter_map(|kind| count(kind).map(|n| format!("{kind} ×{n}")))
        .collect();
    notes.push(format!(
        "error coverage: {} of {} contract entries exercised ({})",
        exercised.len(),
        manifest.errors.len(),
        exercised.join(", ")
    ));
    if !manifest.unreachable.is_empty() {
        notes.push(format!(
            "unreachable in this build (the manifest's `unreachable`): {}",
            manifest.unreachable.join(", ")
        ));
    }
    for (kind, mapping) in &manifest.errors {
        if count(kind).is_none() && !manifest.unreachable.contains(kind) {
            failures.push(failure(format!(
                "contract entry {kind} → {} is exercised by no scenario",
                mapping.exception
            )));
        }
    }
    for kind in manifest
        .unreachable
        .iter()
        .filter(|k| raised.contains_key(*k))
    {
        failures.push(failure(format!(
            "Rust error kind {kind} is declared unreachable, but scenarios raise it"
        )));
    }
    let unmapped = |kind: &&String| {
        manifest.error_mapping(kind).is_none() && !manifest.unreachable.contains(*kind)
    };
    for kind in raised.keys().filter(unmapped) {
        failures.push(failure(format!(
            "Rust error kind {kind} occurs in scenarios but is not in the error contract"
        )));
    }
    match adapter.declared_error_kinds() {
        Some(kinds) => {
            for kind in kinds.iter().filter(unmapped) {
                failures.push(failure(format!(
                    "Rust error kind {kind} (declared by the adapter) is not in the error contract"
                )));
            }
            notes.push(format!(
                "the adapter declares {} error kinds: {}",
                kinds.len(),
                kinds.join(", ")
            ));
        }
        None => notes.push(
            "the adapter does not enumerate its error kinds (Adapter::error_kinds)".to_owned(),
        ),
    }
    Ok(ScenarioVerdict {
        id: errors_id(&manifest.component),
        component: manifest.component.clone(),
        file: component.dir.join(MANIFEST).display().to_string(),
        steps: Vec::new(),
        failures,
        notes,
        output: Default::default(),
    })
}
