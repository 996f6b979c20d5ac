//! Error-contract rules that real bindings need: message rules on canonical `args` (a
//! `KeyError(7)` conforms to `first_arg` and `repr`, an int 7 and a str "7" differ), several
//! rules for one kind (all must hold), the `"*"` entry for kinds not listed, and kinds the
//! manifest declares `unreachable`, which coverage reports instead of failing.

use pyo3_conformance::__private::{contract_verdict, load_component};
use pyo3_conformance::{Adapter, RustError, Value};

use crate::support::{on_python_path, run_component, write_component};

fn adapter() -> Adapter {
    Adapter::new("rules")
        .try_function("lookup", |(key,): (i64,)| {
            Err::<i64, _>(RustError::new("Missing", key.to_string()).with_details(
                &std::collections::BTreeMap::from([("args", Value::Tuple(vec![Value::int(key)]))]),
            ))
        })
        .try_function("parse", |(text,): (String,)| text.parse::<i64>())
}

fn manifest(module: &str, missing: &str) -> String {
    format!(
        r#"{{"component": "rules", "module": "{module}",
  "functions": {{"lookup": {{"params": [{{"name": "key"}}]}}, "parse": {{"params": [{{"name": "text"}}]}}}},
  "errors": {{"Missing": {{"exception": "builtins.KeyError", "message": {missing}}},
             "*": {{"exception": "builtins.ValueError", "message": "ignore"}}}},
  "unreachable": ["Overflow"]}}"#
    )
}

const SCENARIO: &str = r#"[
  {"call": "lookup", "args": [7], "raises": "Missing"},
  {"call": "parse", "args": ["x"], "raises": "ParseIntError"}
]"#;

fn failures(name: &str, raise: &str, missing: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{name}.py")),
        format!("def lookup(key): raise {raise}\ndef parse(text): return int(text)\n"),
    )
    .unwrap();
    on_python_path(dir.path());
    let component = dir.path().join("rules");
    write_component(&component, &manifest(name, missing), &[("rules", SCENARIO)]);
    run_component(&adapter(), &component)
        .into_iter()
        .flat_map(|verdict| verdict.failures)
        .map(|failure| failure.message)
        .collect()
}

#[test]
fn rules_compare_args_as_canonical_values() {
    let rules = r#"["first_arg", "repr", "args"]"#;
    assert_eq!(
        failures("rules_int_key", "KeyError(key)", rules),
        Vec::<String>::new()
    );
    // The key as a str: str(e) is still "'7'"-like, but e.args[0] is not the int 7.
    let found = failures("rules_str_key", "KeyError(str(key))", rules);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("wants e.args[0] to be 7"), "{found:?}");
}

#[test]
fn several_rules_must_all_hold() {
    let rules = r#"["first_arg", {"pattern": "^8"}]"#;
    let found = failures("rules_all", "KeyError(key)", rules);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("str(e) to match /^8/"), "{found:?}");
}

#[test]
fn the_fallback_entry_holds_for_kinds_not_listed_and_unreachable_kinds_are_reported() {
    let name = "rules_fallback";
    assert_eq!(
        failures(name, "KeyError(key)", r#""first_arg""#),
        Vec::<String>::new()
    );
    let dir = tempfile::tempdir().unwrap();
    let component = dir.path().join("rules");
    write_component(
        &component,
        &manifest(name, r#""first_arg""#),
        &[("rules", SCENARIO)],
    );
    let verdict = contract_verdict(&adapter(), &load_component(&component).unwrap()).unwrap();
    let hierarchy_and_coverage: Vec<_> = verdict.failures.iter().map(|f| &f.message).collect();
    assert_eq!(hierarchy_and_coverage, Vec::<&String>::new());
    assert!(
        verdict
            .notes
            .iter()
            .any(|n| n.contains("2 of 2 contract entries exercised")),
        "{:?}",
        verdict.notes
    );
    assert!(
        verdict
            .notes
            .iter()
            .any(|n| n.contains("unreachable in this build") && n.contains("Overflow")),
        "{:?}",
        verdict.notes
    );
}
