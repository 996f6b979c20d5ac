//! The gate's bookkeeping: the divergence ledger applied to verdicts, and the three reports.
//!
//! Every verdict becomes a `CaseReport`. A failure a ledger entry accepts (same case or step or
//! operation, same kind, message matching the entry's pattern) is *known*; a case whose every
//! failure is known is `known`, and does not fail the gate. The ledger is held to account as
//! rigorously as the code: an entry about a case that now passes (unexpected pass), or that
//! fails only in other ways (a different failure), turns that case into a failure saying so,
//! and an entry about a case or operation that does not exist (stale) fails the
//! `<component>/ledger` case.
//!
//! `Reports` rewrites `report.json`, `junit.xml` and `summary.md` after every case (each to a
//! temporary file, then renamed), so an interrupted run leaves readable partial reports.

mod draft;
mod html;
pub(crate) mod matrix;
mod render;

pub(crate) use draft::new_entries;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pyo3_conformance_model::{
    CaseReport, CaseStatus, Failure, FailureKind, Ledger, LedgerEntry, Report, ReportFailure,
    Rerun, ScenarioVerdict,
};

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::{ComponentFixtures, read_json};

/// The file name of a component's ledger.
pub const LEDGER: &str = "ledger.json";

/// Reads a component's ledger (none is an empty ledger); errors name the file and line.
pub fn load_ledger(component: &ComponentFixtures) -> Result<Ledger> {
    let path = component.dir.join(LEDGER);
    if !path.is_file() {
        return Ok(Ledger::default());
    }
    let (ledger, _): (Ledger, _) = read_json(&path)?;
    for entry in &ledger.entries {
        if let Err(error) = regex::Regex::new(&entry.message) {
            return Err(Error::in_file(
                &path,
                ErrorKind::Invalid(format!("bad message pattern {:?}: {error}", entry.message)),
            ));
        }
        if entry.selector.case.is_none() && entry.selector.operation.is_none() {
            return Err(Error::in_file(
                &path,
                ErrorKind::Invalid("a selector names a `case` or an `operation`".to_owned()),
            ));
        }
        let minor = |text: &str| {
            text.split_once('.').is_some_and(|(major, minor)| {
                !major.is_empty()
                    && !minor.is_empty()
                    && (major.chars().chain(minor.chars())).all(|c| c.is_ascii_digit())
            })
        };
        if let Some(bad) = entry.selector.interpreters.iter().find(|i| !minor(i)) {
            return Err(Error::in_file(
                &path,
                ErrorKind::Invalid(format!(
                    "interpreters are named major.minor, such as \"3.9\", not {bad:?}"
                )),
            ));
        }
    }
    Ok(ledger)
}

/// Whether an entry applies in this process's interpreter: unscoped, or scoped to it.
fn in_scope(entry: &LedgerEntry) -> bool {
    let scope = &entry.selector.interpreters;
    scope.is_empty()
        || crate::python::interpreter::current()
            .is_some_and(|current| scope.iter().any(|minor| minor == current.minor()))
}

fn matches_place(entry: &LedgerEntry, case: &str, failure: &Failure) -> bool {
    let selector = &entry.selector;
    in_scope(entry)
        && selector.case.as_deref().is_none_or(|c| c == case)
        && selector
            .step
            .is_none_or(|step| failure.step.map(|s| s + 1) == Some(step))
        && selector
            .operation
            .as_ref()
            .is_none_or(|op| failure.operation.as_ref() == Some(op))
}

fn accepts(entry: &LedgerEntry, case: &str, failure: &Failure) -> bool {
    matches_place(entry, case, failure)
        && entry.kind == failure.kind.as_str()
        && regex::Regex::new(&entry.message).is_ok_and(|re| re.is_match(&failure.message))
}

/// The index of the first ledger entry that accepts `failure` in case `case`, if any: how a
/// property run tells a known divergence from a new one while it searches, exactly as the
/// gate will judge the run's case.
pub(crate) fn accepting_entry(ledger: &Ledger, case: &str, failure: &Failure) -> Option<usize> {
    ledger
        .entries
        .iter()
        .position(|e| accepts(e, case, failure))
}

/// The commands that rerun one case alone.
pub(crate) fn rerun(adapter: Option<&Adapter>, id: &str) -> Rerun {
    let (component, rest) = id.split_once('/').unwrap_or((id, ""));
    let gate_only = matches!(rest, "snapshots" | "properties" | "ledger");
    let command = if gate_only { "gate" } else { "run" };
    let conformance = format!("conformance {command} --component {component} '{id}'");
    let test = match rest {
        "signatures" => Some("api_surface::manifest.json".to_owned()),
        "errors" => Some("error_contract::manifest.json".to_owned()),
        "properties" => Some("properties::manifest.json".to_owned()),
        "snapshots" | "ledger" => None,
        scenario => Some(format!("scenario::{scenario}.json")),
    };
    let rust =
        adapter
            .and_then(Adapter::cargo_test_target)
            .zip(test)
            .map(|((package, target), test)| {
                format!("cargo test -p {package} --test {target} -- --exact '{test}'")
            });
    let python = (!gate_only && rest.contains('/')).then(|| format!("pytest -k '{id}'"));
    Rerun {
        conformance,
        rust,
        python,
    }
}

fn report_failure(failure: &Failure, known: Option<&LedgerEntry>) -> ReportFailure {
    ReportFailure {
        kind: failure.kind.as_str().to_owned(),
        message: failure.message.clone(),
        path: failure.path.clone(),
        step: failure.step.map(|s| s + 1),
        rust: failure.rust.clone(),
        python: failure.python.clone(),
        expected: failure.expected.clone(),
        known: known.is_some(),
        ledger: known.map(|e| {
            if e.link.is_empty() {
                e.reason.clone()
            } else {
                format!("{} ({})", e.reason, e.link)
            }
        }),
    }
}

/// A verdict judged against the ledger: known failures, unexpected passes, different failures.
pub fn case_report(verdict: &ScenarioVerdict, ledger: &Ledger, rerun: Rerun) -> CaseReport {
    let id = &verdict.id;
    let mut failures: Vec<ReportFailure> = verdict
        .failures
        .iter()
        .map(|f| {
            report_failure(
                f,
                accepting_entry(ledger, id, f).map(|i| &ledger.entries[i]),
            )
        })
        .collect();
    // Entries about this very case must still hold.
    for entry in ledger
        .entries
        .iter()
        .filter(|e| e.selector.case.as_deref() == Some(id.as_str()) && in_scope(e))
    {
        let in_place: Vec<&Failure> = verdict
            .failures
            .iter()
            .filter(|f| matches_place(entry, id, f))
            .collect();
        let holds = in_place.iter().any(|f| accepts(entry, id, f));
        if holds {
            continue;
        }
        let message = if in_place.is_empty() {
            format!(
                "ledger: unexpected pass — {} no longer fails with {} /{}/ ({}); remove the entry",
                entry.selector.describe(),
                entry.kind,
                entry.message,
                entry.reason
            )
        } else {
            format!(
                "ledger: {} fails differently than recorded — the entry expects {} /{}/, the case has {}",
                entry.selector.describe(),
                entry.kind,
                entry.message,
                in_place
                    .iter()
                    .map(|f| format!("{} \"{}\"", f.kind.as_str(), f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        let kind = FailureKind::Output;
        let mut failure = report_failure(&Failure::new(kind, message), None);
        failure.kind = entry.kind.clone();
        failures.push(failure);
    }
    let status = if failures.is_empty() {
        CaseStatus::Pass
    } else if failures.iter().all(|f| f.known) {
        CaseStatus::Known
    } else {
        CaseStatus::Fail
    };
    CaseReport {
        id: id.clone(),
        component: verdict.component.clone(),
        file: verdict.file.clone(),
        status,
        failures,
        rerun,
        notes: verdict.notes.clone(),
        output: verdict.output.clone(),
        interpreter: crate::python::interpreter::current().cloned(),
    }
}

/// A verdict judged against its component's ledger, for the test front ends (`cargo test`,
/// pytest): `Err` with a readable account when it fails outside the ledger.
pub fn judged(
    component: &ComponentFixtures,
    adapter: Option<&Adapter>,
    verdict: &ScenarioVerdict,
) -> Result<CaseReport> {
    let ledger = load_ledger(component)?;
    Ok(case_report(verdict, &ledger, rerun(adapter, &verdict.id)))
}

/// A failing case as text: each failure not accepted by the ledger, both sides, the rerun.
pub fn render_case(case: &CaseReport) -> String {
    render::details(case)
}

/// The `<component>/ledger` case: entries that select nothing that exists are stale.
pub(crate) fn ledger_verdict(
    component: &ComponentFixtures,
    ledger: &Ledger,
    all_case_ids: &BTreeSet<String>,
) -> ScenarioVerdict {
    let manifest = &component.manifest;
    let operations: BTreeSet<String> = manifest
        .functions
        .keys()
        .cloned()
        .chain(manifest.classes.iter().flat_map(|(name, class)| {
            class
                .constructor
                .is_some()
                .then(|| name.clone())
                .into_iter()
                .chain(class.methods.keys().map(move |m| format!("{name}.{m}")))
                .chain(class.properties.keys().map(move |p| format!("{name}.{p}")))
        }))
        .collect();
    let mut failures = Vec::new();
    for entry in &ledger.entries {
        let stale = match (&entry.selector.case, &entry.selector.operation) {
            (Some(case), _) if !all_case_ids.contains(case) => {
                Some(format!("case {case} does not exist"))
            }
            (_, Some(operation)) if !operations.contains(operation) => {
                Some(format!("operation {operation} is not in the manifest"))
            }
            _ => None,
        };
        if let Some(why) = stale {
            failures.push(Failure::new(
                FailureKind::Output,
                format!(
                    "ledger: stale entry — {why} (entry for {} /{}/: {})",
                    entry.kind, entry.message, entry.reason
                ),
            ));
        }
    }
    let notes = vec![format!("{} ledger entries", ledger.entries.len())];
    ScenarioVerdict {
        id: format!("{}/ledger", manifest.component),
        component: manifest.component.clone(),
        file: component.dir.join(LEDGER).display().to_string(),
        steps: Vec::new(),
        failures,
        notes,
        output: Default::default(),
    }
}

/// The three reports, rewritten as cases arrive.
pub(crate) struct Reports {
    dir: PathBuf,
    report: Report,
}

fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| Error::in_file(path, ErrorKind::Io(e)))
}

impl Reports {
    /// Starts the reports in `dir` (created), for a run of `shard` (`K/N`) if sharded.
    pub(crate) fn start(dir: &Path, shard: Option<String>) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::in_file(dir, ErrorKind::Io(e)))?;
        let reports = Self {
            dir: dir.to_owned(),
            report: Report {
                shard,
                ..Report::default()
            },
        };
        reports.write()?;
        Ok(reports)
    }

    /// Keeps each component's API-surface table for report.html.
    pub(crate) fn set_surfaces(&mut self, surfaces: BTreeMap<String, String>) {
        self.report.surfaces = surfaces;
    }

    /// Adds a case and rewrites the reports.
    pub(crate) fn add(&mut self, case: CaseReport) -> Result<()> {
        self.report.cases.push(case);
        self.report.recount();
        self.write()
    }

    /// Marks the run complete and rewrites the reports; returns the final report.
    pub(crate) fn finish(mut self) -> Result<Report> {
        self.report.complete = true;
        self.report.recount();
        self.write()?;
        Ok(self.report)
    }

    /// Marks the run as stopped by `signal` before it was complete, and rewrites the reports.
    pub(crate) fn interrupt(mut self, signal: i32) -> Result<Report> {
        self.report.interrupted = Some(crate::interrupt::name(signal).to_owned());
        self.report.recount();
        self.write()?;
        Ok(self.report)
    }

    fn write(&self) -> Result<()> {
        write_reports(&self.dir, &self.report)
    }
}

/// Writes `report.json`, `junit.xml` and `summary.md` for a report.
pub fn write_reports(dir: &Path, report: &Report) -> Result<()> {
    let mut json = serde_json::to_string_pretty(report).expect("reports serialize");
    json.push('\n');
    write_atomically(&dir.join("report.json"), &json)?;
    write_atomically(&dir.join("junit.xml"), &render::junit(report))?;
    write_atomically(&dir.join("summary.md"), &render::markdown(report))?;
    write_atomically(&dir.join("report.html"), &html::page(report))
}

/// Reads a `report.json`.
pub fn read_report(path: &Path) -> Result<Report> {
    read_json(path).map(|(report, _)| report)
}

/// Merges shard reports into the report of one run.
pub fn merge(reports: Vec<Report>) -> Report {
    let mut merged = Report {
        complete: reports.iter().all(|r| r.complete),
        interrupted: reports.iter().find_map(|r| r.interrupted.clone()),
        ..Report::default()
    };
    // A case is one per interpreter: shards of one run share theirs, runs on several
    // interpreters keep each.
    let reports_surfaces: Vec<_> = reports.iter().map(|r| r.surfaces.clone()).collect();
    let mut seen = BTreeSet::new();
    for case in reports.into_iter().flat_map(|r| r.cases) {
        if seen.insert((case.id.clone(), case.interpreter.clone())) {
            merged.cases.push(case);
        }
    }
    for report in &reports_surfaces {
        for (component, table) in report {
            merged
                .surfaces
                .entry(component.clone())
                .or_insert_with(|| table.clone());
        }
    }
    merged.recount();
    merged
}

/// The closing line: `N passed, N failed` and `, N known` when there are known divergences.
pub(crate) fn totals_line(report: &Report) -> String {
    let summary = &report.summary;
    let mut line = format!("{} passed, {} failed", summary.passed, summary.failed);
    if summary.known > 0 {
        line.push_str(&format!(", {} known", summary.known));
    }
    if summary.skipped > 0 {
        line.push_str(&format!(
            ", {} SKIPPED (not generated by property runs)",
            summary.skipped
        ));
    }
    line
}

/// Whether case `id` belongs to shard `index` of `count` (1-based `index`): by a stable hash of
/// the id, so the split does not depend on the order or number of other cases.
pub fn in_shard(id: &str, index: usize, count: usize) -> bool {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % count as u64) as usize == index - 1
}
