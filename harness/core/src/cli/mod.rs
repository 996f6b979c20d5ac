//! The `conformance` command line, as a library function so any project can ship its own
//! binary with its own adapters registered: `fn main() -> ExitCode { cli::main(adapters()) }`.
//!
//! Exit codes are a contract (DESIGN.md): 0 every check conforms, 1 at least one divergence,
//! 2 bad input or configuration. This is the one place that turns errors into exit codes; each
//! subcommand lives in its own module and returns whether everything conformed.

mod init;
mod ledger;
mod prop;
mod run;
mod scan;
mod schema;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::adapter::Adapter;
use crate::error::ErrorKind;

/// Exit code: every check conforms.
pub const EXIT_CONFORMS: u8 = 0;
/// Exit code: at least one divergence.
pub const EXIT_DIVERGES: u8 = 1;
/// Exit code: bad input or configuration.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "conformance",
    version,
    about = "Prove that a Python binding behaves like the Rust crate it wraps."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run scenarios through the Rust adapter and the Python binding, and check signatures and
    /// error contracts.
    Run(run::RunArgs),
    /// The CI verdict: everything `run` does, plus the snapshot check and a bounded property
    /// run, with the divergence ledger applied and report.json, junit.xml and summary.md written.
    Gate(run::GateArgs),
    /// Merge shard reports of `gate --shard K/N` into one.
    Merge(ledger::MergeArgs),
    /// Maintain the divergence ledger.
    Ledger(ledger::LedgerArgs),
    /// Compare an importable module's runtime API with its stub (no manifest, no Rust).
    Scan(scan::ScanArgs),
    /// Draft a component from an installed module: manifest, one scenario per operation, and
    /// an adapter crate with a `todo!()` per operation (never overwriting a file).
    Init(init::InitArgs),
    /// Write the JSON Schemas of manifests, scenarios, ledgers and reports into a directory.
    Schema(schema::SchemaArgs),
    /// Generate scenarios from the manifest's types and run them in both languages until the
    /// budget runs out; count the divergences the ledger accepts, shrink and keep each new one
    /// as a regression scenario.
    Prop(prop::PropArgs),
}

/// The components under a fixtures directory, or only the one named.
fn select_components(
    fixtures: &std::path::Path,
    only: Option<&str>,
) -> crate::error::Result<Vec<crate::fixtures::ComponentFixtures>> {
    use crate::error::{Error, ErrorKind};
    let mut components = crate::fixtures::discover(fixtures)?;
    if let Some(name) = only {
        components.retain(|c| c.manifest.component == name);
        if components.is_empty() {
            return Err(Error::in_file(
                fixtures,
                ErrorKind::Usage(format!("no component named '{name}'")),
            ));
        }
    }
    Ok(components)
}

/// Runs the CLI with these adapters and returns the process exit code.
pub fn main(adapters: Vec<Adapter>) -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(&adapters, &args),
        Command::Gate(args) => run::gate(&adapters, &args),
        Command::Merge(args) => ledger::merge_reports(&args),
        Command::Ledger(args) => ledger::ledger(&args),
        Command::Scan(args) => scan::scan(&args),
        Command::Init(args) => init::init(&args),
        Command::Schema(args) => schema::schema(&args),
        Command::Prop(args) => prop::prop(&adapters, &args),
    };
    match result {
        Ok(true) => ExitCode::from(EXIT_CONFORMS),
        Ok(false) => ExitCode::from(EXIT_DIVERGES),
        Err(error) => {
            if let ErrorKind::Interrupted(signal) = error.kind() {
                // As a shell reports a process a signal ended: 128 + its number.
                let _ = writeln!(std::io::stderr(), "{error}");
                return ExitCode::from(u8::try_from(128 + signal).unwrap_or(EXIT_BAD_INPUT));
            }
            let _ = writeln!(std::io::stderr(), "error: {error}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
