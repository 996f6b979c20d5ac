//! `conformance prop`: differential property runs over every component's functions and
//! classes, with shrinking, judged against each component's ledger as the gate and `cargo test`
//! judge them (`property::judged_run`): a divergence the ledger accepts is KNOWN; any other is
//! written as a regression scenario and printed with the command that replays it. Runs
//! in-process and is deterministic for a seed.

use std::io::Write;
use std::path::PathBuf;

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::property::{TargetOutcome, judged_run};
use crate::python::prepare;
use crate::report::{render_totals, rerun_command};

#[derive(Debug, clap::Args)]
pub(super) struct PropArgs {
    /// The fixtures directory (one folder per component).
    #[arg(long, default_value = "fixtures")]
    fixtures: PathBuf,
    /// Run only this component.
    #[arg(long)]
    component: Option<String>,
    /// Generated cases per function and per class.
    #[arg(long, default_value_t = 256)]
    cases: u32,
    /// The seed: the same seed generates the same cases.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Do not write regression scenarios for divergences.
    #[arg(long)]
    no_write: bool,
    /// The Python environment: a venv, or its interpreter (default: $VIRTUAL_ENV, else ./.venv
    /// or the nearest parent's).
    #[arg(long)]
    python: Option<PathBuf>,
}

pub(super) fn prop(adapters: &[Adapter], args: &PropArgs) -> Result<bool> {
    let components = super::select_components(&args.fixtures, args.component.as_deref())?;
    prepare(args.python.as_deref())?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "seed {}, {} cases per target", args.seed, args.cases);
    let (mut passed, mut failed, mut known) = (0, 0, 0);
    for component in &components {
        let name = &component.manifest.component;
        let adapter = adapters
            .iter()
            .find(|a| a.component() == name)
            .ok_or_else(|| {
                Error::in_file(
                    &component.dir.join(crate::fixtures::MANIFEST),
                    ErrorKind::Usage(format!(
                        "no Rust adapter is registered for component '{name}' in this binary"
                    )),
                )
            })?;
        let run = judged_run(adapter, component, args.cases, args.seed, !args.no_write)?;
        for (report, is_known) in run.reports.iter().zip(&run.known) {
            match &report.outcome {
                TargetOutcome::Passed { cases } => {
                    passed += 1;
                    let _ = writeln!(out, "PASS {} ({cases} cases)", report.id);
                }
                TargetOutcome::Skipped { reason } => {
                    let _ = writeln!(out, "SKIP {}: {reason}", report.id);
                }
                TargetOutcome::Diverged { first, minimal, .. } => {
                    let status = if *is_known { "KNOWN" } else { "FAIL" };
                    if *is_known {
                        known += 1;
                    } else {
                        failed += 1;
                    }
                    let _ = writeln!(out, "{status} {}", report.id);
                    let _ = writeln!(out, "  [{}] {}", first.kind.as_str(), first.message);
                    let steps = serde_json::to_string(&minimal.steps).unwrap_or_default();
                    let _ = writeln!(out, "  minimal case: {steps}");
                    if let Some((_, path)) = run.kept.iter().find(|(id, _)| *id == report.id) {
                        let _ = writeln!(out, "  written to:   {}", path.display());
                        let id = crate::fixtures::scenario_id(component, path);
                        let _ = writeln!(out, "  replay:       {}", rerun_command(&id));
                    }
                }
            }
            let _ = out.flush();
        }
        // Ledger entries about the properties case that no longer hold (the failures the
        // judgement adds after the targets' own) fail here as in the gate.
        let diverging = run
            .reports
            .iter()
            .filter(|report| matches!(report.outcome, TargetOutcome::Diverged { .. }))
            .count();
        for failure in run.case.failures.iter().skip(diverging) {
            failed += 1;
            let _ = writeln!(out, "FAIL {}", run.case.id);
            let _ = writeln!(out, "  [{}] {}", failure.kind, failure.message);
        }
    }
    let mut totals = render_totals(passed, failed);
    if known > 0 {
        totals.push_str(&format!(", {known} known"));
    }
    let _ = writeln!(out, "{totals}");
    Ok(failed == 0)
}
