//! `conformance prop`: differential property runs over every component's functions and
//! classes, with shrinking, judged against each component's ledger as the gate and `cargo test`
//! judge them (`property::judged_run`): a divergence the ledger accepts is KNOWN; any other is
//! written as a regression scenario and printed with the command that replays it. Runs
//! in-process and is deterministic for a seed.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::property::{Budget, TargetReport, judged_run, parse_duration};
use crate::python::prepare;
use crate::report::rerun_command;

/// `conformance prop`'s cases per target when neither `--cases` nor `--time` is given.
const DEFAULT_CASES: u32 = 256;

#[derive(Debug, clap::Args)]
pub(super) struct PropArgs {
    /// The fixtures directory (one folder per component).
    #[arg(long, default_value = "fixtures")]
    fixtures: PathBuf,
    /// Run only this component.
    #[arg(long)]
    component: Option<String>,
    /// Generated cases per function and per class (default 256 without --time).
    #[arg(long)]
    cases: Option<u32>,
    /// Time for the whole run, split evenly over targets (`30s`, `2m`); with --cases, whichever
    /// runs out first.
    #[arg(long, value_parser = parse_duration)]
    time: Option<Duration>,
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

/// Running counts of the targets' statuses.
#[derive(Default)]
struct Totals {
    passed: usize,
    failed: usize,
    known: usize,
    skipped: usize,
}

pub(super) fn prop(adapters: &[Adapter], args: &PropArgs) -> Result<bool> {
    let components = super::select_components(&args.fixtures, args.component.as_deref())?;
    prepare(args.python.as_deref())?;
    let budget = Budget::new(args.cases, args.time, DEFAULT_CASES);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "seed {}, {}", args.seed, budget.describe());
    let mut totals = Totals::default();
    let all_targets: usize = components.iter().map(target_count).sum();
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
        // A time is for the whole run: each component gets the share its targets make up.
        let share = Budget {
            cases: budget.cases,
            time: budget.time.map(|time| {
                time.mul_f64(target_count(component) as f64 / all_targets.max(1) as f64)
            }),
        };
        let run = judged_run(adapter, component, share, args.seed, !args.no_write)?;
        for report in &run.reports {
            print_target(&mut out, report, &run.kept, component, &mut totals);
            let _ = out.flush();
        }
        // Ledger entries about the properties case that no longer hold (the failures the
        // judgement adds after the run's own) fail here as in the gate.
        let own: usize = run
            .reports
            .iter()
            .map(|r| r.divergences.len() + r.unexplained_gaps().count())
            .sum();
        for failure in run.case.failures.iter().skip(own) {
            totals.failed += 1;
            let _ = writeln!(out, "FAIL {}", run.case.id);
            let _ = writeln!(out, "  [{}] {}", failure.kind, failure.message);
        }
    }
    let mut line = format!("{} passed, {} failed", totals.passed, totals.failed);
    for (count, word) in [(totals.known, "known"), (totals.skipped, "skipped")] {
        if count > 0 {
            line.push_str(&format!(", {count} {word}"));
        }
    }
    let _ = writeln!(out, "{line}");
    Ok(totals.failed == 0 && totals.skipped == 0)
}

/// One target's lines: its status and case count, then each divergence (known ones in one
/// line, new ones with their minimal case and how to replay it) and each operation left out.
fn print_target(
    out: &mut impl Write,
    report: &TargetReport,
    kept: &[(String, PathBuf)],
    component: &crate::fixtures::ComponentFixtures,
    totals: &mut Totals,
) {
    let unexplained = report.unexplained_gaps().count();
    let new = report.new_divergences().count();
    let status = if new > 0 {
        totals.failed += 1;
        "FAIL"
    } else if unexplained > 0 {
        totals.skipped += 1;
        "SKIP"
    } else if report.divergences.is_empty() {
        totals.passed += 1;
        "PASS"
    } else {
        totals.known += 1;
        "KNOWN"
    };
    let _ = writeln!(out, "{status} {} ({})", report.id, report.counts());
    for gap in report.skipped.iter().chain(&report.gaps) {
        let why = if gap.opted_out {
            "not generated, as the manifest says".to_owned()
        } else {
            format!("SKIPPED: {}", crate::property::OPT_OUT)
        };
        let _ = writeln!(out, "  {}: {}; {why}", gap.operation, gap.reason);
    }
    for note in &report.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    let mut kept = kept.iter().filter(|(id, _)| *id == report.id);
    for divergence in &report.divergences {
        let failure = &divergence.failure;
        let label = if divergence.known { "known" } else { "new" };
        let _ = writeln!(
            out,
            "  {label} [{}] {} (in {} of {} cases)",
            failure.kind.as_str(),
            failure.message,
            divergence.cases,
            report.cases
        );
        if divergence.known {
            continue;
        }
        let steps = serde_json::to_string(&divergence.minimal.steps).unwrap_or_default();
        let _ = writeln!(out, "    minimal case: {steps}");
        if let Some(operations) = &divergence.operations {
            let _ = writeln!(out, "    operations enabled: {operations}");
        }
        if let Some((_, path)) = kept.next() {
            let _ = writeln!(out, "    written to:   {}", path.display());
            let id = crate::fixtures::scenario_id(component, path);
            let _ = writeln!(out, "    replay:       {}", rerun_command(&id));
        }
    }
}

/// A component's property-run targets: its functions and its classes.
fn target_count(component: &crate::fixtures::ComponentFixtures) -> usize {
    component.manifest.functions.len() + component.manifest.classes.len()
}
