//! The verdict of a property run, judged once against the ledger, the same way in every front
//! end: `conformance gate` (the `<component>/properties` case), `cargo test`
//! (`properties::manifest.json`) and `conformance prop`.
//!
//! Each diverging target gives one failure worded exactly as the same failure is in a scenario
//! file (`dumps(): Python returned a value where Rust failed with …`); which target, its
//! minimal case and how to keep it are notes of the case, not part of the message, so an entry
//! drafted from one front end matches in the others, whatever the seed and the case count.
//! All targets' failures form one case, judged by `gate::case_report`: two `properties`
//! entries, one per target, each hold in every front end. A regression is kept only for a
//! divergence the ledger does not accept.

use std::path::PathBuf;

use pyo3_conformance_model::{CaseReport, ScenarioVerdict};

use super::{PropertyConfig, TargetOutcome, TargetReport, run_properties, write_regression};
use crate::adapter::Adapter;
use crate::error::Result;
use crate::fixtures::{ComponentFixtures, MANIFEST};

/// The `<component>/properties` case of a run: one failure per diverging target (its first
/// failure, as a scenario words it), and notes on each target that diverged or was skipped.
pub(crate) fn properties_case(
    component: &ComponentFixtures,
    reports: &[TargetReport],
    config: &PropertyConfig,
) -> ScenarioVerdict {
    let name = &component.manifest.component;
    let mut failures = Vec::new();
    let mut notes = Vec::new();
    for report in reports {
        match &report.outcome {
            TargetOutcome::Passed { .. } => {}
            TargetOutcome::Skipped { reason } => {
                notes.push(format!("{} skipped: {reason}", report.id));
            }
            TargetOutcome::Diverged { first, minimal, .. } => {
                let mut failure = (**first).clone();
                failure.step = None;
                failures.push(failure);
                let steps = serde_json::to_string(&minimal.steps).unwrap_or_default();
                notes.push(format!(
                    "{} diverged, minimal case {steps}; keep it with `conformance prop --component {name} --seed {}`",
                    report.id, config.seed
                ));
            }
        }
    }
    notes.push(format!(
        "{} cases per target, seed {}",
        config.cases, config.seed
    ));
    ScenarioVerdict {
        id: format!("{name}/properties"),
        component: name.clone(),
        file: component.dir.join(MANIFEST).display().to_string(),
        steps: Vec::new(),
        failures,
        notes,
    }
}

/// The gate's bounded property run (seed 0), as a case.
pub fn properties_verdict(
    adapter: &Adapter,
    component: &ComponentFixtures,
    cases: u32,
) -> Result<ScenarioVerdict> {
    let config = PropertyConfig {
        cases,
        seed: 0,
        write_regressions: false,
    };
    let reports = run_properties(adapter, component, &config)?;
    Ok(properties_case(component, &reports, &config))
}

/// A property run judged against the ledger: each target's report, the case as the gate
/// would report it, and the regressions written (for divergences the ledger does not accept,
/// where `keep` is set).
pub(crate) struct JudgedRun {
    pub(crate) reports: Vec<TargetReport>,
    pub(crate) case: CaseReport,
    /// For each report, in order: whether its divergence is one the ledger accepts.
    pub(crate) known: Vec<bool>,
    /// Each kept regression: the target's id and the file written.
    pub(crate) kept: Vec<(String, PathBuf)>,
}

/// Runs every target of `component` (never writing regressions itself), judges the run as one
/// case against the component's ledger, and writes the regressions of the divergences the
/// ledger does not accept where `keep` is set.
pub(crate) fn judged_run(
    adapter: &Adapter,
    component: &ComponentFixtures,
    cases: u32,
    seed: u64,
    keep: bool,
) -> Result<JudgedRun> {
    let config = PropertyConfig {
        cases,
        seed,
        write_regressions: false,
    };
    let reports = run_properties(adapter, component, &config)?;
    let verdict = properties_case(component, &reports, &config);
    let case = crate::gate::judged(component, Some(adapter), &verdict)?;
    // The case's first failures are the verdict's, in the order of the diverging reports.
    let mut judged = case.failures.iter();
    let known: Vec<bool> = reports
        .iter()
        .map(|report| {
            matches!(report.outcome, TargetOutcome::Diverged { .. })
                && judged.next().is_some_and(|failure| failure.known)
        })
        .collect();
    let mut kept = Vec::new();
    if keep {
        for (report, known) in reports.iter().zip(&known) {
            if let (
                TargetOutcome::Diverged {
                    failure, minimal, ..
                },
                false,
            ) = (&report.outcome, known)
            {
                let target = report.id.rsplit('/').next().unwrap_or_default();
                let path = write_regression(component, target, minimal, failure, seed)?;
                kept.push((report.id.clone(), path));
            }
        }
    }
    Ok(JudgedRun {
        reports,
        case,
        known,
        kept,
    })
}
