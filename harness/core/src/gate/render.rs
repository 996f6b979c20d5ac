//! The gate's human- and CI-facing renderings of a report: JUnit XML (quick-junit: a test
//! suite per component, a test case per case) and a Markdown summary for a job summary page.

use std::collections::BTreeMap;
use std::fmt::Write;

use pyo3_conformance_model::{CaseReport, CaseStatus, Report};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

/// A failure's first line: `step 2 [output] (known) message`.
pub(super) fn failure_line(failure: &pyo3_conformance_model::ReportFailure) -> String {
    let known = if failure.known { " (known)" } else { "" };
    let step = failure
        .step
        .map(|s| format!("step {s} "))
        .unwrap_or_default();
    // An operation property runs could not generate: loud, not a bracket.
    let kind = if failure.kind == "skip" {
        "SKIP".to_owned()
    } else {
        format!("[{}]", failure.kind)
    };
    format!("{step}{kind}{known} {}", failure.message)
}

pub(super) fn details(case: &CaseReport) -> String {
    let mut text = String::new();
    for failure in &case.failures {
        let _ = writeln!(text, "{}", failure_line(failure));
        if let Some(expected) = &failure.expected {
            let _ = writeln!(text, "  expected: {expected}");
        }
        if let Some(rust) = &failure.rust {
            let _ = writeln!(text, "  rust:   {rust}");
        }
        if let Some(python) = &failure.python {
            let _ = writeln!(text, "  python: {python}");
        }
        if let Some(ledger) = &failure.ledger {
            let _ = writeln!(text, "  ledger: {ledger}");
        }
    }
    let _ = writeln!(text, "rerun: {}", case.rerun.conformance);
    if let Some(rust) = &case.rerun.rust {
        let _ = writeln!(text, "rerun in Rust: {rust}");
    }
    if let Some(python) = &case.rerun.python {
        let _ = writeln!(text, "rerun in Python: {python}");
    }
    text
}

/// JUnit XML: one test suite per component, one test case per case; known divergences are
/// reported as skipped, with the ledger's reason.
pub(super) fn junit(report: &Report) -> String {
    let mut junit = quick_junit::Report::new("pyo3-conformance");
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for case in &report.cases {
        let status = match case.status {
            CaseStatus::Pass => TestCaseStatus::success(),
            CaseStatus::Known => {
                let mut status = TestCaseStatus::skipped();
                status.set_message("known divergence (ledger)");
                status.set_description(details(case));
                status
            }
            CaseStatus::Fail => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let first = case
                    .failures
                    .iter()
                    .find(|f| !f.known)
                    .or(case.failures.first());
                if let Some(first) = first {
                    status.set_message(first.message.clone());
                    status.set_type(first.kind.clone());
                }
                status.set_description(details(case));
                status
            }
        };
        let mut test_case = TestCase::new(case.id.clone(), status);
        test_case.set_classname(case.component.clone());
        // What the case says besides its failures: a property run's targets and case counts.
        // And what the code under test wrote while it ran.
        let system_out: Vec<&str> = case
            .notes
            .iter()
            .map(String::as_str)
            .chain((!case.output.stdout.is_empty()).then_some(case.output.stdout.as_str()))
            .collect();
        if !system_out.is_empty() {
            test_case.set_system_out(system_out.join("\n"));
        }
        if !case.output.stderr.is_empty() {
            test_case.set_system_err(case.output.stderr.clone());
        }
        suites
            .entry(&case.component)
            .or_insert_with(|| TestSuite::new(case.component.clone()))
            .add_test_case(test_case);
    }
    junit.add_test_suites(suites.into_values());
    junit.to_string().expect("JUnit XML serializes")
}

/// How much each property run searched: its budget, and the cases each target ran.
fn property_runs(out: &mut String, report: &Report) {
    let runs: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|c| c.id.ends_with("/properties"))
        .collect();
    if runs.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Property runs\n");
    for case in runs {
        let counts: Vec<&str> = case
            .notes
            .iter()
            .filter(|n| {
                n.contains(", seed ")
                    || (n.contains(" cases") && !n.contains("minimal case") && !n.contains("SKIP"))
            })
            .map(String::as_str)
            .collect();
        let _ = writeln!(out, "- `{}`: {}", case.id, counts.join("; "));
    }
}

/// The operations property runs did not generate, each with why: those the manifest opts out
/// (from the `properties` cases' notes) and those it does not (`skip` failures), so a green
/// run never hides what it did not test.
fn skipped(out: &mut String, report: &Report) {
    let mut rows: Vec<(&str, String, &str)> = Vec::new();
    for case in &report.cases {
        for failure in case.failures.iter().filter(|f| f.kind == "skip") {
            let status = if failure.known {
                "SKIP (known)"
            } else {
                "**SKIP**"
            };
            rows.push((&case.id, escape(&failure.message), status));
        }
        for note in case
            .notes
            .iter()
            .filter(|n| n.ends_with(crate::property::OPTED_OUT))
        {
            rows.push((&case.id, escape(note), "opted out"));
        }
    }
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## Not generated by property runs\n\n| case | operation | status |\n|---|---|---|"
    );
    for (case, text, status) in rows {
        let _ = writeln!(out, "| `{case}` | {text} | {status} |");
    }
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown summary: the verdict, a table per component, every failure with its rerun
/// commands, and the known divergences with their reasons.
pub(super) fn markdown(report: &Report) -> String {
    let summary = &report.summary;
    let mut out = String::new();
    let verdict = if summary.failed == 0 {
        "✅ conforms"
    } else {
        "❌ diverges"
    };
    let _ = writeln!(out, "# pyo3-conformance: {verdict}\n");
    let mut status = format!("**{} passed, {} failed**", summary.passed, summary.failed);
    if summary.known > 0 {
        status.push_str(&format!(", {} known", summary.known));
    }
    if summary.skipped > 0 {
        status.push_str(&format!(", **{} SKIPPED**", summary.skipped));
    }
    let _ = write!(out, "{status} of {} cases", summary.total);
    if let Some(shard) = &report.shard {
        let _ = write!(out, " (shard {shard})");
    }
    if let Some(signal) = &report.interrupted {
        let _ = write!(
            out,
            " — **partial report: the run was interrupted by {signal}**"
        );
    } else if !report.complete {
        let _ = write!(out, " — **partial report: the run has not finished**");
    }
    let _ = writeln!(out, "\n");
    let mut components: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for case in &report.cases {
        let counts = components.entry(&case.component).or_default();
        counts[match case.status {
            CaseStatus::Pass => 0,
            CaseStatus::Fail => 1,
            CaseStatus::Known => 2,
        }] += 1;
    }
    let _ = writeln!(
        out,
        "| component | passed | failed | known |\n|---|---:|---:|---:|"
    );
    for (component, [passed, failed, known]) in &components {
        let _ = writeln!(out, "| {component} | {passed} | {failed} | {known} |");
    }
    let failed: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|c| c.status == CaseStatus::Fail)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\n## Failures\n");
        for case in failed {
            let _ = writeln!(out, "### `{}`\n", case.id);
            for failure in case.failures.iter().filter(|f| !f.known) {
                let step = failure
                    .step
                    .map(|s| format!("step {s}, "))
                    .unwrap_or_default();
                let _ = writeln!(out, "- **{step}{}**: {}", failure.kind, failure.message);
                let sides = pyo3_conformance_model::labelled_sides(
                    failure.expected.as_deref(),
                    failure.rust.as_deref(),
                    failure.python.as_deref(),
                );
                for (side, value) in sides {
                    let _ = writeln!(out, "  - {side}: `{}`", escape(value));
                }
            }
            let _ = writeln!(out, "\nRerun: `{}`", case.rerun.conformance);
            if let Some(rust) = &case.rerun.rust {
                let _ = writeln!(out, "· Rust: `{rust}`");
            }
            if let Some(python) = &case.rerun.python {
                let _ = writeln!(out, "· Python: `{python}`");
            }
            let _ = writeln!(out);
        }
    }
    property_runs(&mut out, report);
    skipped(&mut out, report);
    let known: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|c| c.failures.iter().any(|f| f.known))
        .collect();
    if !known.is_empty() {
        let _ = writeln!(
            out,
            "\n## Known divergences (ledger)\n\n| case | kind | divergence | reason |\n|---|---|---|---|"
        );
        for case in known {
            for failure in case.failures.iter().filter(|f| f.known) {
                let reason = failure.ledger.as_deref().unwrap_or("");
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} |",
                    case.id,
                    failure.kind,
                    escape(&failure.message),
                    escape(reason)
                );
            }
        }
    }
    out
}
