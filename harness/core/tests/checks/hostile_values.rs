//! Values of any shape, in one process, as `cargo test` runs them: a stand-in binding returns
//! values the canonical model cannot hold, and exceptions that cannot be printed; each is a
//! failure naming what and where, and the test process goes on (no stack overflow).
//! The process-level hostilities (exits, crashes, hangs) are `harness/cli/tests/cli/hostile.rs`.

use pyo3_conformance::Adapter;
use pyo3_conformance::model::FailureKind;

use crate::support::{failures_of, on_python_path, write_component};

const MANIFEST: &str = r#"{
  "component": "shapes",
  "module": "hostile_shapes",
  "functions": {"value": {"params": [{"name": "n"}]}}
}"#;

const MODULE: &str = r#"
class Unprintable(Exception):
    def __str__(self): raise RuntimeError("no str")
    def __repr__(self): raise RuntimeError("no repr")

def value(n):
    if n == 1:
        v = [1]; v.append(v); return v
    if n == 2:
        v = {"a": {}}; v["a"]["b"] = v; return v
    if n == 3:
        v = []
        for _ in range(200_000): v = [v]
        return v
    if n == 4:
        return "\ud800"
    if n == 5:
        raise Unprintable()
    if n == 6:
        e = ValueError(); e.args = (e,); raise e
    return n
"#;

#[test]
fn values_the_model_cannot_hold_are_failures_naming_where() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hostile_shapes.py"), MODULE).unwrap();
    on_python_path(dir.path());
    let scenarios: Vec<(String, String)> = (1..=7)
        .map(|n| {
            (
                format!("h{n}"),
                format!(r#"[{{"call": "value", "args": [{n}]}}]"#),
            )
        })
        .collect();
    let scenarios: Vec<(&str, &str)> = scenarios
        .iter()
        .map(|(name, steps)| (name.as_str(), steps.as_str()))
        .collect();
    let component = dir.path().join("shapes");
    write_component(&component, MANIFEST, &scenarios);
    let adapter = Adapter::new("shapes").function("value", |(n,): (i64,)| n);
    let failures = failures_of(&adapter, &component);
    let deep = "[0]".repeat(pyo3_conformance::model::MAX_DEPTH);
    let expected = vec![
        (
            FailureKind::Output,
            "value(): Python gave a list that contains itself (at $[1]), which no canonical \
             value can hold"
                .to_owned(),
        ),
        (
            FailureKind::Output,
            "value(): Python gave a dict that contains itself (at $.a.b), which no canonical \
             value can hold"
                .to_owned(),
        ),
        (
            FailureKind::Output,
            format!(
                "value(): Python gave a value nested deeper than 32 containers (at ${deep}), \
                 which no canonical value can hold"
            ),
        ),
        (
            FailureKind::Output,
            r#"value(): at $: int 4 on rust, str {"$utf16":"d800"} on python"#.to_owned(),
        ),
        (
            FailureKind::Exception,
            "value(): Python raised hostile_shapes.Unprintable where Rust returned a value"
                .to_owned(),
        ),
        // Its args hold the exception itself, an object like any other (its class name).
        (
            FailureKind::Exception,
            "value(): Python raised builtins.ValueError where Rust returned a value".to_owned(),
        ),
    ];
    assert_eq!(failures, expected);
}
