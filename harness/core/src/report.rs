//! Rendering verdicts for people: the terminal report of `conformance run` and test failures.
//!
//! A failing scenario shows each failure with its step, kind and message, both sides on their
//! own lines, the path where the values part, and a command that reruns just that scenario.
//! The library never prints: it returns text, and the CLI decides where it goes.

use std::fmt::Write;

use pyo3_conformance_model::ScenarioVerdict;

/// The command that reruns one scenario, in both languages.
pub fn rerun_command(id: &str) -> String {
    let component = id.split('/').next().unwrap_or(id);
    format!("conformance run --component {component} '{id}'")
}

/// One scenario's verdict: a `PASS` line, or a `FAIL` block with every failure.
pub fn render_verdict(verdict: &ScenarioVerdict) -> String {
    let mut out = String::new();
    if verdict.passed() {
        let _ = writeln!(out, "PASS {}{}", verdict.id, steps(verdict));
        for note in &verdict.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        return out;
    }
    let count = verdict.failures.len();
    let plural = if count == 1 { "" } else { "s" };
    let _ = writeln!(
        out,
        "FAIL {}{} — {count} failure{plural}",
        verdict.id,
        steps(verdict)
    );
    let failures = &verdict.failures;
    for (index, failure) in failures.iter().enumerate() {
        let step = failure
            .step
            .map(|s| format!("step {}", s + 1))
            .unwrap_or_else(|| "scenario".to_owned());
        let _ = writeln!(
            out,
            "  {step} [{}] {}",
            failure.kind.as_str(),
            failure.message
        );
        // Several differences inside one comparison share both sides: show them once, after
        // the last of the group. (Each message already names its path.)
        let same_sides = |other: &pyo3_conformance_model::Failure| {
            other.step == failure.step
                && other.rust == failure.rust
                && other.python == failure.python
                && other.expected == failure.expected
        };
        if failures.get(index + 1).is_some_and(same_sides) {
            continue;
        }
        for (side, value) in failure.sides() {
            let _ = writeln!(out, "    {side:<8} {}", shorten(value));
        }
    }
    for note in &verdict.notes {
        let _ = writeln!(out, "  note:  {note}");
    }
    let _ = writeln!(out, "  file:  {}", verdict.file);
    let _ = writeln!(out, "  rerun: {}", rerun_command(&verdict.id));
    out
}

/// How many characters of one side a terminal shows (a 200,000-digit int would flood it).
const SHOWN_CHARS: usize = 2_000;

/// `value`, or its first [`SHOWN_CHARS`] characters and how many more there are.
fn shorten(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(SHOWN_CHARS) {
        None => value.into(),
        Some((cut, _)) => format!(
            "{}… ({} more characters; the whole value is in report.json)",
            &value[..cut],
            value[cut..].chars().count()
        )
        .into(),
    }
}

fn steps(verdict: &ScenarioVerdict) -> String {
    match verdict.steps.len() {
        0 => String::new(),
        1 => " (1 step)".to_owned(),
        n => format!(" ({n} steps)"),
    }
}

/// The closing line: `N passed, N failed`.
pub fn render_totals(passed: usize, failed: usize) -> String {
    format!("{passed} passed, {failed} failed")
}

/// What the code under test wrote while a case ran, indented under its failure: `--- stdout ---`
/// and `--- stderr ---` sections, nothing where it wrote nothing.
pub(crate) fn render_output(output: &pyo3_conformance_model::CapturedOutput) -> String {
    let mut out = String::new();
    for (name, text) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if text.is_empty() {
            continue;
        }
        out.push_str(&format!("  --- {name} ---\n"));
        for line in text.lines() {
            out.push_str(&format!("  | {line}\n"));
        }
    }
    out
}
