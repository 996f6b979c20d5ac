//! Differential checks: a small Rust "library" (std functions behind an adapter) is paired with two pure-Python
//! "bindings" written into a temporary directory: `demo_good`, which behaves like the Rust side,
//! and `demo_bad`, with one seeded fault per scenario. The same scenarios run against both:
//! the good binding must pass every one (no false alarm), the bad one must fail every one with
//! the failure kind its fault calls for. Python modules stand in for compiled bindings so this
//! test needs no extension build; the harness cannot tell the difference.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use pyo3_conformance::model::{FailureKind, ScenarioVerdict};
use pyo3_conformance::{Adapter, Tuple};

use crate::support::{on_python_path, run_component, write_component};

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
    let scenarios: Vec<(&str, &str)> = SCENARIOS
        .iter()
        .map(|(name, steps, _)| (*name, *steps))
        .collect();
    write_component(
        &root.join(module).join("demo"),
        &MANIFEST.replace("MODULE", module),
        &scenarios,
    );
}

fn run_all(root: &Path, module: &str) -> Vec<ScenarioVerdict> {
    run_component(&adapter(), &root.join(module).join("demo"))
}

/// Each test has its own module names, so tests running in parallel threads (one interpreter)
/// never see each other's modules.
fn setup(tag: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (good, bad) = (format!("demo_good_{tag}"), format!("demo_bad_{tag}"));
    write_tree(dir.path(), &good, GOOD);
    write_tree(dir.path(), &bad, BAD);
    on_python_path(dir.path());
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
