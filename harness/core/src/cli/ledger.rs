//! `conformance merge` (shard reports into one) and `conformance ledger update` (entries for
//! the failures of the last gate run, for a person to review).

use std::io::Write;
use std::path::PathBuf;

use pyo3_conformance_model::Ledger;

use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::discover;
use crate::gate::{
    LEDGER, load_ledger, merge, new_entries, read_report, totals_line, write_reports,
};

#[derive(Debug, clap::Args)]
pub(super) struct MergeArgs {
    /// Where to write the merged report.json, junit.xml and summary.md.
    #[arg(long, default_value = "target/conformance")]
    out: PathBuf,
    /// The shard reports (`report.json` files, or directories holding one).
    #[arg(required = true)]
    reports: Vec<PathBuf>,
}

pub(super) fn merge_reports(args: &MergeArgs) -> Result<bool> {
    let mut reports = Vec::new();
    for path in &args.reports {
        let file = if path.is_dir() {
            path.join("report.json")
        } else {
            path.clone()
        };
        reports.push(read_report(&file)?);
    }
    let merged = merge(reports);
    std::fs::create_dir_all(&args.out).map_err(|e| Error::in_file(&args.out, ErrorKind::Io(e)))?;
    write_reports(&args.out, &merged)?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "merged {} reports into {}",
        args.reports.len(),
        args.out.display()
    );
    if let Some(matrix) = crate::gate::matrix::text(&merged) {
        let _ = write!(out, "{matrix}");
    }
    let _ = writeln!(out, "{}", totals_line(&merged));
    Ok(merged.summary.failed == 0)
}

#[derive(Debug, clap::Args)]
pub(super) struct LedgerArgs {
    #[command(subcommand)]
    command: LedgerCommand,
}

#[derive(Debug, clap::Subcommand)]
enum LedgerCommand {
    /// Append entries for the failures of a gate report that no entry accepts, grouped by case
    /// and kind with their messages generalised (reasons to be written by a person), to each
    /// component's `fixtures/<component>/ledger.json`; setup conditions (a missing snapshot, a
    /// stale entry) are left to be fixed, not accepted.
    Update {
        /// The fixtures directory.
        #[arg(long, default_value = "fixtures")]
        fixtures: PathBuf,
        /// The gate report to read.
        #[arg(long, default_value = "target/conformance/report.json")]
        report: PathBuf,
    },
}

pub(super) fn ledger(args: &LedgerArgs) -> Result<bool> {
    let LedgerCommand::Update { fixtures, report } = &args.command;
    let report = read_report(report)?;
    let additions = new_entries(&report);
    let mut out = std::io::stdout().lock();
    for component in discover(fixtures)? {
        let Some(entries) = additions.get(&component.manifest.component) else {
            continue;
        };
        let mut ledger: Ledger = load_ledger(&component)?;
        // `$schema` only where the schema is there to point at.
        let schema = "../schema/ledger.schema.json";
        if ledger.schema.is_none() && component.dir.join(schema).is_file() {
            ledger.schema = Some(schema.to_owned());
        }
        let before = ledger.entries.len();
        for entry in entries {
            if !ledger.entries.contains(entry) {
                ledger.entries.push(entry.clone());
            }
        }
        let path = component.dir.join(LEDGER);
        let mut text = serde_json::to_string_pretty(&ledger).expect("ledgers serialize");
        text.push('\n');
        std::fs::write(&path, text).map_err(|e| Error::in_file(&path, ErrorKind::Io(e)))?;
        let _ = writeln!(
            out,
            "{}: {} new entries (write their reasons and links)",
            path.display(),
            ledger.entries.len() - before
        );
    }
    Ok(true)
}
