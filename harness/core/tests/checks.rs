//! The harness proves its own checks: `cargo test -p pyo3-conformance --test checks`.
//!
//! A small Rust "library" (std functions behind an adapter) is paired with two pure-Python
//! "bindings" written into a temporary directory: `demo_good`, which behaves like the Rust side,
//! and `demo_bad`, with one seeded fault per scenario. The same scenarios run against both:
//! the good binding must pass every one (no false alarm), the bad one must fail every one with
//! the failure kind its fault calls for. Python modules stand in for compiled bindings so this
//! test needs no extension build; the harness cannot tell the difference.
//!
//! Debug one with `cargo test -p pyo3-conformance --test checks -- NAME --nocapture`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use pyo3::prelude::*;
use pyo3_conformance::model::{FailureKind, ScenarioVerdict};
use pyo3_conformance::{Adapter, Tuple, load_component, plan_scenario, prepare, run_plan};

#[derive(Debug)]
enum DemoError {
    DivisionByZero,
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("division by zero")
    }
}

fn adapter() -> Adapter {
    Adapter::new("demo")
        .function("pair", |(a, b): (i64, String)| Tuple((a, b)))
        .try_function("divide", |(a, b): (i64, i64)| {
            a.checked_div(b).ok_or(DemoError::DivisionByZero)
        })
        .function("ratio", |(a, b): (f64, f64)| a / b)
        .function("label", |(x,): (i64,)| x.to_string())
        .function("boom", |()| -> i64 { panic!("index out of bounds") })
        .class::<BTreeMap<String, i64>>("Counter", |class| {
            class
                .constructor(|()| BTreeMap::new())
                .method("add", |counts, (word,): (String,)| {
                    *counts.entry(word.clone()).or_default() += 1;
                    counts[&word]
                })
                .method("counts", |counts, ()| counts.clone())
        })
}

const MANIFEST: &str = r#"{
  "component": "demo",
  "module": "MODULE",
  "functions": {
    "pair": {"params": [{"name": "a"}, {"name": "b"}]},
    "divide": {"params": [{"name": "a"}, {"name": "b"}]},
    "ratio": {"params": [{"name": "a"}, {"name": "b"}]},
    "label": {"params": [{"name": "x"}]},
    "boom": {}
  },
  "classes": {
    "Counter": {
      "methods": {"add": {"params": [{"name": "word"}]}, "counts": {}}
    }
  },
  "errors": {"DivisionByZero": {"exception": "builtins.ZeroDivisionError"}}
}"#;

const GOOD: &str = r#"
def pair(a, b): return (a, b)
def divide(a, b):
    if b == 0: raise ZeroDivisionError("division by zero")
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q
def ratio(a, b): return a / b
def label(x): return str(x)
def boom(): raise RuntimeError("the Rust side of `boom` panics")
class Counter:
    def __init__(self): self._counts = {}
    def add(self, word):
        self._counts[word] = self._counts.get(word, 0) + 1
        return self._counts[word]
    def counts(self): return dict(self._counts)
"#;

const BAD: &str = r#"
class PanicException(BaseException):
    pass
PanicException.__module__ = "pyo3_runtime"

def pair(a, b): return [a, b]                                   # list where Rust gives a tuple
def divide(a, b):
    if b == 0: raise ValueError("division by zero")             # wrong exception class
    return a // b
def ratio(a, b): return round(a / b, 3)                          # float rounded
def label(x): raise PanicException("called `Option::unwrap()`") # a panic leaks into Python
def boom(): return 0
class Counter:
    def add(self, word): return 1                                 # state not kept
    def counts(self): return {}
"#;

/// Scenario name, its steps, and the failure kind the bad binding must produce.
const SCENARIOS: &[(&str, &str, FailureKind)] = &[
    (
        "tuple_not_list",
        r#"[{"call": "pair", "args": [1, "a"]}]"#,
        FailureKind::Output,
    ),
    (
        "error_class",
        r#"[{"call": "divide", "args": [1, 0]}, {"call": "divide", "args": [7, 2]}]"#,
        FailureKind::Exception,
    ),
    (
        "float_rounding",
        r#"[{"call": "ratio", "args": [1.0, 3.0]}]"#,
        FailureKind::Output,
    ),
    (
        "panic_leaks",
        r#"[{"call": "label", "args": [5]}]"#,
        FailureKind::Panic,
    ),
    (
        "state_kept",
        r#"[{"new": "Counter", "bind": "c"}, {"call": "add", "on": "c", "args": ["x"]},
            {"call": "add", "on": "c", "args": ["x"]}, {"call": "counts", "on": "c"}]"#,
        FailureKind::Output,
    ),
];

fn write_tree(root: &Path, module: &str, source: &str) {
    std::fs::write(root.join(format!("{module}.py")), source).unwrap();
    let component = root.join(module).join("demo");
    std::fs::create_dir_all(component.join("scenarios")).unwrap();
    std::fs::write(
        component.join("manifest.json"),
        MANIFEST.replace("MODULE", module),
    )
    .unwrap();
    for (name, steps, _) in SCENARIOS {
        let text = format!(r#"{{"steps": {steps}}}"#);
        std::fs::write(
            component.join("scenarios").join(format!("{name}.json")),
            text,
        )
        .unwrap();
    }
}

fn run_all(root: &Path, module: &str) -> Vec<ScenarioVerdict> {
    let component = load_component(&root.join(module).join("demo")).unwrap();
    let adapter = adapter();
    component
        .scenarios
        .iter()
        .map(|path| {
            let plan = plan_scenario(&component, &adapter, path).unwrap();
            run_plan(&adapter, &component, &plan).unwrap()
        })
        .collect()
}

/// Each test has its own module names, so tests running in parallel threads (one interpreter)
/// never see each other's modules.
fn setup(tag: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (good, bad) = (format!("demo_good_{tag}"), format!("demo_bad_{tag}"));
    write_tree(dir.path(), &good, GOOD);
    write_tree(dir.path(), &bad, BAD);
    prepare(None).unwrap();
    Python::attach(|py| {
        let path = py.import("sys").unwrap().getattr("path").unwrap();
        path.call_method1("insert", (0, dir.path().to_str().unwrap()))
            .unwrap();
    });
    (dir, good, bad)
}

#[test]
fn the_good_binding_passes_and_each_seeded_fault_is_caught_with_its_kind() {
    let (dir, good, bad) = setup("kinds");
    for verdict in run_all(dir.path(), &good) {
        assert!(
            verdict.passed(),
            "false alarm on {}: {:#?}",
            verdict.id,
            verdict.failures
        );
    }
    let verdicts = run_all(dir.path(), &bad);
    assert_eq!(verdicts.len(), SCENARIOS.len());
    for (name, _, kind) in SCENARIOS {
        let verdict = verdicts
            .iter()
            .find(|v| v.id == format!("demo/scenarios/{name}"))
            .unwrap();
        assert!(
            verdict.failures.iter().any(|f| f.kind == *kind),
            "{name}: expected a {kind:?} failure, got {:#?}",
            verdict.failures
        );
    }
}

#[test]
fn failures_name_the_path_and_both_sides() {
    let (dir, _, bad) = setup("paths");
    let verdicts = run_all(dir.path(), &bad);
    let state = verdicts
        .iter()
        .find(|v| v.id.ends_with("state_kept"))
        .unwrap();
    let counts = state.failures.iter().find(|f| f.step == Some(3)).unwrap();
    assert_eq!(counts.path.as_deref(), Some("$.x"));
    assert_eq!(
        counts.message,
        "c.counts(): at $.x: key present on rust, missing on python"
    );
    assert_eq!(
        (counts.rust.as_deref(), counts.python.as_deref()),
        (Some(r#"{"x":2}"#), Some("{}"))
    );
    let tuple = verdicts
        .iter()
        .find(|v| v.id.ends_with("tuple_not_list"))
        .unwrap();
    assert_eq!(
        tuple.failures[0].message,
        r#"pair(): at $: tuple {"$tuple":[1,"a"]} on rust, list [1,"a"] on python"#
    );
    let error = verdicts
        .iter()
        .find(|v| v.id.ends_with("error_class"))
        .unwrap();
    assert_eq!(
        error.failures[0].message,
        "divide(): Rust error DivisionByZero must raise builtins.ZeroDivisionError, \
         but Python raised builtins.ValueError"
    );
}

#[test]
fn a_rust_panic_is_a_verdict_not_a_crash() {
    let (dir, good, _) = setup("panic");
    std::fs::write(
        dir.path().join(&good).join("demo/scenarios/zz_boom.json"),
        r#"{"steps": [{"call": "boom"}, {"call": "label", "args": [1], "expect": "1"}]}"#,
    )
    .unwrap();
    let verdicts = run_all(dir.path(), &good);
    let boom = verdicts.iter().find(|v| v.id.ends_with("zz_boom")).unwrap();
    assert_eq!(boom.failures.len(), 1, "{:#?}", boom.failures);
    assert_eq!(boom.failures[0].kind, FailureKind::Panic);
    assert!(
        boom.failures[0]
            .message
            .contains("the Rust API panicked: index out of bounds"),
        "{}",
        boom.failures[0].message
    );
}

#[test]
fn a_member_absent_at_runtime_is_missing() {
    let (dir, good, _) = setup("missing");
    let source = GOOD.replace("def label(x)", "def _label(x)");
    std::fs::write(dir.path().join(format!("{good}.py")), source).unwrap();
    std::fs::write(
        dir.path()
            .join(&good)
            .join("demo/scenarios/zz_missing.json"),
        r#"{"steps": [{"call": "label", "args": [1]}]}"#,
    )
    .unwrap();
    let verdicts = run_all(dir.path(), &good);
    let missing = verdicts
        .iter()
        .find(|v| v.id.ends_with("zz_missing"))
        .unwrap();
    assert_eq!(missing.failures[0].kind, FailureKind::Missing);
    assert_eq!(
        missing.failures[0].message,
        format!("label(): module {good} has no attribute 'label'")
    );
}

// ---------------------------------------------------------------------------------------------
// Signatures: a module and its stub that agree, then one seeded drift at a time.

const SIG_MODULE: &str = r#"
import typing

def scale(values, /, factor=1.0, *, digits=None):
    return values

def lookup(key, default=None):
    return default

@typing.final
class Map:
    def __init__(self, capacity=8):
        self._entries = {}
    def insert(self, key, value):
        return self
    def size(self):
        return len(self._entries)
    @property
    def capacity(self):
        return 8
"#;

const SIG_STUB: &str = r#"
import typing

def scale(values: list[float], /, factor: float = 1.0, *, digits: int | None = None) -> list[float]: ...
def lookup(key: str, default: int | None = None) -> int | None: ...

@typing.final
class Map:
    def __init__(self, capacity: int = 8) -> None: ...
    def insert(self, key: str, value: int) -> Map: ...
    def size(self) -> int: ...
    @property
    def capacity(self) -> int: ...
"#;

const SIG_MANIFEST: &str = r#"{
  "component": "sig",
  "module": "MODULE",
  "functions": {
    "scale": {
      "params": [
        {"name": "values", "kind": "positional_only", "type": "list[float]"},
        {"name": "factor", "type": "float", "default": 1.0},
        {"name": "digits", "kind": "keyword_only", "type": "int | None", "default": null}
      ],
      "returns": "list[float]"
    },
    "lookup": {"params": [{"name": "key", "type": "str"}, {"name": "default", "type": "int | None", "default": null}]}
  },
  "classes": {
    "Map": {
      "constructor": {"params": [{"name": "capacity", "type": "int", "default": 8}]},
      "methods": {"insert": {"params": [{"name": "key"}, {"name": "value"}]}, "size": {"returns": "int"}},
      "properties": {"capacity": {"type": "int"}}
    }
  }
}"#;

/// Writes `name.py` and `name.pyi` (after applying the edits) and returns every finding of the
/// three-way comparison.
fn signature_findings(
    name: &str,
    module_edit: (&str, &str),
    stub_edit: (&str, &str),
    manifest_edit: (&str, &str),
) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let edit = |text: &str, (from, to): (&str, &str)| {
        assert!(text.contains(from), "the edit must apply: {from}");
        text.replacen(from, to, 1)
    };
    std::fs::write(
        dir.path().join(format!("{name}.py")),
        edit(SIG_MODULE, module_edit),
    )
    .unwrap();
    std::fs::write(
        dir.path().join(format!("{name}.pyi")),
        edit(SIG_STUB, stub_edit),
    )
    .unwrap();
    let manifest: pyo3_conformance::model::Manifest =
        serde_json::from_str(&edit(SIG_MANIFEST, manifest_edit).replace("MODULE", name)).unwrap();
    prepare(None).unwrap();
    let inspected = Python::attach(|py| {
        let path = py.import("sys").unwrap().getattr("path").unwrap();
        path.call_method1("insert", (0, dir.path().to_str().unwrap()))
            .unwrap();
        pyo3_conformance::inspect_module(py, name, None).unwrap()
    });
    let views = pyo3_conformance::SurfaceViews {
        module: name.to_owned(),
        declared: Some(pyo3_conformance::declared_surface(&manifest)),
        runtime: inspected.runtime,
        stub: inspected.stub.map(|(_, surface)| surface),
    };
    pyo3_conformance::compare_views(&views)
        .into_iter()
        .map(|f| f.message)
        .collect()
}

const SAME: (&str, &str) = ("", "");

#[test]
fn agreeing_views_have_no_signature_failure() {
    assert_eq!(
        signature_findings("sig_clean", SAME, SAME, SAME),
        Vec::<String>::new()
    );
}

#[test]
fn a_renamed_parameter_is_caught() {
    let found = signature_findings(
        "sig_renamed",
        SAME,
        ("key: str, value: int) -> Map", "key: str, val: int) -> Map"),
        SAME,
    );
    assert_eq!(
        found,
        ["sig_renamed.Map.insert: parameter 2 is 'value' at runtime, 'val' in the stub"]
    );
}

#[test]
fn a_changed_default_is_caught() {
    let found = signature_findings("sig_default", ("factor=1.0", "factor=2.0"), SAME, SAME);
    assert_eq!(
        found,
        [
            "sig_default.scale: parameter 2 'factor' defaults to 2.0 at runtime, 1.0 in the stub",
            "sig_default.scale: parameter 2 'factor' defaults to 1.0 in the manifest, 2.0 at runtime",
        ]
    );
}

#[test]
fn a_keyword_only_parameter_made_positional_is_caught() {
    let found = signature_findings(
        "sig_kwonly",
        ("factor=1.0, *, digits=None", "factor=1.0, digits=None"),
        SAME,
        SAME,
    );
    assert_eq!(
        found,
        [
            "sig_kwonly.scale: parameter 3 'digits' is positional-or-keyword at runtime, keyword-only in the stub",
            "sig_kwonly.scale: parameter 3 'digits' is keyword-only in the manifest, positional-or-keyword at runtime",
        ]
    );
}

#[test]
fn a_method_declared_as_a_property_is_caught() {
    let found = signature_findings(
        "sig_property",
        SAME,
        (
            "    def size(self) -> int: ...",
            "    @property\n    def size(self) -> int: ...",
        ),
        SAME,
    );
    assert_eq!(
        found,
        ["sig_property.Map.size: is a method at runtime, a property in the stub"]
    );
}

#[test]
fn a_member_missing_from_the_stub_is_caught() {
    let found = signature_findings(
        "sig_nostub",
        SAME,
        (
            "def lookup(key: str, default: int | None = None) -> int | None: ...",
            "",
        ),
        SAME,
    );
    assert_eq!(
        found,
        ["sig_nostub.lookup: present at runtime, missing in the stub"]
    );
}

#[test]
fn a_member_missing_at_runtime_is_caught() {
    let found = signature_findings(
        "sig_noruntime",
        ("def lookup(key, default=None):\n    return default", ""),
        SAME,
        SAME,
    );
    assert_eq!(
        found,
        [
            "sig_noruntime.lookup: present in the stub, missing at runtime",
            "sig_noruntime.lookup: present in the manifest, missing at runtime",
        ]
    );
}

#[test]
fn a_manifest_that_drifted_from_rust_is_caught_with_its_annotations() {
    let found = signature_findings(
        "sig_manifest",
        SAME,
        SAME,
        (
            r#"{"name": "key", "type": "str"}"#,
            r#"{"name": "name", "type": "bytes"}"#,
        ),
    );
    assert_eq!(
        found,
        [
            "sig_manifest.lookup: parameter 1 is 'name' in the manifest, 'key' at runtime",
            "sig_manifest.lookup: parameter 1 'name' is annotated 'bytes' in the manifest, 'str' in the stub"
        ]
    );
}

#[test]
fn a_class_marked_final_in_the_stub_but_subclassable_is_caught() {
    let found = signature_findings(
        "sig_final",
        ("@typing.final\nclass Map:", "class Map:"),
        SAME,
        SAME,
    );
    assert_eq!(
        found,
        ["sig_final.Map: is subclassable at runtime, final (cannot be subclassed) in the stub"]
    );
}
