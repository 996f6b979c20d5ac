//! Reading a module's API surface from the runtime and from its stub, in the embedded
//! interpreter, with two helpers: `surface/stub.py` (Python's own `ast`) and
//! `surface/runtime.py` (`inspect`). The stub is read first: every name it or the manifest
//! mentions is then looked up at runtime (a tree of names, built here), so a declared dunder or
//! an inherited method is never "missing" only because `vars()` does not list it.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::PyModule;
use pyo3_conformance_model::{Member, Surface, from_value};

use super::convert::{Projections, to_value};
use crate::error::{Error, ErrorKind, Result};

// `names.py` first: both readers judge which names belong to a surface the same way.
const RUNTIME_PY: &str = concat!(
    include_str!("surface/names.py"),
    include_str!("surface/runtime.py")
);
const STUB_PY: &str = concat!(
    include_str!("surface/names.py"),
    include_str!("surface/stub.py")
);

/// The runtime surface of a module and, when one is found (or given), its stub's.
#[derive(Debug, Clone)]
pub struct InspectedModule {
    /// What `inspect` sees.
    pub runtime: Surface,
    /// The stub file and what it declares.
    pub stub: Option<(PathBuf, Surface)>,
}

fn python_error(module: &str, what: &str, error: PyErr) -> Error {
    Error::new(ErrorKind::Python(format!(
        "cannot {what} of '{module}': {error}"
    )))
}

fn surface(object: &Bound<'_, PyAny>) -> PyResult<Surface> {
    let value = to_value(object, &Projections::new())?;
    from_value(value).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

fn helper<'py>(
    py: Python<'py>,
    module: &str,
    code: &str,
    name: &std::ffi::CStr,
) -> Result<Bound<'py, PyModule>> {
    let code = CString::new(code).expect("the helper has no NUL byte");
    let file = format!("{}.py", name.to_string_lossy());
    let file = CString::new(file).expect("no NUL byte");
    PyModule::from_code(py, &code, &file, name)
        .map_err(|e| python_error(module, "load the surface helper", e))
}

/// The names a surface mentions, as a tree (`{"Class": {"__len__": {}}}`), merged into `tree`.
fn wanted_names(
    members: &std::collections::BTreeMap<String, Member>,
    tree: &mut serde_json::Map<String, serde_json::Value>,
) {
    for (name, member) in members {
        let entry = tree
            .entry(name.clone())
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        let nested = match member {
            Member::Class { members, .. } | Member::Exception { members, .. } => Some(members),
            Member::Module { members, .. } => members.as_ref(),
            _ => None,
        };
        if let (Some(nested), serde_json::Value::Object(subtree)) = (nested, entry) {
            // What a stub class inherits from a base it states is judged with the base.
            let stated = nested
                .iter()
                .filter(|(_, m)| !matches!(m, Member::Inherited { .. }))
                .map(|(n, m)| (n.clone(), m.clone()))
                .collect();
            wanted_names(&stated, subtree);
        }
    }
}

/// Imports `module` and reads its runtime surface and its stub (`stub`, or the one found
/// beside the module, in a `-stubs` package, or the annotated source of an inline-typed
/// package). Every name the stub or `declared` mentions is looked up at runtime.
pub fn inspect_module(
    py: Python<'_>,
    module: &str,
    stub: Option<&Path>,
    declared: Option<&Surface>,
) -> Result<InspectedModule> {
    let stub_helper = helper(py, module, STUB_PY, c"pyo3_conformance_stub")?;
    let runtime_helper = helper(py, module, RUNTIME_PY, c"pyo3_conformance_runtime")?;
    let imported = py.import(module).map_err(|e| {
        Error::new(ErrorKind::Python(format!(
            "cannot import '{module}' in {}: {e}",
            super::environment::describe()
        )))
    })?;
    let stub_path: Option<PathBuf> = match stub {
        Some(path) => Some(path.to_owned()),
        None => stub_helper
            .getattr("stub_path")
            .and_then(|f| f.call1((module,)))
            .and_then(|p| p.extract::<Option<String>>())
            .map_err(|e| python_error(module, "look for the stub", e))?
            .map(PathBuf::from),
    };
    let stub = match &stub_path {
        Some(path) => {
            if !path.is_file() {
                return Err(Error::in_file(
                    path,
                    ErrorKind::Usage("no such stub file".to_owned()),
                ));
            }
            let raw = stub_helper
                .getattr("stub")
                .and_then(|f| f.call1((path.to_string_lossy().as_ref(), module)))
                .map_err(|e| {
                    Error::in_file(
                        path,
                        ErrorKind::Format(format!("cannot read the stub: {e}")),
                    )
                })?;
            let surface = surface(&raw).map_err(|e| python_error(module, "read the stub", e))?;
            Some((path.clone(), surface))
        }
        None => None,
    };
    let mut wanted = serde_json::Map::new();
    for source in [declared, stub.as_ref().map(|(_, s)| s)]
        .into_iter()
        .flatten()
    {
        wanted_names(&source.members, &mut wanted);
    }
    let wanted = py
        .import("json")
        .and_then(|json| {
            json.call_method1("loads", (serde_json::Value::Object(wanted).to_string(),))
        })
        .map_err(|e| python_error(module, "inspect the runtime surface", e))?;
    let raw = runtime_helper
        .getattr("runtime")
        .and_then(|f| f.call1((imported, wanted)))
        .map_err(|e| python_error(module, "inspect the runtime surface", e))?;
    let runtime =
        surface(&raw).map_err(|e| python_error(module, "inspect the runtime surface", e))?;
    Ok(InspectedModule { runtime, stub })
}
