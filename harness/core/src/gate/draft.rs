//! `conformance ledger update`: few, general entries drafted from a gate report's failures,
//! for a person to give reasons.
//!
//! A failure's message is generalised before it becomes an entry's pattern: quoted values and
//! numbers become patterns (`"[^"]*"`, a number), absolute paths `\S+`. Failures of one case
//! and kind whose generalised messages are alike become one entry with no step, so one broken
//! operation in a scenario is one entry, not one per step. A message about a member
//! (`rtoml.VERSION: present at runtime, not declared in the manifest`) is split at its subject:
//! findings alike but for the member become one entry whose pattern lists those members
//! (`^(?:rtoml\.VERSION|rtoml\.load): present at runtime, …$`), so it still matches only
//! what it covers. Setup conditions are never drafted: a missing snapshot (`<component>/snapshots`),
//! a stale ledger entry (`<component>/ledger`), a ledger entry that no longer holds.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use pyo3_conformance_model::{LedgerEntry, Report, Selector};
use regex::Regex;

/// Quoted values, numbers and absolute paths: the parts of a message that vary between
/// failures of one kind.
static VARYING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|/[^\s)'"]*/[^\s)'"]+|-?\b[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\b"#)
        .expect("a valid pattern")
});

/// A member subject at the start of a message: a dotted name and `: `.
static SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z_][A-Za-z0-9_.]*): ").expect("a valid pattern"));

/// A message as a pattern that matches it and its like.
fn generalise(message: &str) -> String {
    let mut pattern = String::new();
    let mut at = 0;
    for found in VARYING.find_iter(message) {
        pattern.push_str(&regex::escape(&message[at..found.start()]));
        let text = found.as_str();
        pattern.push_str(match text.as_bytes()[0] {
            b'"' => r#""(?:[^"\\]|\\.)*""#,
            b'\'' => r"'(?:[^'\\]|\\.)*'",
            b'/' => r"\S+",
            _ => r"-?[0-9][0-9.eE+-]*",
        });
        at = found.end();
    }
    pattern.push_str(&regex::escape(&message[at..]));
    pattern
}

/// Whether a failure is a setup condition, never a divergence to accept.
fn is_setup(case_id: &str, message: &str) -> bool {
    let rest = case_id.split_once('/').map_or("", |(_, rest)| rest);
    matches!(rest, "snapshots" | "ledger") || message.starts_with("ledger: ")
}

/// The entries for the failures of `report` that no entry accepts, by component.
pub(crate) fn new_entries(report: &Report) -> BTreeMap<String, Vec<LedgerEntry>> {
    // (component, case, kind, generalised predicate) → the subjects it holds for.
    let mut groups: BTreeMap<(String, String, String, String), Vec<String>> = BTreeMap::new();
    for case in &report.cases {
        for failure in case.failures.iter().filter(|f| !f.known) {
            if is_setup(&case.id, &failure.message) {
                continue;
            }
            let (subject, predicate) = match SUBJECT.captures(&failure.message) {
                Some(found) => (
                    Some(found[1].to_owned()),
                    &failure.message[found[0].len()..],
                ),
                None => (None, failure.message.as_str()),
            };
            let key = (
                case.component.clone(),
                case.id.clone(),
                failure.kind.clone(),
                generalise(predicate),
            );
            let subjects = groups.entry(key).or_default();
            if let Some(subject) = subject {
                if !subjects.contains(&subject) {
                    subjects.push(subject);
                }
            }
        }
    }
    let mut found: BTreeMap<String, Vec<LedgerEntry>> = BTreeMap::new();
    for ((component, case, kind, predicate), mut subjects) in groups {
        subjects.sort();
        let message = if subjects.is_empty() {
            format!("^{predicate}$")
        } else {
            let names: Vec<String> = subjects.iter().map(|s| regex::escape(s)).collect();
            format!("^(?:{}): {predicate}$", names.join("|"))
        };
        found.entry(component).or_default().push(LedgerEntry {
            selector: Selector {
                case: Some(case),
                step: None,
                operation: None,
                interpreters: Vec::new(),
            },
            kind,
            message,
            reason: "TODO: why this divergence is accepted".to_owned(),
            link: String::new(),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_quoted_values_and_paths_become_patterns() {
        let message = r#"get(): at $[2]: "a\"b" on rust, 'c' on python, 1.5e3 in /tmp/x/y.json"#;
        let pattern = Regex::new(&format!("^{}$", generalise(message))).unwrap();
        assert!(pattern.is_match(message));
        assert!(pattern.is_match(r#"get(): at $[17]: "other" on rust, 'd' on python, -2 in /a/b"#));
        assert!(!pattern.is_match(r#"put(): at $[2]: "a" on rust, 'c' on python, 1 in /a"#));
    }

    #[test]
    fn setup_conditions_are_never_drafted() {
        assert!(is_setup(
            "seed/snapshots",
            "no recorded Rust result (/abs/path.snap)"
        ));
        assert!(is_setup("seed/ledger", "ledger: stale entry"));
        assert!(is_setup("seed/scenarios/x", "ledger: unexpected pass — …"));
        assert!(!is_setup(
            "seed/scenarios/x",
            "get(): at $: 1 on rust, 2 on python"
        ));
    }
}
