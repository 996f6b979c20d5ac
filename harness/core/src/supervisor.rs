//! Crash and hang isolation for the CLI: scenarios run in a worker process, watched.
//!
//! The runner calls the code under test in-process, which is what makes it fast, and also what
//! lets a segfault or an endless loop in a binding take the whole run down. So `conformance run`
//! does not run scenarios itself: it starts one worker (the same binary, `run --worker`), hands
//! it the ids to run on stdin, and reads its events from stdout. One worker runs every scenario
//! (never a process per case); only when it dies or a scenario outlives the timeout does the
//! supervisor record a `crash` or `timeout` verdict for the scenario in flight, and start a fresh
//! worker for the rest. Events are lines with a private prefix, so whatever the code under test
//! prints to stdout is passed on (to stderr) instead of corrupting the protocol.

use std::collections::{HashMap, VecDeque};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyo3_conformance_model::{Failure, FailureKind, ScenarioVerdict};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// Marks a protocol line on the worker's stdout.
const PREFIX: &str = "\u{1e}pyo3-conformance-event ";
/// How many lines of a dead worker's stderr a crash verdict quotes.
const STDERR_TAIL: usize = 8;

/// What a worker reports.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum Event {
    /// A scenario started.
    Started { id: String },
    /// A scenario finished.
    Finished { verdict: ScenarioVerdict },
}

/// Writes one event line (worker side).
pub(crate) fn emit(out: &mut impl Write, event: &Event) -> std::io::Result<()> {
    let json = serde_json::to_string(event).map_err(std::io::Error::other)?;
    writeln!(out, "{PREFIX}{json}")?;
    out.flush()
}

/// Where a scenario lives, to fill in verdicts the worker could not write.
#[derive(Debug, Clone)]
pub(crate) struct CaseInfo {
    pub(crate) component: String,
    pub(crate) file: String,
    /// Time the case may take beyond the timeout: a property run's time budget.
    pub(crate) budget: Duration,
}

/// Runs scenarios in watched worker processes.
pub(crate) struct Supervisor {
    /// The worker command: this executable and its arguments (ending in `--worker`).
    pub(crate) program: PathBuf,
    pub(crate) args: Vec<OsString>,
    /// How long one scenario may take.
    pub(crate) timeout: Duration,
}

enum Line {
    Event(Box<Event>),
    Garbled(String),
}

impl Supervisor {
    /// Runs `ids` in order, calling `on_verdict` for each as it completes (crashes and
    /// timeouts included). Errors only when a worker reports bad input or cannot start.
    pub(crate) fn run(
        &self,
        ids: &[String],
        cases: &HashMap<String, CaseInfo>,
        mut on_verdict: impl FnMut(ScenarioVerdict),
    ) -> Result<()> {
        let mut remaining: VecDeque<String> = ids.iter().cloned().collect();
        while !remaining.is_empty() {
            let mut worker = self.spawn(&remaining)?;
            let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
            let events = read_events(&mut worker, Arc::clone(&stderr_tail));
            let mut current: Option<(String, Instant)> = None;
            let allowed =
                |id: &str| self.timeout + cases.get(id).map(|case| case.budget).unwrap_or_default();
            loop {
                let wait = match &current {
                    Some((id, started)) => allowed(id).saturating_sub(started.elapsed()),
                    None => self.timeout,
                };
                match events.recv_timeout(wait) {
                    Ok(Line::Event(event)) => match *event {
                        Event::Started { id } => current = Some((id, Instant::now())),
                        Event::Finished { verdict } => {
                            remaining.retain(|id| *id != verdict.id);
                            current = None;
                            on_verdict(verdict);
                        }
                    },
                    Ok(Line::Garbled(text)) => {
                        return Err(Error::new(ErrorKind::Worker(format!(
                            "worker protocol error: {text}"
                        ))));
                    }
                    Err(RecvTimeoutError::Timeout) => {
                        let _ = worker.kill();
                        let _ = worker.wait();
                        if let Some(id) = take_in_flight(&mut current, &mut remaining) {
                            let message = format!(
                                "the scenario did not finish within {} s; the worker was killed",
                                allowed(&id).as_secs_f64()
                            );
                            on_verdict(dead_verdict(&id, cases, FailureKind::Timeout, message));
                        }
                        break;
                    }
                    Err(RecvTimeoutError::Disconnected) => {
                        let status = worker.wait().map_err(|e| Error::new(ErrorKind::Io(e)))?;
                        let tail: Vec<String> = stderr_tail
                            .lock()
                            .map(|t| t.iter().cloned().collect())
                            .unwrap_or_default();
                        if status.code() == Some(2) {
                            // The worker found bad input or configuration: that is the run's error.
                            let message = tail
                                .last()
                                .cloned()
                                .unwrap_or_else(|| "the worker failed".to_owned());
                            return Err(Error::new(ErrorKind::Worker(
                                message.trim_start_matches("error: ").to_owned(),
                            )));
                        }
                        if remaining.is_empty() {
                            break;
                        }
                        if let Some(id) = take_in_flight(&mut current, &mut remaining) {
                            let mut message = format!(
                                "the process running this scenario died ({})",
                                describe(status)
                            );
                            if !tail.is_empty() {
                                message.push_str(&format!(
                                    "; its last stderr lines: {}",
                                    tail.join(" | ")
                                ));
                            }
                            on_verdict(dead_verdict(&id, cases, FailureKind::Crash, message));
                        }
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    fn spawn(&self, ids: &VecDeque<String>) -> Result<Child> {
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                Error::new(ErrorKind::Usage(format!(
                    "cannot start a worker process: {e}"
                )))
            })?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let list: String = ids.iter().map(|id| format!("{id}\n")).collect();
        std::thread::spawn(move || {
            let _ = stdin.write_all(list.as_bytes());
        });
        Ok(child)
    }
}

/// The case a dead or stopped worker was on (or would have started next), removed from those
/// still to run.
fn take_in_flight(
    current: &mut Option<(String, Instant)>,
    remaining: &mut VecDeque<String>,
) -> Option<String> {
    let id = current
        .take()
        .map(|(id, _)| id)
        .or_else(|| remaining.front().cloned())?;
    remaining.retain(|other| *other != id);
    Some(id)
}

/// Reads the worker's stdout (events) and stderr (passed through, tail kept) on two threads.
fn read_events(worker: &mut Child, tail: Arc<Mutex<VecDeque<String>>>) -> mpsc::Receiver<Line> {
    let (sender, receiver) = mpsc::channel();
    let stdout = worker.stdout.take().expect("stdout is piped");
    let stderr = worker.stderr.take().expect("stderr is piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            let message = match line.strip_prefix(PREFIX) {
                Some(json) => match serde_json::from_str::<Event>(json) {
                    Ok(event) => Line::Event(Box::new(event)),
                    Err(error) => Line::Garbled(format!("{error}: {json}")),
                },
                None => {
                    // The code under test printed to stdout: keep it visible, out of the report.
                    let _ = writeln!(std::io::stderr(), "{line}");
                    continue;
                }
            };
            if sender.send(message).is_err() {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr)
            .lines()
            .map_while(std::result::Result::ok)
        {
            if !line.starts_with("error: ") {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
            if let Ok(mut tail) = tail.lock() {
                tail.push_back(line);
                if tail.len() > STDERR_TAIL {
                    tail.pop_front();
                }
            }
        }
    });
    receiver
}

fn dead_verdict(
    id: &str,
    cases: &HashMap<String, CaseInfo>,
    kind: FailureKind,
    message: String,
) -> ScenarioVerdict {
    let info = cases.get(id).cloned().unwrap_or(CaseInfo {
        budget: Duration::ZERO,
        component: String::new(),
        file: String::new(),
    });
    ScenarioVerdict {
        id: id.to_owned(),
        component: info.component,
        file: info.file,
        steps: Vec::new(),
        failures: vec![Failure::new(kind, message)],
        notes: Vec::new(),
    }
}

fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                4 => "SIGILL",
                6 => "SIGABRT",
                7 => "SIGBUS",
                8 => "SIGFPE",
                9 => "SIGKILL",
                11 => "SIGSEGV",
                15 => "SIGTERM",
                _ => "signal",
            };
            return format!("killed by {name} ({signal})");
        }
    }
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => "no exit status".to_owned(),
    }
}
