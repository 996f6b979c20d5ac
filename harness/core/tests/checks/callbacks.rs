//! Callbacks: each side's calls to a scenario's callbacks are recorded and compared. A stand-in
//! that calls back exactly as Rust does conforms, including a callback stored by one step and
//! called by a later one; one that calls twice, skips the callback, or passes other arguments
//! diverges although its results agree with Rust's. A sort key that Rust's `sort_by_key` calls
//! per comparison and Python's `sorted` once per item conforms where the manifest says its
//! calls compare as `distinct`, and only there.

use pyo3_conformance::model::FailureKind;
use pyo3_conformance::{Adapter, Callback};

use crate::support::{failures_of, on_python_path, write_component};

fn adapter() -> Adapter {
    Adapter::new("calls")
        .callback("is_odd", |(x,): (i64,)| x % 2 != 0)
        .callback("negate", |(x,): (i64,)| -x)
        .function("keep", |(items, predicate): (Vec<i64>, Callback)| {
            items
                .into_iter()
                .filter(|x| predicate.call::<_, bool>((*x,)))
                .collect::<Vec<_>>()
        })
        .class::<Callback>("Sorter", |class| {
            class.constructor(|(key,): (Callback,)| key).method(
                "sort",
                |key, (mut items,): (Vec<i64>,)| {
                    items.sort_by_key(|x| key.call::<_, i64>((*x,)));
                    items
                },
            )
        })
}

const MANIFEST: &str = r#"{
  "component": "calls",
  "module": "MODULE",
  "functions": {"keep": {"params": [{"name": "items"}, {"name": "predicate"}], "returns": "list[int]"}},
  "classes": {
    "Sorter": {
      "constructor": {"params": [{"name": "key"}]},
      "methods": {"sort": {"params": [{"name": "items"}], "returns": "list[int]"}}
    }
  },
  "callbacks": {
    "is_odd": {"source": "lambda x: x % 2 != 0"},
    "negate": {"source": "def negate(x):\n    return -x", "calls": "RULE"}
  }
}"#;

const SCENARIO: &str = r#"[
  {"call": "keep", "args": [[1, 2, 3], {"$callback": "is_odd"}], "expect": [1, 3]},
  {"new": "Sorter", "args": [{"$callback": "negate"}], "bind": "s"},
  {"call": "sort", "on": "s", "args": [[2, 3, 1]], "expect": [3, 2, 1]}
]"#;

/// A stand-in binding: `keep` as given, and a `Sorter` that keeps its key for later calls.
fn failures_with(name: &str, keep: &str) -> Vec<(FailureKind, String)> {
    failures_with_rule(name, keep, "distinct")
}

fn failures_with_rule(name: &str, keep: &str, rule: &str) -> Vec<(FailureKind, String)> {
    let dir = tempfile::tempdir().unwrap();
    let module = format!(
        "{keep}\nclass Sorter:\n    def __init__(self, key): self.key = key\n    def sort(self, items):\n        keys = [self.key(x) for x in items]\n        return [x for _, x in sorted(zip(keys, items))]\n"
    );
    std::fs::write(dir.path().join(format!("{name}.py")), module).unwrap();
    on_python_path(dir.path());
    let component = dir.path().join("calls");
    write_component(
        &component,
        &MANIFEST.replace("MODULE", name).replace("RULE", rule),
        &[("calls", SCENARIO)],
    );
    failures_of(&adapter(), &component)
}

#[test]
fn calling_back_as_rust_does_conforms() {
    let keep = "def keep(items, predicate): return [x for x in items if predicate(x)]";
    assert_eq!(failures_with("calls_correct", keep), []);
}

#[test]
fn a_sort_key_called_another_number_of_times_diverges_where_calls_are_exact() {
    let keep = "def keep(items, predicate): return [x for x in items if predicate(x)]";
    let found = failures_with_rule("calls_exact_key", keep, "exact");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.starts_with("s.sort(): "), "{found:?}");
}

#[test]
fn a_callback_called_twice_diverges_though_the_result_agrees() {
    let keep =
        "def keep(items, predicate): return [x for x in items if predicate(x) and predicate(x)]";
    let found = failures_with("calls_twice", keep);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, FailureKind::Output);
    // The message says where the two records part.
    assert!(
        found[0]
            .1
            .contains("callback call 2 differs: Rust called is_odd(2), Python called is_odd(1)"),
        "{found:?}"
    );
}

#[test]
fn a_callback_never_called_diverges() {
    let keep = "def keep(items, predicate): return [x for x in items if x % 2]";
    let found = failures_with("calls_skipped", keep);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .1
            .contains("called back 3 times in Rust, 0 times in Python"),
        "{found:?}"
    );
}

#[test]
fn a_callback_given_other_arguments_diverges() {
    let keep = "def keep(items, predicate): return [x for x in items if predicate(x) == bool(x % 2) and predicate(x + 2) == bool(x % 2) and False] or [x for x in items if x % 2]";
    let found = failures_with("calls_other_arguments", keep);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .1
            .contains("Rust called is_odd(2), Python called is_odd(3)"),
        "{found:?}"
    );
}
