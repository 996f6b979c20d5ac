//! Outcomes and verdicts: what one side did at one step, and what the comparison concluded.
//!
//! These are data, never errors: a divergence between the languages is a [`Failure`] inside a
//! [`ScenarioVerdict`], reported and counted, while the harness's own errors (a broken fixture)
//! live in the runner's error type. The failure kinds are the closed list of DESIGN.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Value;

/// What one side did at one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Outcome {
    /// It returned a value.
    Returned {
        /// The value, canonical.
        value: Value,
    },
    /// It failed in the ordinary way: an error value in Rust, an exception in Python.
    Raised {
        /// The Rust error kind, or the Python exception's qualified class name.
        kind: String,
        /// The Rust error's `Display`, or `str(exception)`.
        message: String,
        /// Python: the qualified names of the exception's base classes (its MRO, itself
        /// excluded), so the error contract can check `isinstance` and declared bases.
        /// Shared: one exception class's bases are the same in every outcome it raises.
        #[serde(default, skip_serializing_if = "no_bases")]
        bases: std::sync::Arc<[String]>,
        /// Python: `args` and the attributes the contract names; Rust: the error's details,
        /// where the adapter gives them.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        attributes: BTreeMap<String, Value>,
    },
    /// It panicked (in Rust) or let a `PanicException` escape (in Python).
    Panicked {
        /// The panic message.
        message: String,
    },
    /// The member it was to use does not exist (Python only: an attribute is absent).
    Missing {
        /// What is absent.
        message: String,
    },
    /// It returned (or raised with, or called back with) a value the canonical model cannot
    /// hold: one that contains itself, or nests deeper than [`crate::MAX_DEPTH`] containers.
    Unrepresentable {
        /// What the value is and where it parts from the model: `a list that contains itself
        /// (at $[0])`.
        message: String,
    },
}

/// Whether an exception of class `kind`, whose bases are `bases` (the names the error contract
/// gives them included), is an instance of `wanted`: `isinstance`, by qualified name. The
/// one answer the Python side (which attributes to ask) and the judge (the contract, `raises`)
/// both use.
pub fn is_instance(kind: &str, bases: &[String], wanted: &str) -> bool {
    kind == wanted || bases.iter().any(|base| base == wanted)
}

impl Outcome {
    /// A failure with a kind and a message, and nothing more known about it.
    pub fn raised(kind: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Raised {
            kind: kind.into(),
            message: message.into(),
            bases: std::sync::Arc::default(),
            attributes: BTreeMap::new(),
        }
    }

    /// A one-line account for reports.
    pub fn describe(&self) -> String {
        match self {
            Self::Returned { value } => value.to_json_string(),
            Self::Raised { kind, message, .. } => format!("raised {kind}: {message}"),
            Self::Panicked { message } => format!("panicked: {message}"),
            Self::Missing { message } => format!("missing: {message}"),
            Self::Unrepresentable { message } => format!("unrepresentable: {message}"),
        }
    }
}

/// What one side did at one step: its outcome, and every call the code under test made to a
/// scenario's callbacks while the step ran (a callback stored by an earlier step and called
/// now counts here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    /// The step's outcome.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The callback calls, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<CallbackCall>,
}

impl From<Outcome> for Observed {
    fn from(outcome: Outcome) -> Self {
        Self {
            outcome,
            calls: Vec::new(),
        }
    }
}

/// One call of a callback by the code under test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackCall {
    /// The callback's name in the manifest.
    pub callback: String,
    /// The positional arguments it was called with, canonical.
    pub args: Vec<Value>,
    /// The keyword arguments it was called with (Python only ever passes these).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kwargs: BTreeMap<String, Value>,
}

impl CallbackCall {
    /// The call as Python would write it: `is_even(3)`.
    pub fn describe(&self) -> String {
        let mut args: Vec<String> = self.args.iter().map(Value::to_json_string).collect();
        args.extend(
            self.kwargs
                .iter()
                .map(|(name, value)| format!("{name}={}", value.to_json_string())),
        );
        format!("{}({})", self.callback, args.join(", "))
    }
}

/// The kind of a failure (DESIGN.md: "Verdict").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The values differ.
    Output,
    /// The errors differ: one side raised and the other did not, or the wrong class or message.
    Exception,
    /// A signature differs.
    Signature,
    /// A panic crossed into Python, or the Rust side panicked.
    Panic,
    /// A member the manifest declares is absent at runtime.
    Missing,
    /// The code under test crashed the process.
    Crash,
    /// The code under test did not finish in time.
    Timeout,
    /// A property run could not generate cases for an operation the manifest does not opt
    /// out of property runs: nothing was tested, which must not pass as a pass.
    Skip,
}

impl FailureKind {
    /// The kind's name as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Output => "output",
            Self::Exception => "exception",
            Self::Signature => "signature",
            Self::Panic => "panic",
            Self::Missing => "missing",
            Self::Crash => "crash",
            Self::Timeout => "timeout",
            Self::Skip => "skip",
        }
    }
}

/// One reason a scenario does not conform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// What kind of divergence.
    pub kind: FailureKind,
    /// The step (0-based) it happened at, if any.
    pub step: Option<usize>,
    /// What happened, in one line.
    pub message: String,
    /// Where inside the value the sides part (`$.items[3]`), for output failures.
    pub path: Option<String>,
    /// The Rust side, in one line.
    pub rust: Option<String>,
    /// The Python side, in one line.
    pub python: Option<String>,
    /// The fixture's `expect`, in one line, for a failure against it (`rust`/`python` then
    /// hold what the side, or sides, that missed it gave).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The operation of the step, as the manifest names it (`Store.put`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

/// The sides a failure shows, labelled, in the order reports print them: the fixture's
/// `expected` value, then the Rust side, then the Python side, each where it is known.
pub fn labelled_sides<'a>(
    expected: Option<&'a str>,
    rust: Option<&'a str>,
    python: Option<&'a str>,
) -> impl Iterator<Item = (&'static str, &'a str)> {
    [("expected", expected), ("rust", rust), ("python", python)]
        .into_iter()
        .filter_map(|(label, side)| side.map(|side| (label, side)))
}

impl Failure {
    /// The sides it shows, labelled (see [`labelled_sides`]).
    pub fn sides(&self) -> impl Iterator<Item = (&'static str, &str)> {
        labelled_sides(
            self.expected.as_deref(),
            self.rust.as_deref(),
            self.python.as_deref(),
        )
    }

    /// A failure of `kind` with `message` and nothing else known.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            step: None,
            message: message.into(),
            path: None,
            rust: None,
            python: None,
            expected: None,
            operation: None,
        }
    }
}

/// The per-step record of a run, for reports and snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// The step's label (`store.put()`), shared with the plan's step.
    pub label: std::sync::Arc<str>,
    /// What Rust did.
    pub rust: Observed,
    /// What Python did.
    pub python: Observed,
}

/// The verdict on one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioVerdict {
    /// `component/relative/path` without `.json`.
    pub id: String,
    /// The component.
    pub component: String,
    /// The scenario file.
    pub file: String,
    /// Each step as run.
    pub steps: Vec<StepReport>,
    /// Every divergence found; empty means the scenario conforms.
    pub failures: Vec<Failure>,
    /// Information for people that is not a failure (an error-coverage summary, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the code under test wrote to fd 1 and 2 while the case ran (the CLI's worker
    /// captures it; in-process front ends leave that to their test runner).
    #[serde(default, skip_serializing_if = "CapturedOutput::is_empty")]
    pub output: CapturedOutput,
}

/// What a process wrote to its standard output and error while one case ran, panic messages
/// and backtraces included; the end of each where it is long.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CapturedOutput {
    /// What went to fd 1.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub stdout: String,
    /// What went to fd 2.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub stderr: String,
}

impl CapturedOutput {
    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.stdout.is_empty() && self.stderr.is_empty()
    }
}

impl ScenarioVerdict {
    /// Whether the scenario conforms.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

fn no_bases(bases: &std::sync::Arc<[String]>) -> bool {
    bases.is_empty()
}
