//! The `conformance` command line, as a library function so any project can ship its own
//! binary with its own adapters registered: `fn main() -> ExitCode { cli::main(adapters()) }`.
//!
//! Exit codes are a contract (DESIGN.md): 0 every check conforms, 1 at least one divergence,
//! 2 bad input or configuration. This is the one place that turns errors into exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::{ComponentFixtures, discover};
use crate::plan::{Plan, plan_scenario};
use crate::python::prepare;
use crate::report::{render_totals, render_verdict};
use crate::runner::run_plan;

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
    /// Run scenarios through the Rust adapter and the Python binding, and compare.
    Run(RunArgs),
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The fixtures directory (one folder per component).
    #[arg(long, default_value = "fixtures")]
    fixtures: PathBuf,
    /// Run only this component.
    #[arg(long)]
    component: Option<String>,
    /// The Python environment: a venv, or its interpreter (default: $VIRTUAL_ENV, else ./.venv
    /// or the nearest parent's).
    #[arg(long)]
    python: Option<PathBuf>,
    /// Run only scenarios whose id contains this text.
    filter: Option<String>,
}

/// Runs the CLI with these adapters and returns the process exit code.
pub fn main(adapters: Vec<Adapter>) -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(&adapters, &args),
    };
    match result {
        Ok(true) => ExitCode::from(EXIT_CONFORMS),
        Ok(false) => ExitCode::from(EXIT_DIVERGES),
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Checks everything before running anything, so bad input never yields a partial verdict.
fn run(adapters: &[Adapter], args: &RunArgs) -> Result<bool> {
    let mut components = discover(&args.fixtures)?;
    if let Some(name) = &args.component {
        components.retain(|c| &c.manifest.component == name);
        if components.is_empty() {
            return Err(Error::in_file(
                &args.fixtures,
                ErrorKind::Usage(format!("no component named '{name}'")),
            ));
        }
    }
    let mut work: Vec<(&Adapter, &ComponentFixtures, Vec<Plan>)> = Vec::new();
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
        let plans = component
            .scenarios
            .iter()
            .map(|path| plan_scenario(component, adapter, path))
            .collect::<Result<Vec<_>>>()?;
        let plans = plans
            .into_iter()
            .filter(|plan| args.filter.as_deref().is_none_or(|f| plan.id.contains(f)))
            .collect();
        work.push((adapter, component, plans));
    }
    prepare(args.python.as_deref())?;
    let (mut passed, mut failed) = (0, 0);
    let mut stdout = std::io::stdout().lock();
    for (adapter, component, plans) in work {
        for plan in plans {
            let verdict = run_plan(adapter, component, &plan)?;
            if verdict.passed() {
                passed += 1;
            } else {
                failed += 1;
            }
            let _ = write!(stdout, "{}", render_verdict(&verdict));
            let _ = stdout.flush();
        }
    }
    let _ = writeln!(stdout, "{}", render_totals(passed, failed));
    Ok(failed == 0)
}
