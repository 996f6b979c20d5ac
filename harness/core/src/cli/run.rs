//! `conformance run`: every scenario, and each component's signatures, in both languages.
//!
//! Everything is checked before anything runs (bad input never yields a partial verdict); then
//! the cases run in a watched worker process (see `supervisor`), and each verdict is printed as
//! it arrives, closing with `N passed, N failed`.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use crate::adapter::Adapter;
use crate::contract::{contract_verdict, errors_id};
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::{ComponentFixtures, discover};
use crate::plan::{Plan, plan_scenario};
use crate::python::prepare;
use crate::report::{render_totals, render_verdict};
use crate::runner::run_plan;
use crate::signature::{signature_verdict, signatures_id};
use crate::supervisor::{CaseInfo, Event, Supervisor, emit};

#[derive(Debug, clap::Args)]
pub(super) struct RunArgs {
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
    /// Seconds one case may run before it is stopped and reported as a timeout.
    #[arg(long, default_value_t = 60.0)]
    timeout: f64,
    /// Run only cases whose id contains this text (`seed/scenarios/store`, `seed/signatures`).
    filter: Option<String>,
    /// Internal: run the case ids given on stdin and report events (see `supervisor`).
    #[arg(long, hide = true)]
    worker: bool,
}

/// Checks everything before running anything, so bad input never yields a partial verdict.
fn plan_all<'a>(
    adapters: &'a [Adapter],
    args: &RunArgs,
    components: &'a [ComponentFixtures],
) -> Result<Vec<Work<'a>>> {
    let mut work = Vec::new();
    for component in components {
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
        for path in &component.scenarios {
            let plan = plan_scenario(component, adapter, path)?;
            let id = plan.id.clone();
            work.push(Work {
                adapter,
                component,
                id,
                case: Case::Scenario(plan),
            });
        }
        let id = signatures_id(name);
        work.push(Work {
            adapter,
            component,
            id,
            case: Case::Signatures,
        });
        let id = errors_id(name);
        work.push(Work {
            adapter,
            component,
            id,
            case: Case::Errors,
        });
    }
    work.retain(|w| args.filter.as_deref().is_none_or(|f| w.id.contains(f)));
    Ok(work)
}

/// One case to run, with what it needs.
struct Work<'a> {
    adapter: &'a Adapter,
    component: &'a ComponentFixtures,
    id: String,
    case: Case,
}

/// What a case checks.
enum Case {
    /// A scenario file, in both languages.
    Scenario(Plan),
    /// The component's signatures: manifest × runtime × stub.
    Signatures,
    /// The component's error contract as a whole: classes, bases, coverage.
    Errors,
}

impl Work<'_> {
    fn file(&self) -> String {
        match &self.case {
            Case::Scenario(plan) => plan.path.display().to_string(),
            Case::Signatures | Case::Errors => self
                .component
                .dir
                .join(crate::fixtures::MANIFEST)
                .display()
                .to_string(),
        }
    }
}

fn components(args: &RunArgs) -> Result<Vec<ComponentFixtures>> {
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
    Ok(components)
}

pub(super) fn run(adapters: &[Adapter], args: &RunArgs) -> Result<bool> {
    let components = components(args)?;
    let work = plan_all(adapters, args, &components)?;
    if args.worker {
        return run_worker(args, &work);
    }
    let ids: Vec<String> = work.iter().map(|w| w.id.clone()).collect();
    let cases: HashMap<String, CaseInfo> = work
        .iter()
        .map(|w| {
            let info = CaseInfo {
                component: w.component.manifest.component.clone(),
                file: w.file(),
            };
            (w.id.clone(), info)
        })
        .collect();
    let supervisor = Supervisor {
        program: std::env::current_exe().map_err(|e| Error::new(ErrorKind::Io(e)))?,
        args: worker_args(args),
        timeout: Duration::from_secs_f64(args.timeout.max(0.001)),
    };
    let (mut passed, mut failed) = (0, 0);
    let mut stdout = std::io::stdout();
    supervisor.run(&ids, &cases, |verdict| {
        if verdict.passed() {
            passed += 1;
        } else {
            failed += 1;
        }
        let _ = write!(stdout, "{}", render_verdict(&verdict));
        let _ = stdout.flush();
    })?;
    let _ = writeln!(stdout, "{}", render_totals(passed, failed));
    Ok(failed == 0)
}

/// The arguments that make this binary a worker for the same fixtures and environment.
fn worker_args(args: &RunArgs) -> Vec<OsString> {
    let mut out: Vec<OsString> = vec![
        "run".into(),
        "--worker".into(),
        "--fixtures".into(),
        args.fixtures.clone().into(),
    ];
    if let Some(component) = &args.component {
        out.extend(["--component".into(), component.into()]);
    }
    if let Some(python) = &args.python {
        out.extend(["--python".into(), python.clone().into()]);
    }
    out
}

/// Worker side: run the ids read from stdin, in that order, reporting each as an event.
fn run_worker(args: &RunArgs, work: &[Work<'_>]) -> Result<bool> {
    let mut ids = String::new();
    std::io::stdin()
        .read_to_string(&mut ids)
        .map_err(|e| Error::new(ErrorKind::Io(e)))?;
    let by_id: HashMap<&str, &Work<'_>> = work.iter().map(|w| (w.id.as_str(), w)).collect();
    prepare(args.python.as_deref())?;
    let mut stdout = std::io::stdout();
    for id in ids.lines() {
        let Some(item) = by_id.get(id) else { continue };
        let _ = emit(&mut stdout, &Event::Started { id: id.to_owned() });
        let verdict = match &item.case {
            Case::Scenario(plan) => run_plan(item.adapter, item.component, plan)?,
            Case::Signatures => signature_verdict(item.component)?,
            Case::Errors => contract_verdict(item.adapter, item.component)?,
        };
        let _ = emit(&mut stdout, &Event::Finished { verdict });
    }
    Ok(true)
}
