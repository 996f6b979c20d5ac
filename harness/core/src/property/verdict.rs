//! The verdict of a property run, judged once against the ledger, the same way in every front
//! end: `conformance gate` (the `<component>/properties` case), `cargo test`
//! (`properties::manifest.json`) and `conformance prop`.
//!
//! Each divergence a search found, known or new, gives one failure worded exactly as the same
//! failure is in a scenario file (`dumps(): Python returned a value where Rust failed with …`);
//! which target, its minimal case, how many cases showed it and how to keep it are notes of
//! the case, not part of the message, so an entry drafted from one front end matches in the
//! others, whatever the seed and the budget. The search already classified each failure with
//! the gate's own rule, so `gate::case_report` marks the same ones known; every entry that
//! matched during the search holds in the case. An operation that could not be generated is
//! a failure of kind `skip` unless the manifest opts it out. A regression is kept only for a
//! divergence the ledger does not accept.

use std::path::PathBuf;

use pyo3_conformance_model::{CaseReport, Failure, FailureKind, ScenarioVerdict};

use super::{Budget, PropertyConfig, TargetReport, run_properties, write_regression};
use crate::adapter::Adapter;
use crate::error::Result;
use crate::fixtures::{ComponentFixtures, MANIFEST};

/// How a skip tells the reader to explain it, where it is deliberate.
pub(crate) const OPT_OUT: &str = "if it cannot be generated on purpose, give it \
                                  `\"properties\": false` and a `\"properties_reason\"` in the manifest";

/// How the notes of a `properties` case mark an operation the manifest opts out (summary.md
/// lists those notes).
pub(crate) const OPTED_OUT: &str = "(the manifest opts it out)";

/// The failure a gap the manifest does not explain gives: worded without the seed or the
/// counts, so a ledger entry about it holds in every front end.
fn gap_failure(gap: &super::Gap) -> Failure {
    let mut failure = Failure::new(
        FailureKind::Skip,
        format!(
            "property runs cannot generate {}: {} ({OPT_OUT})",
            gap.operation, gap.reason
        ),
    );
    failure.operation = Some(gap.operation.clone());
    failure
}

/// The `<component>/properties` case of a run: every divergence (known or new, as a scenario
/// words it) and every unexplained gap is a failure; the notes say, per target, how many
/// cases ran, the minimal case of each divergence and the operations its case enabled, and
/// what was not generated.
pub(crate) fn properties_case(
    component: &ComponentFixtures,
    reports: &[TargetReport],
    config: &PropertyConfig,
) -> ScenarioVerdict {
    let name = &component.manifest.component;
    let mut failures = Vec::new();
    let mut notes = vec![format!(
        "{}, seed {}",
        config.budget.describe(),
        config.seed
    )];
    for report in reports {
        if report.skipped.is_none() {
            notes.push(format!("{}: {}", report.id, report.counts()));
        }
        // The target itself, where nothing of it ran, and the operations its state machine left out.
        for gap in report.skipped.iter().chain(&report.gaps) {
            if gap.opted_out {
                notes.push(format!(
                    "{}: {} not generated: {} {OPTED_OUT}",
                    report.id, gap.operation, gap.reason
                ));
            } else {
                failures.push(gap_failure(gap));
                notes.push(format!(
                    "{}: {} SKIPPED: {}",
                    report.id, gap.operation, gap.reason
                ));
            }
        }
        for note in &report.notes {
            notes.push(format!("{}: {note}", report.id));
        }
        for divergence in &report.divergences {
            failures.push(divergence.failure.clone());
            let steps = serde_json::to_string(&divergence.minimal.steps).unwrap_or_default();
            let enabled = divergence
                .operations
                .as_deref()
                .map(|ops| format!(" with the operations {{{ops}}} enabled"))
                .unwrap_or_default();
            let (what, keep) = if divergence.known {
                ("known divergence", String::new())
            } else {
                (
                    "diverged",
                    format!(
                        "; keep it with `conformance prop --component {name} --seed {}`",
                        config.seed
                    ),
                )
            };
            notes.push(format!(
                "{} {what} in {} of {} cases{enabled}, minimal case {steps}{keep}",
                report.id, divergence.cases, report.cases
            ));
        }
    }
    ScenarioVerdict {
        id: format!("{name}/properties"),
        component: name.clone(),
        file: component.dir.join(MANIFEST).display().to_string(),
        steps: Vec::new(),
        failures,
        notes,
        output: Default::default(),
    }
}

/// The gate's bounded property run (seed 0), as a case.
pub fn properties_verdict(
    adapter: &Adapter,
    component: &ComponentFixtures,
    budget: Budget,
) -> Result<ScenarioVerdict> {
    let config = PropertyConfig { budget, seed: 0 };
    let reports = run_properties(adapter, component, &config)?;
    Ok(properties_case(component, &reports, &config))
}

/// A property run judged against the ledger: each target's report, the case as the gate
/// would report it, and the regressions written (for divergences the ledger does not accept,
/// where `keep` is set).
pub struct JudgedRun {
    /// Each target's report.
    pub reports: Vec<TargetReport>,
    /// The `<component>/properties` case, judged against the ledger.
    pub case: CaseReport,
    /// Each kept regression: the target's id and the file written.
    pub kept: Vec<(String, PathBuf)>,
}

/// Runs every target of `component`, judges the run as one case against the component's
/// ledger, and writes the regressions of the divergences the ledger does not accept where
/// `keep` is set.
pub fn judged_run(
    adapter: &Adapter,
    component: &ComponentFixtures,
    budget: Budget,
    seed: u64,
    keep: bool,
) -> Result<JudgedRun> {
    let config = PropertyConfig { budget, seed };
    let reports = run_properties(adapter, component, &config)?;
    let verdict = properties_case(component, &reports, &config);
    let case = crate::gate::judged(component, Some(adapter), &verdict)?;
    let mut kept = Vec::new();
    if keep {
        for report in &reports {
            let target = report.id.rsplit('/').next().unwrap_or_default();
            for divergence in report.new_divergences() {
                let failure = format!(
                    "[{}] {}",
                    divergence.failure.kind.as_str(),
                    divergence.failure.message
                );
                let path =
                    write_regression(component, target, &divergence.minimal, &failure, seed)?;
                kept.push((report.id.clone(), path));
            }
        }
    }
    Ok(JudgedRun {
        reports,
        case,
        kept,
    })
}
