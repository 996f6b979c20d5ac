//! Recorded Rust results: what the Rust side did at every step of a scenario, kept as an insta
//! snapshot so that the Python side can be checked without Rust (the pytest plugin) and any
//! change of Rust behaviour shows in review.
//!
//! `cargo test` records one snapshot per scenario file, `snapshots/<component>/<path>.snap`
//! with the path's `/` as `__` (`scenarios__store_basic.snap`). The body is JSON, one object per
//! step (`{"step": "s.put()", "outcome": "returned", "value": null}`), readable in review and by
//! any language. The pytest plugin reads it back, runs the Python side, judges each step with
//! the same judge as `cargo test`, and on request writes the Python side as a pending
//! `.snap.new` in insta's own format, so `cargo insta review` shows Python differences too.

use std::path::{Path, PathBuf};

use pyo3_conformance_model::{Observed, ScenarioVerdict};
use serde::{Deserialize, Serialize};

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::{ComponentFixtures, component_dir_of, load_component};
use crate::plan::{plan_python_only, plan_scenario};
use crate::runner::{run_python, run_rust, verdict_of};

/// One step as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedStep {
    /// The step's label.
    pub step: String,
    /// What the side did (its outcome, and its callback calls where it made any).
    #[serde(flatten)]
    pub observed: Observed,
}

/// The snapshot name of a scenario: its path below the component, `/` as `__`.
pub fn snapshot_name(scenario_id: &str) -> String {
    let relative = scenario_id
        .split_once('/')
        .map(|(_, rest)| rest)
        .unwrap_or(scenario_id);
    relative.replace('/', "__")
}

/// A component's API-surface table as its committed snapshot holds it (none where it has
/// none yet: the snapshots case says so), for report.html.
pub fn api_surface_table(component: &ComponentFixtures) -> Option<String> {
    let text = std::fs::read_to_string(snapshot_dir(component).join("api_surface.snap")).ok()?;
    let (_, body) = text.strip_prefix("---\n")?.split_once("\n---\n")?;
    Some(body.to_owned())
}

/// Where a component's snapshots live: `snapshots/<component>/` beside `fixtures/`.
pub fn snapshot_dir(component: &ComponentFixtures) -> PathBuf {
    let dir = component
        .dir
        .canonicalize()
        .unwrap_or_else(|_| component.dir.clone());
    let root = dir
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    root.join("snapshots").join(&component.manifest.component)
}

/// The snapshot body for one side of a run.
pub fn snapshot_body(labels: &[String], outcomes: &[Observed]) -> String {
    let steps: Vec<RecordedStep> = labels
        .iter()
        .zip(outcomes)
        .map(|(step, observed)| RecordedStep {
            step: step.clone(),
            observed: observed.clone(),
        })
        .collect();
    serde_json::to_string_pretty(&steps).expect("outcomes serialize")
}

/// Reads a snapshot file (insta format: a `---` header, then the body).
pub fn read_snapshot(path: &Path) -> Result<Vec<RecordedStep>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::in_file(path, ErrorKind::Io(e)))?;
    let body = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(_, body)| body)
        .ok_or_else(|| {
            Error::in_file(
                path,
                ErrorKind::Format("not an insta snapshot (no `---` header)".to_owned()),
            )
        })?;
    let offset = text.len() - body.len();
    serde_json::from_str(body).map_err(|e| {
        let line = text[..offset].matches('\n').count() + e.line();
        Error::in_file(
            path,
            ErrorKind::Format(
                e.to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            ),
        )
        .at_line(line)
    })
}

/// The outcome of checking the Python side of one scenario against its recorded Rust result.
#[derive(Debug, Clone)]
pub struct RecordedCheck {
    /// The verdict, judged exactly as `cargo test` judges.
    pub verdict: ScenarioVerdict,
    /// The snapshot read.
    pub snapshot: PathBuf,
    /// The Python side in the snapshot format, for a pending `.snap.new`.
    pub python_body: String,
    /// The verdict judged against the component's ledger.
    pub case: pyo3_conformance_model::CaseReport,
}

/// Runs the Python side of the scenario at `path` in this process's interpreter and judges it
/// against the recorded Rust result. No Rust adapter is needed.
pub fn check_against_recorded(path: &Path) -> Result<RecordedCheck> {
    let component = load_component(&component_dir_of(path)?)?;
    let plan = plan_python_only(&component, path)?;
    let snapshot = snapshot_dir(&component).join(format!("{}.snap", snapshot_name(&plan.id)));
    if !snapshot.is_file() {
        return Err(Error::in_file(
            &snapshot,
            ErrorKind::Usage(format!(
                "no recorded Rust result for {}: record it with `INSTA_UPDATE=always cargo test` in the adapter's crate (a first `cargo test` writes it as a pending `.snap.new` only)",
                plan.id
            )),
        ));
    }
    let recorded = read_snapshot(&snapshot)?;
    let labels: Vec<String> = plan.steps.iter().map(|s| s.label.to_string()).collect();
    let recorded_labels: Vec<String> = recorded.iter().map(|s| s.step.clone()).collect();
    if recorded_labels != labels {
        return Err(Error::in_file(
            &snapshot,
            ErrorKind::Invalid(format!(
                "records steps {recorded_labels:?}, but the scenario now has {labels:?}: re-record with `INSTA_UPDATE=always cargo test` in the adapter's crate"
            )),
        ));
    }
    let python = run_python(
        &component.manifest,
        &plan,
        &mut crate::python::SessionCache::default(),
    )?;
    let python_body = snapshot_body(&labels, &python);
    let rust = recorded.into_iter().map(|s| s.observed).collect();
    let verdict = verdict_of(&component, &plan, rust, python);
    let case = crate::gate::judged(&component, None, &verdict)?;
    Ok(RecordedCheck {
        verdict,
        snapshot,
        python_body,
        case,
    })
}

/// The gate's snapshot check, `<component>/snapshots`: every scenario has a recorded Rust
/// result, and it is what the Rust side does now (a change shows here until someone re-records
/// it with `cargo test` and accepts it with `cargo insta review`).
pub fn snapshot_verdict(
    adapter: &Adapter,
    component: &ComponentFixtures,
) -> Result<ScenarioVerdict> {
    use pyo3_conformance_model::{Failure, FailureKind};
    let dir = snapshot_dir(component);
    let mut failures = Vec::new();
    // The command that records (or re-records) one scenario's Rust result, as printed.
    let record = |id: &str, accept: bool| {
        let exact = id
            .split_once('/')
            .map(|(_, path)| format!(" -- --exact 'scenario::{path}.json'"))
            .unwrap_or_default();
        let cargo = match adapter.cargo_test_target() {
            Some((package, target)) => format!("cargo test -p {package} --test {target}{exact}"),
            None => "cargo test".to_owned(),
        };
        if accept {
            format!("`INSTA_UPDATE=always {cargo}`")
        } else {
            format!("`{cargo}`, then `cargo insta review`")
        }
    };
    for path in &component.scenarios {
        let plan = plan_scenario(component, adapter, path)?;
        let snapshot = dir.join(format!("{}.snap", snapshot_name(&plan.id)));
        if !snapshot.is_file() {
            failures.push(Failure::new(
                FailureKind::Output,
                format!(
                    "{}: no recorded Rust result (snapshots/{}/{}.snap): record it with {}",
                    plan.id,
                    component.manifest.component,
                    snapshot_name(&plan.id),
                    record(&plan.id, true)
                ),
            ));
            continue;
        }
        let recorded = read_snapshot(&snapshot)?;
        let now = run_rust(adapter, &component.manifest, &plan);
        let labels: Vec<&str> = plan.steps.iter().map(|s| &*s.label).collect();
        let differs = recorded.len() != now.len()
            || recorded
                .iter()
                .zip(&labels)
                .zip(&now)
                .any(|((r, label), observed)| r.step != *label || r.observed != *observed);
        if differs {
            let first = recorded
                .iter()
                .zip(&now)
                .position(|(r, o)| r.observed != *o)
                .map(|i| format!(" at step {}", i + 1))
                .unwrap_or_default();
            failures.push(Failure::new(
                FailureKind::Output,
                format!(
                    "{}: the Rust result differs from the recorded one{first}: run {}",
                    plan.id,
                    record(&plan.id, false)
                ),
            ));
        }
    }
    let notes = vec![format!(
        "{} recorded results in {}",
        component.scenarios.len(),
        dir.display()
    )];
    Ok(ScenarioVerdict {
        id: format!("{}/snapshots", component.manifest.component),
        component: component.manifest.component.clone(),
        file: dir.display().to_string(),
        steps: Vec::new(),
        failures,
        notes,
        output: Default::default(),
    })
}
