//! `report.html`: one self-contained page (no script, no network, no external asset) that a
//! person opens from a CI artifact.
//!
//! Shaped after the conformance matrices people read (Bowtie's, toml-test's): one table per
//! component, its cases down the side and the interpreters across, each cell coloured by status
//! and linked to the case's failures below, which open in place (`<details>`) with both sides,
//! the path where they part, the ledger's reason and the commands that rerun the case. Then the
//! property runs' figures and each component's API surface. It is rewritten with the other
//! reports after every case, so a partial run shows what has run.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pyo3_conformance_model::{CaseReport, CaseStatus, Report};

use super::matrix;

const STYLE: &str = "
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1b1b1b; }
h1 { margin-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.status { text-align: center; font-weight: 600; min-width: 4em; }
.pass { background: #c8f0c8; color: #145214; }
.fail { background: #f7c4c4; color: #7a0c0c; }
.known { background: #fbe7b0; color: #6b4b00; }
.skip { background: #dcdcf5; color: #262673; }
.none { background: #fafafa; color: #999; }
td.status a { color: inherit; }
details { border: 1px solid #ddd; border-radius: 4px; margin: 0.4em 0; padding: 0.3em 0.6em; }
summary { cursor: pointer; font-weight: 600; }
pre { background: #f7f7f7; padding: 0.4em; overflow-x: auto; white-space: pre-wrap; margin: 0.2em 0; }
.banner { padding: 0.5em 1em; border-radius: 4px; display: inline-block; }
";

/// The page for `report`.
pub(crate) fn page(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>pyo3-conformance report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Conformance report</h1>\n"
    );
    summary(&mut out, report);
    let columns = matrix::interpreters(report);
    let by_component = by_component(report);
    out.push_str("<h2>Matrix</h2>\n");
    for (component, cases) in &by_component {
        component_matrix(&mut out, component, cases, &columns);
    }
    out.push_str("<h2>Failures</h2>\n");
    let failing: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|c| c.status != CaseStatus::Pass)
        .collect();
    if failing.is_empty() {
        out.push_str("<p>None.</p>\n");
    }
    for case in failing {
        case_details(&mut out, case);
    }
    property_runs(&mut out, report);
    surfaces(&mut out, report);
    out.push_str("</body>\n</html>\n");
    out
}

fn summary(out: &mut String, report: &Report) {
    let s = &report.summary;
    let class = if s.failed > 0 { "fail" } else { "pass" };
    let _ = write!(
        out,
        "<p class=\"banner {class}\">{} passed, {} failed, {} known of {} cases",
        s.passed, s.failed, s.known, s.total
    );
    if s.skipped > 0 {
        let _ = write!(out, ", {} skipped", s.skipped);
    }
    if let Some(signal) = &report.interrupted {
        let _ = write!(out, " — partial: interrupted by {}", escape(signal));
    } else if !report.complete {
        out.push_str(" — partial: the run has not finished");
    }
    out.push_str("</p>\n");
}

fn by_component(report: &Report) -> BTreeMap<&str, Vec<&CaseReport>> {
    let mut components: BTreeMap<&str, Vec<&CaseReport>> = BTreeMap::new();
    for case in &report.cases {
        components
            .entry(case.component.as_str())
            .or_default()
            .push(case);
    }
    components
}

/// One component's table: cases down, interpreters across (one column where none is named).
fn component_matrix(
    out: &mut String,
    component: &str,
    cases: &[&CaseReport],
    columns: &[&pyo3_conformance_model::Interpreter],
) {
    let _ = write!(
        out,
        "<h3>{}</h3>\n<table class=\"matrix\">\n<tr><th>case</th>",
        escape(component)
    );
    if columns.is_empty() {
        out.push_str("<th>status</th>");
    }
    for column in columns {
        let _ = write!(
            out,
            "<th title=\"{} {} ({})\">{}</th>",
            escape(&column.implementation),
            escape(&column.version),
            escape(&column.abi),
            escape(column.minor())
        );
    }
    out.push_str("<th></th></tr>\n");
    for (id, row) in matrix::rows(cases.iter().copied(), columns) {
        let _ = write!(out, "<tr><td>{}</td>", escape(id));
        for case in &row {
            let word = matrix::cell(*case);
            let class = match case {
                Some(case) if skipped(case) => "skip",
                Some(case) => status_class(case.status),
                None => "none",
            };
            if case.is_none() {
                let _ = write!(
                    out,
                    "<td class=\"status none\" title=\"not run here\">-</td>"
                );
                continue;
            }
            match case {
                Some(case) if case.status != CaseStatus::Pass => {
                    let _ = write!(
                        out,
                        "<td class=\"status {class}\"><a href=\"#{}\">{word}</a></td>",
                        anchor(case)
                    );
                }
                _ => {
                    let _ = write!(out, "<td class=\"status {class}\">{word}</td>");
                }
            }
        }
        let note = matrix::difference(&row, columns).unwrap_or_default();
        let _ = writeln!(out, "<td>{}</td></tr>", escape(&note));
    }
    out.push_str("</table>\n");
}

fn skipped(case: &CaseReport) -> bool {
    case.failures.iter().any(|f| f.kind == "skip" && !f.known)
}

fn status_class(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Pass => "pass",
        CaseStatus::Fail => "fail",
        CaseStatus::Known => "known",
    }
}

/// The element id of a case's details (per interpreter).
fn anchor(case: &CaseReport) -> String {
    let interpreter = case
        .interpreter
        .as_ref()
        .map(|i| format!("@{}", i.minor()))
        .unwrap_or_default();
    format!("case-{}{interpreter}", case.id)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.@".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A case's failures, each with both sides, where they part, and the ledger's word.
fn case_details(out: &mut String, case: &CaseReport) {
    let status = match case.status {
        CaseStatus::Pass => "PASS",
        CaseStatus::Fail => "FAIL",
        CaseStatus::Known => "KNOWN",
    };
    let on = case
        .interpreter
        .as_ref()
        .map(|i| format!(" on {} {}", i.implementation, i.version))
        .unwrap_or_default();
    // New failures are open; known ones, which a reader has seen before, are closed.
    let open = if case.status == CaseStatus::Fail {
        " open"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<details id=\"{}\"{open}><summary class=\"{}\">{status} {}{}</summary>",
        anchor(case),
        status_class(case.status),
        escape(&case.id),
        escape(&on)
    );
    for failure in &case.failures {
        let _ = write!(
            out,
            "<p>{}</p>\n<table>\n",
            escape(&super::render::failure_line(failure))
        );
        let rows = [
            ("rust", failure.rust.as_deref()),
            ("python", failure.python.as_deref()),
            ("expected", failure.expected.as_deref()),
            ("path", failure.path.as_deref()),
            ("ledger", failure.ledger.as_deref()),
        ];
        for (name, value) in rows {
            if let Some(value) = value {
                let _ = writeln!(
                    out,
                    "<tr><th>{name}</th><td><pre>{}</pre></td></tr>",
                    escape(value)
                );
            }
        }
        out.push_str("</table>\n");
    }
    out.push_str("<p>Rerun:</p>\n<pre>");
    out.push_str(&escape(&case.rerun.conformance));
    if let Some(test) = &case.rerun.rust {
        let _ = write!(out, "\n{}", escape(test));
    }
    if let Some(pytest) = &case.rerun.python {
        let _ = write!(out, "\n{}", escape(pytest));
    }
    out.push_str("</pre>\n");
    for (name, text) in [
        ("stdout", &case.output.stdout),
        ("stderr", &case.output.stderr),
    ] {
        if !text.is_empty() {
            let _ = writeln!(out, "<p>Captured {name}:</p>\n<pre>{}</pre>", escape(text));
        }
    }
    out.push_str("</details>\n");
}

/// The property runs: each `<component>/properties` case's notes (targets, cases run).
fn property_runs(out: &mut String, report: &Report) {
    let runs: Vec<&CaseReport> = report
        .cases
        .iter()
        .filter(|c| c.id.ends_with("/properties") && !c.notes.is_empty())
        .collect();
    if runs.is_empty() {
        return;
    }
    out.push_str("<h2>Property runs</h2>\n");
    for case in runs {
        let _ = writeln!(out, "<h3>{}</h3>\n<ul>", escape(&case.component));
        for note in &case.notes {
            let _ = writeln!(out, "<li>{}</li>", escape(note));
        }
        out.push_str("</ul>\n");
    }
}

/// Each component's API surface as a table: member, then how the manifest, the runtime and
/// the stub show it.
fn surfaces(out: &mut String, report: &Report) {
    if report.surfaces.is_empty() {
        return;
    }
    out.push_str("<h2>API surface</h2>\n");
    for (component, table) in &report.surfaces {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<table>\n<tr><th>member</th><th>manifest</th><th>runtime</th><th>stub</th></tr>",
            escape(component)
        );
        let mut rows: Vec<(String, [String; 3])> = Vec::new();
        for line in table.lines() {
            if let Some(view) = line.strip_prefix("  ") {
                let (name, text) = view.split_once(' ').unwrap_or((view, ""));
                let column = match name {
                    "manifest" => 0,
                    "runtime" => 1,
                    "stub" => 2,
                    _ => continue,
                };
                if let Some((_, cells)) = rows.last_mut() {
                    cells[column] = text.trim().to_owned();
                }
            } else if !line.trim().is_empty() {
                rows.push((line.to_owned(), Default::default()));
            }
        }
        for (member, [manifest, runtime, stub]) in rows {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&member),
                escape(&manifest),
                escape(&runtime),
                escape(&stub)
            );
        }
        out.push_str("</table>\n");
    }
}

/// Text as HTML text or attribute value.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use pyo3_conformance_model::{CaseReport, CaseStatus, Report, ReportFailure, Rerun};

    use super::page;

    #[test]
    fn what_the_code_under_test_says_is_text_never_markup() {
        let mut report = Report::default();
        report.cases.push(CaseReport {
            id: "c/scenarios/<b>".to_owned(),
            component: "c".to_owned(),
            file: String::new(),
            status: CaseStatus::Fail,
            failures: vec![ReportFailure {
                kind: "output".to_owned(),
                message: "x(): at $: \"</pre><script>alert(1)</script>\" on python".to_owned(),
                path: Some("$".to_owned()),
                step: Some(1),
                rust: Some("1".to_owned()),
                python: Some("\"<script>\"".to_owned()),
                expected: None,
                known: false,
                ledger: None,
            }],
            rerun: Rerun {
                conformance: "conformance run 'c/scenarios/<b>'".to_owned(),
                rust: None,
                python: None,
            },
            notes: Vec::new(),
            output: Default::default(),
            interpreter: None,
        });
        report.recount();
        let html = page(&report);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("c/scenarios/&lt;b&gt;"));
    }
}
