//! `conformance prop`: differential property runs over every component's functions and
//! classes, with shrinking; each minimal divergence is written as a regression scenario and
//! printed with the command that replays it. Runs in-process and is deterministic for a seed.

use std::io::Write;
use std::path::PathBuf;

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::property::{PropertyConfig, TargetOutcome, run_properties};
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
    let config = PropertyConfig {
        cases: args.cases,
        seed: args.seed,
        write_regressions: !args.no_write,
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "seed {}, {} cases per target", args.seed, args.cases);
    let (mut passed, mut failed) = (0, 0);
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
        for report in run_properties(adapter, component, &config)? {
            match report.outcome {
                TargetOutcome::Passed { cases } => {
                    passed += 1;
                    let _ = writeln!(out, "PASS {} ({cases} cases)", report.id);
                }
                TargetOutcome::Skipped { reason } => {
                    let _ = writeln!(out, "SKIP {}: {reason}", report.id);
                }
                TargetOutcome::Diverged {
                    failure,
                    minimal,
                    regression,
                    ..
                } => {
                    failed += 1;
                    let _ = writeln!(out, "FAIL {}", report.id);
                    let _ = writeln!(out, "  {failure}");
                    let steps = serde_json::to_string(&minimal.steps).unwrap_or_default();
                    let _ = writeln!(out, "  minimal case: {steps}");
                    if let Some(path) = regression {
                        let _ = writeln!(out, "  written to:   {}", path.display());
                        let id = crate::fixtures::scenario_id(component, &path);
                        let _ = writeln!(out, "  replay:       {}", rerun_command(&id));
                    }
                }
            }
            let _ = out.flush();
        }
    }
    let _ = writeln!(out, "{}", render_totals(passed, failed));
    Ok(failed == 0)
}
