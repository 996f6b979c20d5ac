//! `conformance run` and `conformance gate`: every case of every component, in a watched
//! worker process.
//!
//! Both check everything before anything runs (bad input never yields a partial verdict), then
//! hand the case ids to a worker (see `supervisor`) and print each verdict as it arrives,
//! closing with `N passed, N failed` (`, N known` for divergences the ledger accepts). `run` is
//! for developers: scenarios, signatures and the error contract. `gate` is for CI: it adds the snapshot check and a bounded property run
//! per component, judges the ledger's own entries, can run one shard of the cases, and writes
//! `report.json`, `junit.xml` and `summary.md` as it goes.

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use pyo3_conformance_model::ScenarioVerdict;

use crate::adapter::Adapter;
use crate::contract::{contract_verdict, errors_id};
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::{ComponentFixtures, MANIFEST};
use crate::gate::{
    Reports, case_report, in_shard, ledger_verdict, load_ledger, rerun, totals_line,
};
use crate::plan::{Plan, plan_scenario};
use crate::property::{Budget, parse_duration, properties_verdict};
use crate::python::prepare;
use crate::recorded::{api_surface_table, snapshot_verdict};
use crate::report::{render_output, render_totals, render_verdict};
use crate::runner::run_plan;
use crate::signature::{signature_verdict, signatures_id};
use crate::supervisor::{CaseInfo, Event, OutputAt, Supervisor, WorkerChannel};

#[derive(Debug, Clone, clap::Args)]
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
    /// Run only cases whose id contains one of these texts (`seed/scenarios/store`,
    /// `seed/signatures`).
    filter: Vec<String>,
    /// Show what the code under test writes to stdout and stderr as it writes it, instead of
    /// capturing it per case and showing it with that case's failure.
    #[arg(long)]
    no_capture: bool,
    /// Internal: run the case ids the supervisor sends and report events (see `supervisor`).
    #[arg(long, hide = true)]
    worker: bool,
    /// Internal: the supervisor's socket.
    #[arg(long, hide = true)]
    worker_socket: Option<PathBuf>,
    /// Internal: the worker also knows the gate's cases.
    #[arg(long, hide = true)]
    gate_cases: bool,
    /// Internal: property cases per target in the gate.
    #[arg(long, hide = true)]
    worker_prop_cases: Option<u32>,
    /// Internal: the property run's time in the gate.
    #[arg(long, hide = true, value_parser = parse_duration)]
    worker_prop_time: Option<Duration>,
}

impl RunArgs {
    /// The gate's property budget: `--cases`, `--prop-time`, or 64 cases per target.
    fn prop_budget(&self) -> Budget {
        Budget::new(self.worker_prop_cases, self.worker_prop_time, GATE_CASES)
    }
}

/// The gate's property cases per target when neither `--cases` nor `--prop-time` is given:
/// enough to reach every generator's edges on most targets while `ci/gate` over the bundled
/// components stays within a minute. A CI job that wants a real search sets `--prop-time`.
const GATE_CASES: u32 = 64;

#[derive(Debug, clap::Args)]
pub(super) struct GateArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Where to write report.json, junit.xml and summary.md.
    #[arg(long, default_value = "target/conformance")]
    out: PathBuf,
    /// Run only shard K of N (`--shard 2/4`), split by case id.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
    /// Property cases per function and class (64 without --prop-time).
    #[arg(long, alias = "prop-cases")]
    cases: Option<u32>,
    /// Time for the property runs of each component, split evenly over its targets (`30s`,
    /// `2m`); with --cases, whichever runs out first.
    #[arg(long, value_parser = parse_duration)]
    prop_time: Option<Duration>,
}

fn parse_shard(text: &str) -> std::result::Result<(usize, usize), String> {
    let (k, n) = text.split_once('/').ok_or("expected K/N, such as 2/4")?;
    let (k, n): (usize, usize) = (
        k.parse().map_err(|_| "K is not a number")?,
        n.parse().map_err(|_| "N is not a number")?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n} does not exist: K must be 1 to N"));
    }
    Ok((k, n))
}

/// One case to run, with what it needs.
struct Work<'a> {
    adapter: &'a Adapter,
    component: &'a ComponentFixtures,
    id: String,
    case: Case<'a>,
}

/// What a case checks.
enum Case<'a> {
    /// A scenario file, in both languages.
    Scenario(Plan<'a>),
    /// The component's signatures: manifest × runtime × stub.
    Signatures,
    /// The component's error contract as a whole: classes, bases, coverage.
    Errors,
    /// Gate: the recorded Rust results still match what Rust does.
    Snapshots,
    /// Gate: a bounded differential property run.
    Properties,
}

impl Work<'_> {
    fn file(&self) -> String {
        match &self.case {
            Case::Scenario(plan) => plan.path.display().to_string(),
            _ => self.component.dir.join(MANIFEST).display().to_string(),
        }
    }
}

fn components(args: &RunArgs) -> Result<Vec<ComponentFixtures>> {
    super::select_components(&args.fixtures, args.component.as_deref())
}

fn adapter_for<'a>(adapters: &'a [Adapter], component: &ComponentFixtures) -> Result<&'a Adapter> {
    let name = &component.manifest.component;
    adapters
        .iter()
        .find(|a| a.component() == name)
        .ok_or_else(|| {
            Error::in_file(
                &component.dir.join(MANIFEST),
                ErrorKind::Usage(format!(
                    "no Rust adapter is registered for component '{name}' in this binary"
                )),
            )
        })
}

fn selected(args: &RunArgs, id: &str) -> bool {
    args.filter.is_empty() || args.filter.iter().any(|f| id.contains(f.as_str()))
}

/// Every case, checked, before anything runs; the filter applies last.
fn plan_all<'a>(
    adapters: &'a [Adapter],
    args: &RunArgs,
    components: &'a [ComponentFixtures],
) -> Result<Vec<Work<'a>>> {
    let mut work = Vec::new();
    for component in components {
        let adapter = adapter_for(adapters, component)?;
        let name = &component.manifest.component;
        for path in &component.scenarios {
            let plan = plan_scenario(component, adapter, path)?;
            work.push(Work {
                adapter,
                component,
                id: plan.id.clone(),
                case: Case::Scenario(plan),
            });
        }
        work.push(Work {
            adapter,
            component,
            id: signatures_id(name),
            case: Case::Signatures,
        });
        work.push(Work {
            adapter,
            component,
            id: errors_id(name),
            case: Case::Errors,
        });
        if args.gate_cases {
            work.push(Work {
                adapter,
                component,
                id: format!("{name}/snapshots"),
                case: Case::Snapshots,
            });
            work.push(Work {
                adapter,
                component,
                id: format!("{name}/properties"),
                case: Case::Properties,
            });
        }
    }
    work.retain(|w| selected(args, &w.id));
    Ok(work)
}

/// Runs the cases in a watched worker, handing each verdict to `on_verdict`.
fn supervise(
    args: &RunArgs,
    work: &[Work<'_>],
    on_verdict: impl FnMut(ScenarioVerdict),
) -> Result<()> {
    let ids: Vec<String> = work.iter().map(|w| w.id.clone()).collect();
    let cases: HashMap<String, CaseInfo> = work
        .iter()
        .map(|w| {
            (
                w.id.clone(),
                CaseInfo {
                    component: w.component.manifest.component.clone(),
                    file: w.file(),
                    budget: match w.case {
                        Case::Properties => args.worker_prop_time.unwrap_or_default(),
                        _ => Duration::ZERO,
                    },
                },
            )
        })
        .collect();
    let supervisor = Supervisor {
        program: std::env::current_exe().map_err(|e| Error::new(ErrorKind::Io(e)))?,
        args: worker_args(args),
        timeout: Duration::from_secs_f64(args.timeout.max(0.001)),
        capture: !args.no_capture,
    };
    supervisor.run(&ids, &cases, on_verdict)
}

pub(super) fn run(adapters: &[Adapter], args: &RunArgs) -> Result<bool> {
    let components = components(args)?;
    let work = plan_all(adapters, args, &components)?;
    if args.worker {
        return run_worker(args, &work);
    }
    crate::interrupt::install().map_err(|e| Error::new(ErrorKind::Io(e)))?;
    let mut ledgers = HashMap::new();
    for component in &components {
        ledgers.insert(
            component.manifest.component.clone(),
            load_ledger(component)?,
        );
    }
    let (mut passed, mut failed, mut known) = (0, 0, 0);
    let mut stdout = std::io::stdout();
    supervise(args, &work, |verdict| {
        let adapter = adapters.iter().find(|a| a.component() == verdict.component);
        let case = case_report(
            &verdict,
            &ledgers[&verdict.component],
            rerun(adapter, &verdict.id),
        );
        match case.status {
            pyo3_conformance_model::CaseStatus::Pass => {
                passed += 1;
                let _ = write!(stdout, "{}", render_verdict(&verdict));
            }
            pyo3_conformance_model::CaseStatus::Known => {
                known += 1;
                let _ = writeln!(stdout, "KNOWN {}", verdict.id);
                for failure in &case.failures {
                    let _ = writeln!(
                        stdout,
                        "  [{}] {} — {}",
                        failure.kind,
                        failure.message,
                        failure.ledger.as_deref().unwrap_or("")
                    );
                }
            }
            pyo3_conformance_model::CaseStatus::Fail => {
                failed += 1;
                let _ = write!(stdout, "{}", render_verdict(&verdict));
                for failure in case
                    .failures
                    .iter()
                    .filter(|f| f.message.starts_with("ledger: "))
                {
                    let _ = writeln!(stdout, "  [{}] {}", failure.kind, failure.message);
                }
                let _ = write!(stdout, "{}", render_output(&verdict.output));
            }
        }
        let _ = stdout.flush();
    })?;
    let mut totals = render_totals(passed, failed);
    if known > 0 {
        totals.push_str(&format!(", {known} known"));
    }
    let _ = writeln!(stdout, "{totals}");
    Ok(failed == 0)
}

pub(super) fn gate(adapters: &[Adapter], args: &GateArgs) -> Result<bool> {
    let mut run_args = args.run.clone();
    let components = components(&run_args)?;
    run_args.gate_cases = true;
    run_args.worker_prop_cases = args.cases;
    run_args.worker_prop_time = args.prop_time;
    let mut ledgers = HashMap::new();
    for component in &components {
        ledgers.insert(
            component.manifest.component.clone(),
            load_ledger(component)?,
        );
    }
    let mut work = plan_all(adapters, &run_args, &components)?;
    let all_ids: BTreeSet<String> = work.iter().map(|w| w.id.clone()).collect();
    // The ledger cases are judged here, from the ledger and the list of cases alone.
    let mut ledger_cases: Vec<ScenarioVerdict> = components
        .iter()
        .map(|c| ledger_verdict(c, &ledgers[&c.manifest.component], &all_ids))
        .filter(|v| selected(&run_args, &v.id))
        .collect();
    if let Some((k, n)) = args.shard {
        work.retain(|w| in_shard(&w.id, k, n));
        ledger_cases.retain(|v| in_shard(&v.id, k, n));
    }
    crate::interrupt::install().map_err(|e| Error::new(ErrorKind::Io(e)))?;
    let mut reports = Reports::start(&args.out, args.shard.map(|(k, n)| format!("{k}/{n}")))?;
    reports.set_surfaces(
        components
            .iter()
            .filter_map(|c| Some((c.manifest.component.clone(), api_surface_table(c)?)))
            .collect(),
    );
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new((work.len() + ledger_cases.len()) as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").expect("a valid template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut stdout = std::io::stdout();
    let mut write_error = None;
    let supervised;
    {
        let mut record = |verdict: ScenarioVerdict| {
            let adapter = adapters.iter().find(|a| a.component() == verdict.component);
            let case = case_report(
                &verdict,
                &ledgers[&verdict.component],
                rerun(adapter, &verdict.id),
            );
            let status = match case.status {
                pyo3_conformance_model::CaseStatus::Pass => "PASS",
                pyo3_conformance_model::CaseStatus::Fail => "FAIL",
                pyo3_conformance_model::CaseStatus::Known => "KNOWN",
            };
            progress.suspend(|| {
                if status == "PASS" {
                    let _ = writeln!(stdout, "PASS {}", verdict.id);
                } else {
                    let _ = writeln!(stdout, "{status} {}", verdict.id);
                    for failure in &case.failures {
                        let known = if failure.known { " (known)" } else { "" };
                        // An operation property runs could not generate: loud, not a bracket.
                        let kind = if failure.kind == "skip" {
                            "SKIP".to_owned()
                        } else {
                            format!("[{}]", failure.kind)
                        };
                        let _ = writeln!(stdout, "  {kind}{known} {}", failure.message);
                    }
                    let _ = writeln!(stdout, "  rerun: {}", case.rerun.conformance);
                    if status == "FAIL" {
                        let _ = write!(stdout, "{}", render_output(&case.output));
                    }
                }
            });
            progress.set_message(verdict.id.clone());
            progress.inc(1);
            if let Err(error) = reports.add(case) {
                write_error.get_or_insert(error);
            }
        };
        for verdict in ledger_cases {
            record(verdict);
        }
        supervised = supervise(&run_args, &work, &mut record);
    }
    progress.finish_and_clear();
    if let Some(error) = write_error {
        return Err(error);
    }
    if let Err(error) = supervised {
        if let ErrorKind::Interrupted(signal) = error.kind() {
            let report = reports.interrupt(*signal)?;
            let _ = writeln!(
                stdout,
                "reports (partial): {}/{{report.json,junit.xml,summary.md}}",
                args.out.display()
            );
            let _ = writeln!(stdout, "{}", totals_line(&report));
        }
        return Err(error);
    }
    let report = reports.finish()?;
    let _ = writeln!(
        stdout,
        "reports: {}/{{report.json,junit.xml,summary.md}}",
        args.out.display()
    );
    let _ = writeln!(stdout, "{}", totals_line(&report));
    Ok(report.summary.failed == 0)
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
    if args.gate_cases {
        out.push("--gate-cases".into());
        if let Some(cases) = args.worker_prop_cases {
            out.extend(["--worker-prop-cases".into(), cases.to_string().into()]);
        }
        if let Some(time) = args.worker_prop_time {
            out.extend([
                "--worker-prop-time".into(),
                format!("{}ms", time.as_millis()).into(),
            ]);
        }
    }
    out
}

/// Worker side: run the ids the supervisor sends, in that order, reporting each as an event;
/// bad input is reported as an event too (its fd 2 belongs to the code under test).
fn run_worker(args: &RunArgs, work: &[Work<'_>]) -> Result<bool> {
    let socket = args.worker_socket.as_deref().ok_or_else(|| {
        Error::new(ErrorKind::Usage(
            "--worker is started by `conformance run` and `gate`, which pass --worker-socket"
                .to_owned(),
        ))
    })?;
    let mut channel = WorkerChannel::connect(socket)?;
    let result = run_worker_cases(args, work, &mut channel);
    if let Err(error) = &result {
        let _ = channel.emit(&Event::Error {
            message: error.to_string(),
        });
    }
    result
}

fn run_worker_cases(
    args: &RunArgs,
    work: &[Work<'_>],
    channel: &mut WorkerChannel,
) -> Result<bool> {
    let ids = channel.ids()?;
    let by_id: HashMap<&str, &Work<'_>> = work.iter().map(|w| (w.id.as_str(), w)).collect();
    prepare(args.python.as_deref())?;
    for id in &ids {
        let Some(item) = by_id.get(id.as_str()) else {
            continue;
        };
        flush_output();
        let _ = channel.emit(&Event::Started {
            id: id.to_owned(),
            output: OutputAt::now(),
        });
        let verdict = match &item.case {
            Case::Scenario(plan) => run_plan(item.adapter, item.component, plan)?,
            Case::Signatures => signature_verdict(item.component)?,
            Case::Errors => contract_verdict(item.adapter, item.component)?,
            Case::Snapshots => snapshot_verdict(item.adapter, item.component)?,
            Case::Properties => {
                properties_verdict(item.adapter, item.component, args.prop_budget())?
            }
        };
        flush_output();
        let _ = channel.emit(&Event::Finished {
            verdict,
            output: OutputAt::now(),
        });
    }
    Ok(true)
}

/// Writes out what Python and Rust hold in their stdout/stderr buffers, so that a case's
/// output is in the capture files when the supervisor reads them.
fn flush_output() {
    use pyo3::types::PyAnyMethods;
    pyo3::Python::attach(|py| {
        for stream in ["stdout", "stderr"] {
            if let Ok(stream) = py.import("sys").and_then(|sys| sys.getattr(stream)) {
                if !stream.is_none() {
                    let _ = stream.call_method0("flush");
                }
            }
        }
    });
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
}
