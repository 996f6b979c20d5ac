//! Objects in scenarios, judged by instance: a factory whose Python side returns a subclass of
//! the declared class conforms (no false alarm), one that returns an unrelated class does not.
//! Pure-Python stand-ins for the binding, as in `differential`.

use pyo3_conformance::model::FailureKind;
use pyo3_conformance::{Adapter, Obj};

use crate::support::{failures_of, on_python_path, run_component, write_component};

fn adapter() -> Adapter {
    Adapter::new("shapes")
        .object_function("make", |(size,): (i64,)| size)
        .class::<i64>("Shape", |class| {
            class
                .constructor(|(size,): (i64,)| size)
                .method("bigger", |size, (other,): (Obj<i64>,)| *size > *other)
                .property("size", |size| *size)
        })
}

const MANIFEST: &str = r#"{
  "component": "shapes",
  "module": "MODULE",
  "functions": {"make": {"params": [{"name": "size"}], "returns": "Shape"}},
  "classes": {
    "Shape": {
      "constructor": {"params": [{"name": "size"}]},
      "methods": {"bigger": {"params": [{"name": "other", "type": "Shape"}], "returns": "bool"}},
      "properties": {"size": {"type": "int"}},
      "state": ["size"]
    }
  }
}"#;

const SCENARIO: &str = r#"[
  {"call": "make", "args": [3], "bind": "made", "expect": {"$object": {"class": "Shape", "state": {"size": 3}}}},
  {"new": "Shape", "args": [2], "bind": "small"},
  {"call": "bigger", "on": "made", "args": [{"$obj": "small"}], "expect": true}
]"#;

fn binding(name: &str, factory: &str) -> String {
    format!(
        "class Shape:\n    def __init__(self, size): self.size = size\n    def bigger(self, other): return self.size > other.size\n{factory}\n"
    )
    .replace("MODULE_NAME", name)
}

fn failures_with(name: &str, factory: &str) -> Vec<(FailureKind, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{name}.py")),
        binding(name, factory),
    )
    .unwrap();
    on_python_path(dir.path());
    let component = dir.path().join("shapes");
    write_component(
        &component,
        &MANIFEST.replace("MODULE", name),
        &[("made", SCENARIO)],
    );
    failures_of(&adapter(), &component)
}

#[test]
fn a_factory_returning_a_subclass_conforms() {
    let factory = "class Square(Shape): pass\ndef make(size): return Square(size)";
    assert_eq!(failures_with("shapes_subclass", factory), []);
}

#[test]
fn a_factory_returning_another_class_is_an_output_divergence() {
    let factory = "class Circle:\n    def __init__(self, size): self.size = size\n    def bigger(self, other): return self.size > other.size\ndef make(size): return Circle(size)";
    let found = failures_with("shapes_other", factory);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().all(|(kind, _)| *kind == FailureKind::Output),
        "{found:?}"
    );
    assert!(found[0].1.contains("Circle"), "{found:?}");
}

/// `unordered` on an operation in the manifest: a hash-ordered result in another order
/// conforms; without it, the same order difference is an output divergence.
fn order_failures(name: &str, unordered: bool) -> usize {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{name}.py")),
        "def letters(): return ['c', 'a', 'b']\n",
    )
    .unwrap();
    on_python_path(dir.path());
    let manifest = format!(
        r#"{{"component": "letters", "module": "{name}", "functions": {{"letters": {{"returns": "list[str]", "unordered": {unordered}}}}}}}"#
    );
    let component = dir.path().join("letters");
    write_component(
        &component,
        &manifest,
        &[("order", r#"[{"call": "letters"}]"#)],
    );
    let adapter = Adapter::new("letters").function("letters", |()| vec!["a", "b", "c"]);
    run_component(&adapter, &component)
        .into_iter()
        .map(|verdict| verdict.failures.len())
        .sum()
}

#[test]
fn an_unordered_operation_compares_as_a_multiset() {
    assert_eq!(order_failures("letters_unordered", true), 0);
    assert!(order_failures("letters_ordered", false) > 0);
}
