//! Foreign objects projected by the manifest's `values` (a `fractions.Fraction` here): a
//! binding that returns the same fraction conforms, one that returns another does not, and the
//! state may call zero-argument methods (`as_integer_ratio()`); a projected class is no member
//! of the API surface. And standard-library values through a stand-in: a binding that keeps a
//! datetime's instant but drops its offset diverges, unless the manifest compares instants only.

use pyo3_conformance::__private::{declared_surface, load_component};
use pyo3_conformance::model::{FailureKind, Object};
use pyo3_conformance::{Adapter, Std, Value};

use crate::support::{failures_of, on_python_path, run_component, write_component};

const FRACTIONS: &str = r#"{
  "component": "fractions_pair",
  "module": "MODULE",
  "functions": {"half_of": {"params": [{"name": "n", "type": "int"}], "returns": "Fraction"}},
  "values": {"Fraction": {"state": ["numerator", "denominator", "as_integer_ratio()"]}}
}"#;

fn fraction(numerator: i64, denominator: i64) -> Value {
    let ratio = Value::Tuple(vec![Value::int(numerator), Value::int(denominator)]);
    Value::Object(
        Object::new("Fraction")
            .with("numerator", Value::int(numerator))
            .with("denominator", Value::int(denominator))
            .with("as_integer_ratio()", ratio),
    )
}

fn fraction_failures(name: &str, body: &str) -> Vec<(FailureKind, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{name}.py")),
        format!("from fractions import Fraction\ndef half_of(n):\n    return {body}\n"),
    )
    .unwrap();
    on_python_path(dir.path());
    let component = dir.path().join("fractions_pair");
    write_component(
        &component,
        &FRACTIONS.replace("MODULE", name),
        &[(
            "half",
            r#"[{"call": "half_of", "args": [3]}, {"call": "half_of", "args": [4]}]"#,
        )],
    );
    let adapter = Adapter::new("fractions_pair").function("half_of", |(n,): (i64,)| {
        let divisor = if n % 2 == 0 { 2 } else { 1 };
        fraction(n / divisor, 2 / divisor)
    });
    let surface = declared_surface(&load_component(&component).unwrap().manifest);
    assert_eq!(
        surface.members.keys().collect::<Vec<_>>(),
        ["half_of"],
        "a projected value is no member of the API surface"
    );
    failures_of(&adapter, &component)
}

#[test]
fn a_projected_foreign_object_conforms_by_its_state() {
    assert_eq!(fraction_failures("fractions_right", "Fraction(n, 2)"), []);
}

#[test]
fn a_projected_foreign_object_with_another_state_diverges() {
    let found = fraction_failures("fractions_wrong", "Fraction(n, 3)");
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|(kind, _)| *kind == FailureKind::Output),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(_, message)| message == "half_of(): at $.denominator: 1 on rust, 3 on python"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(_, message)| message.contains(r#"at $["as_integer_ratio()"][1]"#)),
        "{found:?}"
    );
}

fn datetime_failures(name: &str, body: &str, compare: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{name}.py")),
        format!("import datetime\ndef later(at, minutes):\n    return {body}\n"),
    )
    .unwrap();
    on_python_path(dir.path());
    let manifest = format!(
        r#"{{"component": "clock", "module": "{name}", "compare": {compare},
            "functions": {{"later": {{"params": [{{"name": "at", "type": "datetime"}}, {{"name": "minutes", "type": "int"}}], "returns": "datetime"}}}}}}"#
    );
    let component = dir.path().join("clock");
    write_component(
        &component,
        &manifest,
        &[(
            "later",
            r#"[{"call": "later", "args": [{"$datetime": "2024-02-28T23:30:00+05:30"}, 45]}]"#,
        )],
    );
    let adapter = Adapter::new("clock").function(
        "later",
        |(Std(at), minutes): (Std<chrono::DateTime<chrono::FixedOffset>>, i64)| {
            Std(at + chrono::TimeDelta::minutes(minutes))
        },
    );
    run_component(&adapter, &component)
        .into_iter()
        .flat_map(|verdict| verdict.failures)
        .map(|failure| failure.message)
        .collect()
}

#[test]
fn a_datetime_that_keeps_its_instant_but_drops_its_offset_diverges_unless_instants_are_compared() {
    let right = "at + datetime.timedelta(minutes=minutes)";
    let in_utc = "(at + datetime.timedelta(minutes=minutes)).astimezone(datetime.timezone.utc)";
    assert_eq!(
        datetime_failures("clock_right", right, "{}"),
        Vec::<String>::new()
    );
    assert_eq!(
        datetime_failures("clock_utc", in_utc, "{}"),
        [
            "later(): at $: 2024-02-29T00:15:00+05:30 on rust, 2024-02-28T18:45:00+00:00 on python \
          (the same instant at another UTC offset)"
        ]
    );
    let instants = r#"{"datetimes": "instant"}"#;
    assert_eq!(
        datetime_failures("clock_utc_instants", in_utc, instants),
        Vec::<String>::new()
    );
    let an_hour_off = "at + datetime.timedelta(minutes=minutes + 60)";
    assert_eq!(
        datetime_failures("clock_late_instants", an_hour_off, instants).len(),
        1
    );
}
