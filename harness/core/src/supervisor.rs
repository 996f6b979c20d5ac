//! Crash and hang isolation for the CLI: scenarios run in a worker process, watched.
//!
//! The runner calls the code under test in-process, which is what makes it fast, and also what
//! lets a segfault or an endless loop in a binding take the whole run down. So `conformance run`
//! does not run scenarios itself: it starts one worker (the same binary, `run --worker`) and
//! watches it. One worker runs every scenario (never a process per case); only when it dies or a
//! scenario outlives the timeout does the supervisor record a `crash` or `timeout` verdict for the
//! scenario in flight, and start a fresh worker for the rest.
//!
//! The protocol (case ids in, events out) runs over a Unix socket in a private temporary
//! directory, never over fd 0, 1 or 2: those belong to the code under test, which may read
//! stdin, print anything (a forged event line included) or close them. Its fd 1 and 2 go to two
//! capture files instead; the supervisor notes their lengths when a case starts and reads what
//! was added when it ends (the worker flushes Python's and Rust's buffers before it reports), so
//! each verdict carries what its case wrote, panic messages and backtraces included, and a dead
//! worker's last words go with its crash verdict. `--no-capture` passes both through instead.

use std::collections::{HashMap, VecDeque};
use std::ffi::OsString;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use pyo3_conformance_model::{CapturedOutput, Failure, FailureKind, ScenarioVerdict};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// How much of each stream a verdict keeps: the end, where a case wrote more.
const CAPTURE_LIMIT: u64 = 64 * 1024;
/// How long a worker may take between cases (starting up, for one) before it counts as hung.
const BETWEEN_CASES: Duration = Duration::from_secs(60);
/// How often the supervisor looks up from waiting (for a signal, see `interrupt`).
const SLICE: Duration = Duration::from_millis(100);

/// What a worker reports.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub(crate) enum Event {
    /// A scenario started; its output starts at `output` in the capture files.
    Started { id: String, output: OutputAt },
    /// A scenario finished; its output ends at `output`.
    Finished {
        verdict: ScenarioVerdict,
        output: OutputAt,
    },
    /// The worker met bad input or configuration (the run's error, exit 2).
    Error { message: String },
}

/// How long the worker's stdout and stderr files are, as the worker sees them after flushing
/// (only it knows which of its writes came before an event); `None` where fd 1 or 2 is no
/// longer a file (the code under test closed it).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub(crate) struct OutputAt {
    stdout: Option<u64>,
    stderr: Option<u64>,
}

impl OutputAt {
    /// The lengths of this process's fd 1 and 2, where they are files.
    pub(crate) fn now() -> Self {
        let length = |path: &str| std::fs::metadata(path).ok().filter(|m| m.is_file());
        Self {
            stdout: length("/dev/stdout").map(|m| m.len()),
            stderr: length("/dev/stderr").map(|m| m.len()),
        }
    }
}

/// The worker's end of the protocol.
pub(crate) struct WorkerChannel {
    stream: UnixStream,
}

impl WorkerChannel {
    /// Connects to the supervisor listening at `socket`.
    pub(crate) fn connect(socket: &Path) -> Result<Self> {
        let stream = UnixStream::connect(socket).map_err(|e| Error::new(ErrorKind::Io(e)))?;
        Ok(Self { stream })
    }

    /// The case ids to run, in order (the supervisor sends them all, then closes its side).
    pub(crate) fn ids(&mut self) -> Result<Vec<String>> {
        let mut text = String::new();
        self.stream
            .read_to_string(&mut text)
            .map_err(|e| Error::new(ErrorKind::Io(e)))?;
        Ok(text.lines().map(str::to_owned).collect())
    }

    /// Reports one event.
    pub(crate) fn emit(&mut self, event: &Event) -> std::io::Result<()> {
        let mut json = serde_json::to_string(event).map_err(std::io::Error::other)?;
        json.push('\n');
        self.stream.write_all(json.as_bytes())
    }
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
    /// Whether the code under test's output is captured per case (else passed through live).
    pub(crate) capture: bool,
}

enum Line {
    Event(Box<Event>),
    Garbled(String),
}

/// The worker's fd 1 and 2, as files the supervisor reads back.
struct Capture {
    stdout: PathBuf,
    stderr: PathBuf,
}

/// Where a case's output starts in the capture files.
type Offsets = (u64, u64);

impl Capture {
    /// Where output starts as the worker reports it, or as the files are now where it cannot
    /// tell.
    fn offsets(&self, at: OutputAt) -> Offsets {
        let length = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
        (
            at.stdout.unwrap_or_else(|| length(&self.stdout)),
            at.stderr.unwrap_or_else(|| length(&self.stderr)),
        )
    }

    /// What was written from `from` to `to` (to the end of the files where `to` is `None`).
    fn between(&self, from: Offsets, to: Option<Offsets>) -> CapturedOutput {
        CapturedOutput {
            stdout: read_between(&self.stdout, from.0, to.map(|to| to.0)),
            stderr: read_between(&self.stderr, from.1, to.map(|to| to.1)),
        }
    }
}

/// The text of `path` from `offset` to `end` (or the end of the file), its last
/// [`CAPTURE_LIMIT`] bytes where it is longer.
fn read_between(path: &Path, offset: u64, end: Option<u64>) -> String {
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let end = end
        .unwrap_or_else(|| file.metadata().map_or(offset, |m| m.len()))
        .max(offset);
    let start = offset.max(end.saturating_sub(CAPTURE_LIMIT));
    let mut bytes = Vec::new();
    if file.seek(SeekFrom::Start(start)).is_err()
        || (&mut file)
            .take(end - start)
            .read_to_end(&mut bytes)
            .is_err()
    {
        return String::new();
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if start > offset {
        format!("[{} bytes before this were cut]\n{text}", start - offset)
    } else {
        text
    }
}

/// One running worker: the process, its events, and where its output goes.
struct Worker {
    child: Child,
    events: mpsc::Receiver<Line>,
}

impl Supervisor {
    /// Runs `ids` in order, calling `on_verdict` for each as it completes (crashes and
    /// timeouts included). Errors when a worker reports bad input or cannot start, and with
    /// `Interrupted` when SIGINT or SIGTERM came (after the verdicts finished before it).
    pub(crate) fn run(
        &self,
        ids: &[String],
        cases: &HashMap<String, CaseInfo>,
        mut on_verdict: impl FnMut(ScenarioVerdict),
    ) -> Result<()> {
        let io = |e| Error::new(ErrorKind::Io(e));
        let dir = tempfile::Builder::new()
            .prefix("pyo3-conformance-")
            .tempdir()
            .map_err(io)?;
        let socket = dir.path().join("events");
        let listener = UnixListener::bind(&socket).map_err(io)?;
        listener.set_nonblocking(true).map_err(io)?;
        let capture = self.capture.then(|| Capture {
            stdout: dir.path().join("stdout"),
            stderr: dir.path().join("stderr"),
        });
        let mut remaining: VecDeque<String> = ids.iter().cloned().collect();
        let allowed =
            |id: &str| self.timeout + cases.get(id).map(|case| case.budget).unwrap_or_default();
        while !remaining.is_empty() {
            let started = Instant::now();
            let mut worker = self.spawn(&listener, &socket, capture.as_ref(), &remaining)?;
            // The case in flight: its id, when it started, where its output starts.
            let mut current: Option<(String, Instant, Offsets)> = None;
            let mut idle_since = started;
            loop {
                if let Some(signal) = crate::interrupt::received() {
                    let _ = worker.child.kill();
                    let _ = worker.child.wait();
                    return Err(Error::new(ErrorKind::Interrupted(signal)));
                }
                let deadline = match &current {
                    Some((id, started, _)) => allowed(id).saturating_sub(started.elapsed()),
                    // Between cases (a fresh worker starting up, say) the limit is never
                    // below a minute: only a case's own time is held to --timeout.
                    None => self
                        .timeout
                        .max(BETWEEN_CASES)
                        .saturating_sub(idle_since.elapsed()),
                };
                match worker.events.recv_timeout(deadline.min(SLICE)) {
                    Ok(Line::Event(event)) => match *event {
                        Event::Started { id, output } => {
                            let offsets = capture.as_ref().map_or((0, 0), |c| c.offsets(output));
                            current = Some((id, Instant::now(), offsets));
                        }
                        Event::Finished {
                            mut verdict,
                            output,
                        } => {
                            remaining.retain(|id| *id != verdict.id);
                            if let (Some(capture), Some((_, _, from))) = (&capture, &current) {
                                verdict.output =
                                    capture.between(*from, Some(capture.offsets(output)));
                            }
                            current = None;
                            idle_since = Instant::now();
                            on_verdict(verdict);
                        }
                        Event::Error { message } => {
                            let _ = worker.child.wait();
                            return Err(Error::new(ErrorKind::Worker(message)));
                        }
                    },
                    Ok(Line::Garbled(text)) => {
                        let _ = worker.child.kill();
                        let _ = worker.child.wait();
                        return Err(Error::new(ErrorKind::Worker(format!(
                            "worker protocol error: {text}"
                        ))));
                    }
                    Err(RecvTimeoutError::Timeout) if !deadline.is_zero() => continue,
                    Err(RecvTimeoutError::Timeout) => {
                        let _ = worker.child.kill();
                        let _ = worker.child.wait();
                        let started = current.is_some();
                        let (id, from) = take_in_flight(&mut current, &mut remaining);
                        if let Some(id) = id {
                            let message = if started {
                                format!(
                                    "the scenario did not finish within {} s; the worker was killed",
                                    allowed(&id).as_secs_f64()
                                )
                            } else {
                                format!(
                                    "the worker did not start this scenario within {} s (hung \
                                     between cases, or starting up); it was killed",
                                    self.timeout.max(BETWEEN_CASES).as_secs_f64()
                                )
                            };
                            let mut verdict =
                                dead_verdict(&id, cases, FailureKind::Timeout, message);
                            if let Some(capture) = &capture {
                                verdict.output = capture.between(from, None);
                            }
                            on_verdict(verdict);
                        }
                        break;
                    }
                    Err(RecvTimeoutError::Disconnected) => {
                        let status = worker.child.wait().map_err(io)?;
                        if crate::interrupt::received().is_some() {
                            continue;
                        }
                        if remaining.is_empty() {
                            break;
                        }
                        let (id, from) = take_in_flight(&mut current, &mut remaining);
                        if let Some(id) = id {
                            let message = format!(
                                "the process running this scenario died ({})",
                                describe(status)
                            );
                            let mut verdict = dead_verdict(&id, cases, FailureKind::Crash, message);
                            if let Some(capture) = &capture {
                                verdict.output = capture.between(from, None);
                            }
                            on_verdict(verdict);
                        }
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// Starts a worker, waits for it to connect, and hands it the ids to run.
    fn spawn(
        &self,
        listener: &UnixListener,
        socket: &Path,
        capture: Option<&Capture>,
        ids: &VecDeque<String>,
    ) -> Result<Worker> {
        let io = |e| Error::new(ErrorKind::Io(e));
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .arg("--worker-socket")
            .arg(socket)
            .stdin(Stdio::null())
            // What the code under test prints reaches the capture file at once, so a worker
            // that dies leaves its last words there.
            .env("PYTHONUNBUFFERED", "1");
        if let Some(capture) = capture {
            let append = |path: &Path| {
                File::options()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(io)
            };
            command
                .stdout(append(&capture.stdout)?)
                .stderr(append(&capture.stderr)?);
        }
        let mut child = command.spawn().map_err(|e| {
            Error::new(ErrorKind::Usage(format!(
                "cannot start a worker process: {e}"
            )))
        })?;
        let stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if let Some(status) = child.try_wait().map_err(io)? {
                        // It died before it could connect: the reason is on its stderr.
                        let said = capture
                            .map(|c| read_between(&c.stderr, 0, None))
                            .unwrap_or_default();
                        let last = said
                            .lines()
                            .last()
                            .unwrap_or("")
                            .trim_start_matches("error: ");
                        return Err(Error::new(ErrorKind::Worker(format!(
                            "the worker process ended before it started ({}): {last}",
                            describe(status)
                        ))));
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) => return Err(io(e)),
            }
        };
        stream.set_nonblocking(false).map_err(io)?;
        let mut writer = stream.try_clone().map_err(io)?;
        let list: String = ids.iter().map(|id| format!("{id}\n")).collect();
        writer.write_all(list.as_bytes()).map_err(io)?;
        writer.shutdown(std::net::Shutdown::Write).map_err(io)?;
        Ok(Worker {
            child,
            events: read_events(stream),
        })
    }
}

/// The case a dead or stopped worker was on (or would have started next), removed from those
/// still to run, and where its output starts.
fn take_in_flight(
    current: &mut Option<(String, Instant, Offsets)>,
    remaining: &mut VecDeque<String>,
) -> (Option<String>, Offsets) {
    let (id, from) = match current.take() {
        Some((id, _, from)) => (Some(id), from),
        None => (remaining.front().cloned(), (0, 0)),
    };
    if let Some(id) = &id {
        remaining.retain(|other| other != id);
    }
    (id, from)
}

/// Reads the worker's events on a thread of their own.
fn read_events(stream: UnixStream) -> mpsc::Receiver<Line> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream)
            .lines()
            .map_while(std::result::Result::ok)
        {
            let message = match serde_json::from_str::<Event>(&line) {
                Ok(event) => Line::Event(Box::new(event)),
                Err(error) => Line::Garbled(format!("{error}: {line}")),
            };
            if sender.send(message).is_err() {
                break;
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
        output: CapturedOutput::default(),
    }
}

fn describe(status: ExitStatus) -> String {
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
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => "no exit status".to_owned(),
    }
}
