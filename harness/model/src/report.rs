//! The gate's machine-readable report (`report.json`) and the divergence ledger
//! (`fixtures/<component>/ledger.json`): part of the contract with CI and scripts, so their
//! JSON Schemas are generated and committed like the fixture formats'.
//!
//! A report is deterministic for the same cases and results: cases sorted by id, no times,
//! so shard reports merge into exactly the report of one run.

use schemars::JsonSchema;

use crate::CapturedOutput;
use serde::{Deserialize, Serialize};

/// `report.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Counts over all cases.
    pub summary: Summary,
    /// Whether every selected case has run (false in a report written mid-run).
    pub complete: bool,
    /// `K/N` when this is one shard of a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// The signal that stopped the run before every case had run (`SIGINT`, `SIGTERM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<String>,
    /// Every case, sorted by id (and interpreter).
    pub cases: Vec<CaseReport>,
    /// Each component's API-surface table (the `api_surface` snapshot: every member as the
    /// manifest, the runtime and the stub show it), for report.html.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub surfaces: std::collections::BTreeMap<String, String>,
}

/// Counts of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Cases in the report.
    pub total: usize,
    /// Cases that conform.
    pub passed: usize,
    /// Cases with a divergence the ledger does not accept (or a ledger entry that no longer
    /// holds).
    pub failed: usize,
    /// Cases whose every failure is accepted by the ledger.
    pub known: usize,
    /// Operations property runs could not generate and the manifest does not opt out (each a
    /// `skip` failure of a `properties` case the ledger does not accept).
    #[serde(default)]
    pub skipped: usize,
}

/// A case's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Conforms.
    Pass,
    /// Diverges.
    Fail,
    /// Diverges only as the ledger says it does.
    Known,
}

/// One case of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaseReport {
    /// `component/...`: a scenario id, or `component/signatures`, `/errors`, `/snapshots`,
    /// `/properties`, `/ledger`.
    pub id: String,
    /// The component.
    pub component: String,
    /// The file the case comes from.
    pub file: String,
    /// The outcome.
    pub status: CaseStatus,
    /// Every failure (accepted ones with `known: true`).
    pub failures: Vec<ReportFailure>,
    /// Commands that rerun this case alone.
    pub rerun: Rerun,
    /// Information that is not a failure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the code under test wrote to fd 1 and 2 while the case ran.
    #[serde(default, skip_serializing_if = "CapturedOutput::is_empty")]
    pub output: CapturedOutput,
    /// The interpreter the case's Python side ran in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<Interpreter>,
}

/// A Python interpreter, as reports name it.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Interpreter {
    /// `3.11.7`.
    pub version: String,
    /// `CPython`, `PyPy`.
    pub implementation: String,
    /// Its ABI tag: `cp311`.
    pub abi: String,
}

impl Interpreter {
    /// The version as numbers, so that 3.9 sorts before 3.10.
    pub fn sort_key(&self) -> Vec<u64> {
        self.version
            .split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect()
    }

    /// `3.11`: what ledger entries scope to and matrices head their columns with.
    pub fn minor(&self) -> &str {
        let mut dots = self.version.match_indices('.').map(|(at, _)| at);
        match (dots.next(), dots.next()) {
            (Some(_), Some(second)) => &self.version[..second],
            _ => &self.version,
        }
    }
}

/// One failure in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportFailure {
    /// `output`, `exception`, `signature`, `panic`, `missing`, `crash`, `timeout`.
    pub kind: String,
    /// What happened.
    pub message: String,
    /// Where inside the value the sides part, for output failures.
    pub path: Option<String>,
    /// The step (1-based), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// The Rust side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
    /// The Python side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
    /// The fixture's `expect`, for a failure against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Whether a ledger entry accepts it.
    #[serde(default)]
    pub known: bool,
    /// The accepting entry's reason and link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<String>,
}

/// Commands that rerun one case alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rerun {
    /// Both languages, through the CLI.
    pub conformance: String,
    /// The Rust test (`cargo test ...`), where the adapter names its test crate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<String>,
    /// The Python side against the recorded Rust result (`pytest -k ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
}

/// `fixtures/<component>/ledger.json`: the divergences a maintainer accepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    /// Optional path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The accepted divergences.
    pub entries: Vec<LedgerEntry>,
}

/// One accepted divergence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerEntry {
    /// Which case (and step), or which operation, it is about.
    pub selector: Selector,
    /// The failure kind expected (`output`, `exception`, ...).
    pub kind: String,
    /// A regular expression the failure message must match.
    pub message: String,
    /// Why it is accepted.
    pub reason: String,
    /// Where it is discussed (an issue, a PR).
    #[serde(default)]
    pub link: String,
}

/// What a ledger entry is about: a case (optionally one step of it), or an operation in any
/// case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Selector {
    /// A case id (`seed/scenarios/store_full`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// A step of that case, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// An operation as the manifest names it (`Store.put`), in any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The interpreters it holds for, as `3.9` (major.minor); none: every one. On any other
    /// interpreter the entry does not apply: it neither accepts a failure nor goes stale.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpreters: Vec<String>,
}

impl Selector {
    /// How people read it.
    pub fn describe(&self) -> String {
        match (&self.case, self.step, &self.operation) {
            (Some(case), Some(step), _) => format!("{case} step {step}"),
            (Some(case), None, _) => case.clone(),
            (None, _, Some(operation)) => format!("operation {operation}"),
            _ => "nothing".to_owned(),
        }
    }
}

impl Report {
    /// Recounts the summary from the cases (after merging or adding cases).
    pub fn recount(&mut self) {
        self.cases.sort_by(|a, b| {
            (&a.id, a.interpreter.as_ref().map(Interpreter::sort_key))
                .cmp(&(&b.id, b.interpreter.as_ref().map(Interpreter::sort_key)))
        });
        let count = |status| self.cases.iter().filter(|c| c.status == status).count();
        self.summary = Summary {
            total: self.cases.len(),
            passed: count(CaseStatus::Pass),
            failed: count(CaseStatus::Fail),
            known: count(CaseStatus::Known),
            skipped: self
                .cases
                .iter()
                .flat_map(|c| &c.failures)
                .filter(|f| f.kind == "skip" && !f.known)
                .count(),
        };
    }
}
