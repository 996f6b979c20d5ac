//! How the judge reads outcomes where a careless judge would cry wolf or credit the wrong side:
//! a dict reaches an order-sensitive Rust API in its own key order; `raises` accepts a subclass
//! of the contracted class, as Python's `except` does; an `expect` failure names the expected
//! value and the side that missed it, and under `dict_order` two sides that differ in order
//! are not credited together.

use pyo3_conformance::model::{FailureKind, ScenarioVerdict};
use pyo3_conformance::{Adapter, RustError, Value};

use crate::support::{failures_of, on_python_path, run_component, write_component};

fn adapter() -> Adapter {
    Adapter::new("judging")
        // Order-sensitive: the first key of the dict as given.
        .function("first_key", |(dict,): (Value,)| match dict {
            Value::Dict(entries) => entries.first().map(|(key, _)| key.clone()),
            _ => None,
        })
        .try_function("lookup", |(key,): (String,)| {
            Err::<i64, _>(RustError::new("Missing", key))
        })
        // A Rust API cannot return a lone surrogate; one that replaces it with U+FFFD differs.
        .function("surrogate", |()| "\u{fffd}")
        .function("pairs", |()| {
            Value::Dict(vec![
                (Value::str("a"), Value::int(1)),
                (Value::str("b"), Value::int(2)),
            ])
        })
}

const MODULE: &str = "def first_key(d): return next(iter(d))\n\
def lookup(key): raise KeyError(key)\n\
def pairs(): return {'b': 2, 'a': 1}\n\
def surrogate(): return '\\ud800'\n";

fn run(name: &str, manifest_extra: &str, steps: &str) -> Vec<ScenarioVerdict> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("{name}.py")), MODULE).unwrap();
    on_python_path(dir.path());
    let manifest = format!(
        r#"{{"component": "judging", "module": "{name}",
  "functions": {{"first_key": {{"params": [{{"name": "d"}}]}}, "lookup": {{"params": [{{"name": "key"}}]}}, "pairs": {{}}, "surrogate": {{}}}},
  "errors": {{"Missing": {{"exception": "builtins.LookupError", "message": "ignore"}}}}{manifest_extra}}}"#
    );
    let component = dir.path().join("judging");
    write_component(&component, &manifest, &[("case", steps)]);
    run_component(&adapter(), &component)
}

#[test]
fn a_dict_reaches_an_order_sensitive_rust_api_in_its_own_order() {
    let verdicts = run(
        "judging_order",
        "",
        r#"[{"call": "first_key", "args": [{"b": 1, "a": 2}], "expect": "b"}]"#,
    );
    assert_eq!(verdicts[0].failures, []);
}

#[test]
fn raises_accepts_a_subclass_of_the_contracted_class() {
    let verdicts = run(
        "judging_raises",
        "",
        r#"[{"call": "lookup", "args": ["k"], "raises": "Missing"}]"#,
    );
    assert_eq!(verdicts[0].failures, []);
}

#[test]
fn an_expect_failure_names_the_expected_value_and_the_side_that_missed_it() {
    let verdicts = run(
        "judging_sides",
        r#", "compare": {"dict_order": true}"#,
        r#"[{"call": "pairs", "expect": {"a": 1, "b": 2}}]"#,
    );
    let failures = &verdicts[0].failures;
    // Rust meets the expectation; Python's order differs from both.
    let against_expect: Vec<_> = failures.iter().filter(|f| f.expected.is_some()).collect();
    assert_eq!(against_expect.len(), 1, "{failures:?}");
    let failure = against_expect[0];
    assert_eq!(failure.kind, FailureKind::Output);
    assert!(failure.message.contains("on python"), "{failure:?}");
    assert!(!failure.message.contains("rust and python"), "{failure:?}");
    assert_eq!(failure.expected.as_deref(), Some(r#"{"a":1,"b":2}"#));
    assert_eq!(failure.rust, None);
    assert_eq!(failure.python.as_deref(), Some(r#"{"b":2,"a":1}"#));
    assert!(
        failures
            .iter()
            .any(|f| f.expected.is_none() && f.kind == FailureKind::Output),
        "the two sides differ in order too: {failures:?}"
    );
}

/// A list whose `first` raises `IndexError` when empty (Rust: `try_property`), projected in its
/// state: a get and a construction raise on both sides and conform; a binding whose `first`
/// returns `None` instead diverges at both.
fn first_failures(name: &str, first: &str) -> Vec<(FailureKind, String)> {
    let dir = tempfile::tempdir().unwrap();
    let module = format!(
        "class Items:\n    def __init__(self, items): self.items = items\n    @property\n    def first(self):\n{first}\n"
    );
    std::fs::write(dir.path().join(format!("{name}.py")), module).unwrap();
    on_python_path(dir.path());
    let manifest = format!(
        r#"{{"component": "items", "module": "{name}",
  "classes": {{"Items": {{"constructor": {{"params": [{{"name": "items"}}]}}, "properties": {{"first": {{"type": "int"}}}}, "state": ["first"]}}}},
  "errors": {{"Empty": {{"exception": "builtins.IndexError", "message": "ignore"}}}}}}"#
    );
    let component = dir.path().join("items");
    write_component(
        &component,
        &manifest,
        &[(
            "first",
            r#"[{"new": "Items", "args": [[7]], "bind": "full"},
                {"get": "first", "on": "full", "expect": 7},
                {"new": "Items", "args": [[]], "raises": "Empty"}]"#,
        )],
    );
    let adapter = Adapter::new("items").class::<Vec<i64>>("Items", |class| {
        class
            .constructor(|(items,)| items)
            .try_property("first", |items| {
                items
                    .first()
                    .copied()
                    .ok_or_else(|| RustError::new("Empty", "empty"))
            })
    });
    failures_of(&adapter, &component)
}

#[test]
fn a_property_that_raises_is_judged_the_same_on_both_sides() {
    let raising =
        "        if not self.items: raise IndexError('empty')\n        return self.items[0]";
    assert_eq!(first_failures("items_raising", raising), []);
    let lenient = "        return self.items[0] if self.items else None";
    let found = first_failures("items_lenient", lenient);
    assert!(!found.is_empty(), "{found:?}");
    assert!(
        found
            .iter()
            .all(|(kind, _)| *kind == FailureKind::Exception),
        "{found:?}"
    );
}

#[test]
fn a_lone_surrogate_is_a_value_that_diverges_readably() {
    let verdicts = run("judging_surrogate", "", r#"[{"call": "surrogate"}]"#);
    let failures = &verdicts[0].failures;
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].kind, FailureKind::Output);
    assert_eq!(failures[0].python.as_deref(), Some(r#"{"$utf16":"d800"}"#));
    assert_eq!(failures[0].rust.as_deref(), Some("\"\u{fffd}\""));
}
