//! The interpreter matrix of a merged report: one row per case, one column per interpreter.
//!
//! A report merged from runs on several interpreters holds each case once per interpreter. The
//! matrix puts them side by side, so that a case that diverges on one interpreter only stands
//! out; `merge` prints it as text and `report.html` shows it coloured.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pyo3_conformance_model::{CaseReport, CaseStatus, Interpreter, Report};

/// The interpreters of a report's cases, oldest first (none for a report of one run without
/// them).
pub(crate) fn interpreters(report: &Report) -> Vec<&Interpreter> {
    let mut found: Vec<&Interpreter> = Vec::new();
    for case in &report.cases {
        if let Some(interpreter) = &case.interpreter {
            if !found.contains(&interpreter) {
                found.push(interpreter);
            }
        }
    }
    found.sort_by_key(|i| i.sort_key());
    found
}

/// Each case id with its report on each of `columns` (absent where it did not run there).
pub(crate) fn rows<'r>(
    cases: impl IntoIterator<Item = &'r CaseReport>,
    columns: &[&Interpreter],
) -> BTreeMap<&'r str, Vec<Option<&'r CaseReport>>> {
    let mut rows: BTreeMap<&str, Vec<Option<&CaseReport>>> = BTreeMap::new();
    for case in cases {
        let row = rows
            .entry(case.id.as_str())
            .or_insert_with(|| vec![None; columns.len().max(1)]);
        let column = case
            .interpreter
            .as_ref()
            .and_then(|i| columns.iter().position(|c| *c == i))
            .unwrap_or(0);
        row[column] = Some(case);
    }
    rows
}

/// The word for a status in a matrix cell.
pub(crate) fn cell(case: Option<&CaseReport>) -> &'static str {
    match case.map(|c| c.status) {
        Some(CaseStatus::Pass) => "PASS",
        Some(CaseStatus::Fail) => "FAIL",
        Some(CaseStatus::Known) => "KNOWN",
        None => "-",
    }
}

/// Where a row's statuses differ across interpreters: `fails on 3.9 only`.
pub(crate) fn difference(row: &[Option<&CaseReport>], columns: &[&Interpreter]) -> Option<String> {
    // Where a case did not run (its wheel does not install there, say) there is nothing to
    // compare.
    let ran: Vec<(&str, &Interpreter)> = row
        .iter()
        .zip(columns)
        .filter(|(case, _)| case.is_some())
        .map(|(case, interpreter)| (cell(*case), *interpreter))
        .collect();
    if ran.windows(2).all(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    let failing: Vec<&str> = ran
        .iter()
        .filter(|(status, _)| *status == "FAIL")
        .map(|(_, interpreter)| interpreter.minor())
        .collect();
    Some(if failing.is_empty() {
        "differs across interpreters".to_owned()
    } else {
        format!("fails on {} only", failing.join(", "))
    })
}

/// The matrix as text, or `None` where the report has fewer than two interpreters.
pub(crate) fn text(report: &Report) -> Option<String> {
    let columns = interpreters(report);
    if columns.len() < 2 {
        return None;
    }
    let rows = rows(&report.cases, &columns);
    let width = rows.keys().map(|id| id.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    let _ = write!(out, "{:<width$}", "case");
    for column in &columns {
        let _ = write!(out, "  {:<6}", column.minor());
    }
    out.push('\n');
    for (id, row) in &rows {
        let _ = write!(out, "{id:<width$}");
        for case in row {
            let _ = write!(out, "  {:<6}", cell(*case));
        }
        if let Some(difference) = difference(row, &columns) {
            let _ = write!(out, "  <- {difference}");
        }
        out.push('\n');
    }
    Some(out)
}
