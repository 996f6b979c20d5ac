//! Differential property runs: generated scenarios through both languages, judged against
//! the ledger as they run, each new divergence shrunk and kept as an ordinary scenario file.
//!
//! Each *target* of a component — every module function, and every class as a state machine
//! (swarm-tested: each case enables a random subset of its operations) — is searched on its
//! own (`search`) until its share of the `budget` runs out: a divergence the ledger accepts is
//! counted and the search goes on, so a target with a known bug still shows its next one. A
//! case is a `Scenario` value (see `strategy`), checked and run exactly as a fixture is
//! (`plan`, `runner`, `judge`), so the error contract applies. The minimal case of a new
//! divergence is written under `fixtures/<component>/regressions/` as a value, not a seed, so
//! every later `cargo test`, gate and pytest run replays it. Runs are deterministic for a
//! seed and a case count: each target's RNG is seeded from the run's seed and the target's
//! name. What cannot be generated is a `Gap`, reported loudly and failing the run unless the
//! manifest opts the operation out. `stdlib` holds the strategies of the standard-library
//! types, apart from `strategy`'s builtins; `verdict` turns a run into one case judged against
//! the ledger alike in every front end.

mod budget;
mod makers;
mod search;
mod stdlib;
mod strategy;
pub(crate) mod types;
mod values;
mod verdict;

pub(crate) use budget::parse_duration;
pub(crate) use budget::time_from_env;
pub use budget::{Budget, TIME_VARIABLE};
pub use search::{CaseRunner, Divergence};
pub use verdict::properties_verdict;
pub use verdict::{JudgedRun, judged_run};
pub(crate) use verdict::{OPT_OUT, OPTED_OUT};

use std::path::PathBuf;

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use pyo3_conformance_model::Scenario;

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::ComponentFixtures;
use crate::plan::plan_generated;
use crate::runner::run_plan;
use strategy::Generated;

/// How a property run is made.
#[derive(Debug, Clone)]
pub struct PropertyConfig {
    /// How long each target searches.
    pub budget: Budget,
    /// The seed; the same seed generates the same cases (a time budget may end sooner).
    pub seed: u64,
}

/// What a property run did for one target.
#[derive(Debug, Clone)]
pub struct TargetReport {
    /// `<component>/prop/<target>`.
    pub id: String,
    /// How many cases ran.
    pub cases: u32,
    /// How many of them reached their last step on both sides: fewer where an object a step
    /// needs is often not made (a constructor given arguments it refuses).
    pub reached: u32,
    /// Every divergence found, known and new, in the order found.
    pub divergences: Vec<Divergence>,
    /// Why no case of the target ran, if none did.
    pub skipped: Option<Gap>,
    /// Operations of the target's state machine that were left out, and why.
    pub gaps: Vec<Gap>,
    /// What was generated only in part (an untyped `*args`, a default always omitted).
    pub notes: Vec<String>,
}

impl TargetReport {
    /// `256 cases`, and how many reached their last step where not all did.
    pub fn counts(&self) -> String {
        if self.reached < self.cases {
            format!(
                "{} cases, {} of them reaching the last step",
                self.cases, self.reached
            )
        } else {
            format!("{} cases", self.cases)
        }
    }

    /// The divergences the ledger does not accept.
    pub fn new_divergences(&self) -> impl Iterator<Item = &Divergence> {
        self.divergences.iter().filter(|d| !d.known)
    }

    /// Every operation left out that the manifest does not opt out: each fails the run.
    pub fn unexplained_gaps(&self) -> impl Iterator<Item = &Gap> {
        self.skipped
            .iter()
            .chain(&self.gaps)
            .filter(|gap| !gap.opted_out)
    }
}

/// An operation a property run does not generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// `f`, `Class` (its constructor), `Class.method`.
    pub operation: String,
    /// Why.
    pub reason: String,
    /// Whether the manifest opts it out (`"properties": false`, the reason its own).
    pub opted_out: bool,
}

/// FNV-1a: a stable hash (std's hasher may change between Rust versions).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn rng(seed: u64, target: &str) -> TestRng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&fnv(target.as_bytes()).to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// A target: a function, or a class as a state machine, with what generates its cases, or
/// why nothing can.
struct Target {
    name: String,
    generated: std::result::Result<Generated, Gap>,
}

/// Every target of a component.
fn targets(adapter: &Adapter, component: &ComponentFixtures) -> Vec<Target> {
    let manifest = &component.manifest;
    let sources = (adapter, manifest);
    let unexplained = |operation: &str| {
        let operation = operation.to_owned();
        move |reason: String| Gap {
            operation,
            reason,
            opted_out: false,
        }
    };
    let opted_out = |operation: &str, signature: &pyo3_conformance_model::Signature| {
        signature.opted_out().map(|reason| Gap {
            operation: operation.to_owned(),
            reason: reason.to_owned(),
            opted_out: true,
        })
    };
    let mut found = Vec::new();
    for (name, signature) in &manifest.functions {
        let generated = match opted_out(name, signature) {
            Some(gap) => Err(gap),
            None => {
                strategy::function_scenarios(sources, name, signature).map_err(unexplained(name))
            }
        };
        found.push(Target {
            name: name.clone(),
            generated,
        });
    }
    for (name, class) in &manifest.classes {
        let generated = match class.constructor.as_ref().and_then(|c| opted_out(name, c)) {
            Some(gap) => Err(gap),
            None => strategy::class_scenarios(sources, name, class).map_err(|reason| Gap {
                operation: name.clone(),
                reason,
                // A class no case can construct is explained where each of its methods is
                // opted out.
                opted_out: class.constructor.is_none()
                    && class.methods.values().all(|m| m.opted_out().is_some()),
            }),
        };
        found.push(Target {
            name: name.clone(),
            generated,
        });
    }
    found
}

/// `cases` scenarios for one target (`"checked_mul"`, `"Store"`), drawn from its strategy with
/// the RNG a property run with this seed uses: for benchmarks and inspection.
pub fn sample_scenarios(
    adapter: &Adapter,
    component: &ComponentFixtures,
    target: &str,
    cases: usize,
    seed: u64,
) -> std::result::Result<Vec<Scenario>, String> {
    use proptest::strategy::{Strategy, ValueTree};
    let found = targets(adapter, component)
        .into_iter()
        .find(|found| found.name == target)
        .ok_or_else(|| {
            format!(
                "no target '{target}' in component '{}'",
                component.manifest.component
            )
        })?;
    let strategy = found.generated.map_err(|gap| gap.reason)?.strategy;
    let mut runner = TestRunner::new_with_rng(Config::default(), rng(seed, target));
    (0..cases)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .map(|tree| tree.current())
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Runs one scenario value (generated or built in code) as if it were a fixture file at
/// `<component>/regressions/<name>.json`: checked against the manifest and adapter, run in
/// both languages, judged.
pub fn run_scenario(
    adapter: &Adapter,
    component: &ComponentFixtures,
    name: &str,
    scenario: &Scenario,
) -> Result<pyo3_conformance_model::ScenarioVerdict> {
    let path = component
        .dir
        .join("regressions")
        .join(format!("{name}.json"));
    let id = crate::fixtures::scenario_id(component, &path);
    let plan = plan_generated(
        component,
        adapter,
        (id, &path),
        scenario.clone(),
        &mut Default::default(),
    )
    .map_err(|message| Error::in_file(&path, ErrorKind::Invalid(message)))?;
    run_plan(adapter, component, &plan)
}

/// Runs every target of a component, each searching until its share of the budget runs out
/// and judging each case against the component's ledger as it goes. `Err` only for harness
/// errors (an unusable Python environment, a bad ledger); divergences are outcomes.
pub fn run_properties(
    adapter: &Adapter,
    component: &ComponentFixtures,
    config: &PropertyConfig,
) -> Result<Vec<TargetReport>> {
    let ledger = crate::gate::load_ledger(component)?;
    let mut cx = search::Context {
        component,
        ledger: &ledger,
        runner: CaseRunner::new(adapter, component, ""),
    };
    let found = targets(adapter, component);
    let runnable = found.iter().filter(|t| t.generated.is_ok()).count();
    let budget = config.budget.per_target(runnable);
    let mut reports = Vec::new();
    for target in found {
        let id = format!("{}/prop/{}", component.manifest.component, target.name);
        let generated = match target.generated {
            Ok(generated) => generated,
            Err(gap) => {
                reports.push(TargetReport {
                    id,
                    cases: 0,
                    reached: 0,
                    divergences: Vec::new(),
                    skipped: Some(gap),
                    gaps: Vec::new(),
                    notes: Vec::new(),
                });
                continue;
            }
        };
        let searched = search::search(
            &mut cx,
            &target.name,
            &generated.strategy,
            budget,
            rng(config.seed, &target.name),
        )?;
        reports.push(TargetReport {
            id,
            cases: searched.cases,
            reached: searched.reached,
            divergences: searched.divergences,
            skipped: searched.unrunnable.map(|reason| Gap {
                operation: target.name.clone(),
                reason,
                opted_out: false,
            }),
            gaps: generated.gaps,
            notes: generated.notes,
        });
    }
    Ok(reports)
}

/// Writes the minimal case as `regressions/<target>-<hash>.json` (a value, not a seed).
pub(crate) fn write_regression(
    component: &ComponentFixtures,
    target: &str,
    minimal: &Scenario,
    failure: &str,
    seed: u64,
) -> Result<PathBuf> {
    let mut scenario = minimal.clone();
    let operations = minimal
        .description
        .as_deref()
        .and_then(|d| d.strip_prefix(strategy::SWARM))
        .map(|ops| format!(", operations enabled: {ops}"))
        .unwrap_or_default();
    scenario.description = Some(format!(
        "found by a property run (seed {seed}{operations}): {failure}"
    ));
    let steps = serde_json::to_string(&scenario.steps).expect("scenarios serialize");
    let dir = component.dir.join("regressions");
    let path = dir.join(format!(
        "{}-{:08x}.json",
        target.replace('.', "_"),
        fnv(steps.as_bytes()) as u32
    ));
    let mut text = serde_json::to_string_pretty(&scenario).expect("scenarios serialize");
    text.push('\n');
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|e| Error::in_file(&path, ErrorKind::Io(e)))?;
    Ok(path)
}
