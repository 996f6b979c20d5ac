//! Exceptions judged by identity: a contract names a class by any public name (a package's
//! re-export of a class its private module defines), and a raised exception conforms when it
//! is an instance of that class, whatever its `__module__` says. An operation may override the
//! component's entry for a kind (the same Rust kind, another class in that operation).

use pyo3_conformance::__private::{contract_verdict, load_component};
use pyo3_conformance::{Adapter, RustError};

use crate::support::{on_python_path, run_component, write_component};

fn adapter() -> Adapter {
    Adapter::new("pkg")
        .try_function("loads", |(_text,): (String,)| {
            Err::<i64, _>(RustError::new("Bad", "bad input"))
        })
        .try_function("dumps", |(_value,): (i64,)| {
            Err::<String, _>(RustError::new("Bad", "bad input"))
        })
}

const MANIFEST: &str = r#"{"component": "pkg", "module": "PACKAGE",
  "functions": {
    "loads": {"params": [{"name": "text"}]},
    "dumps": {"params": [{"name": "value"}],
              "errors": {"Bad": {"exception": "PACKAGE.ParseError", "bases": ["builtins.ValueError"]}}}
  },
  "errors": {"Bad": {"exception": "builtins.TypeError"}}}"#;

const SCENARIO: &str = r#"[
  {"call": "loads", "args": ["x"], "raises": "Bad"},
  {"call": "dumps", "args": [1], "raises": "Bad"}
]"#;

/// A package whose `ParseError` lives in its private `_native` module, re-exported.
fn failures(package: &str, dumps_raises: &str) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(package);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("_native.py"),
        format!(
            "class ParseError(ValueError): pass\n\
             def loads(text): raise TypeError('bad input')\n\
             def dumps(value): raise {dumps_raises}('bad input')\n"
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("__init__.py"),
        "from ._native import ParseError, loads, dumps\n",
    )
    .unwrap();
    on_python_path(dir.path());
    let component = dir.path().join("pkg");
    write_component(
        &component,
        &MANIFEST.replace("PACKAGE", package),
        &[("errors", SCENARIO)],
    );
    let adapter = adapter();
    let steps = run_component(&adapter, &component)
        .into_iter()
        .flat_map(|verdict| verdict.failures)
        .map(|failure| failure.message)
        .collect();
    let contract = contract_verdict(&adapter, &load_component(&component).unwrap())
        .unwrap()
        .failures
        .into_iter()
        .map(|failure| failure.message)
        .collect();
    (steps, contract)
}

#[test]
fn a_reexported_class_is_the_contracted_class_and_operations_override_the_component() {
    let (steps, contract) = failures("pkg_reexport", "ParseError");
    assert_eq!(steps, Vec::<String>::new());
    assert_eq!(contract, Vec::<String>::new());
}

#[test]
fn another_class_in_the_overriding_operation_diverges() {
    let (steps, _) = failures("pkg_wrong", "TypeError");
    assert_eq!(steps.len(), 2, "the contract and `raises` both: {steps:?}");
    assert!(
        steps[0].contains("must raise pkg_wrong.ParseError"),
        "{steps:?}"
    );
}
