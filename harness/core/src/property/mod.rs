//! Differential property runs: generated scenarios through both languages, shrunk to a
//! minimal divergence, kept as an ordinary scenario file.
//!
//! Each *target* of a component — every module function, and every class as a state machine —
//! gets its own proptest run. A case is a `Scenario` value (see `strategy`), checked and run
//! exactly as a fixture is (`plan`, `runner`, `judge`), so the error contract applies: both
//! sides failing per the contract is agreement, one side failing is a divergence. proptest
//! shrinks a failing scenario; the minimal one is written under
//! `fixtures/<component>/regressions/` as a value, not a seed, so every later `cargo test`,
//! gate and pytest run replays it. Runs are deterministic for a seed: each target's RNG is
//! seeded from the run's seed and the target's name. `stdlib` holds the strategies of the
//! standard-library types (datetimes, decimals, ...), apart from `strategy`'s builtins;
//! `verdict` turns a run into one case judged against the ledger alike in every front end.

mod stdlib;
mod strategy;
pub(crate) mod types;
mod verdict;

pub(crate) use verdict::judged_run;
pub use verdict::properties_verdict;

use std::cell::RefCell;
use std::path::PathBuf;

use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use pyo3_conformance_model::Scenario;

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::ComponentFixtures;
use crate::plan::plan_generated;
use crate::runner::run_plan;

/// How a property run is made.
#[derive(Debug, Clone)]
pub struct PropertyConfig {
    /// Cases per target.
    pub cases: u32,
    /// The seed; the same seed generates the same cases.
    pub seed: u64,
    /// Whether to write the minimal case of each divergence under `regressions/`.
    pub write_regressions: bool,
}

/// What a property run found for one target.
#[derive(Debug, Clone)]
pub struct TargetReport {
    /// `<component>/prop/<target>`.
    pub id: String,
    /// The outcome.
    pub outcome: TargetOutcome,
}

/// The outcome of one target's run.
#[derive(Debug, Clone)]
pub enum TargetOutcome {
    /// Every generated case conformed.
    Passed {
        /// How many cases ran.
        cases: u32,
    },
    /// A divergence, shrunk.
    Diverged {
        /// The first failure of the minimal case, as one line (`[kind] message`).
        failure: String,
        /// That failure itself (its kind, message and operation).
        first: Box<pyo3_conformance_model::Failure>,
        /// The minimal scenario.
        minimal: Scenario,
        /// Where it was written, if it was.
        regression: Option<PathBuf>,
    },
    /// The target could not be generated for (a parameter without a usable type).
    Skipped {
        /// Why.
        reason: String,
    },
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

/// Every target of a component with its scenario strategy, or why it cannot be generated.
fn targets(
    adapter: &Adapter,
    component: &ComponentFixtures,
) -> Vec<(String, std::result::Result<BoxedStrategy<Scenario>, String>)> {
    let manifest = &component.manifest;
    let mut found = Vec::new();
    for (name, signature) in &manifest.functions {
        found.push((
            name.clone(),
            strategy::function_scenarios((adapter, manifest), name, signature),
        ));
    }
    for (name, class) in &manifest.classes {
        found.push((
            name.clone(),
            strategy::class_scenarios((adapter, manifest), name, class),
        ));
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
    let (_, strategy) = targets(adapter, component)
        .into_iter()
        .find(|(name, _)| name == target)
        .ok_or_else(|| {
            format!(
                "no target '{target}' in component '{}'",
                component.manifest.component
            )
        })?;
    let strategy = strategy?;
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
    let plan = plan_generated(component, adapter, id, &path, scenario)
        .map_err(|message| Error::in_file(&path, ErrorKind::Invalid(message)))?;
    run_plan(adapter, component, &plan)
}

/// Runs every target of a component. `Err` only for harness errors (an unusable Python
/// environment); divergences are outcomes.
pub fn run_properties(
    adapter: &Adapter,
    component: &ComponentFixtures,
    config: &PropertyConfig,
) -> Result<Vec<TargetReport>> {
    let component_name = &component.manifest.component;
    let mut reports = Vec::new();
    for (target, strategy) in targets(adapter, component) {
        let id = format!("{component_name}/prop/{target}");
        let strategy = match strategy {
            Ok(strategy) => strategy,
            Err(reason) => {
                reports.push(TargetReport {
                    id,
                    outcome: TargetOutcome::Skipped { reason },
                });
                continue;
            }
        };
        let harness_error: RefCell<Option<Error>> = RefCell::new(None);
        // The last failing case is the minimal one: shrinking only keeps failing candidates.
        let last_failure: RefCell<Option<pyo3_conformance_model::Failure>> = RefCell::new(None);
        let mut runner = TestRunner::new_with_rng(
            Config {
                cases: config.cases,
                failure_persistence: None,
                ..Config::default()
            },
            rng(config.seed, &target),
        );
        let file = component
            .dir
            .join("regressions")
            .join(format!("{target}.json"));
        let result = runner.run(&strategy, |scenario| {
            let plan =
                plan_generated(component, adapter, id.clone(), &file, &scenario).map_err(|e| {
                    TestCaseError::fail(format!("the generated scenario is invalid: {e}"))
                })?;
            match run_plan(adapter, component, &plan) {
                Ok(verdict) if verdict.passed() => Ok(()),
                Ok(verdict) => {
                    let first = &verdict.failures[0];
                    *last_failure.borrow_mut() = Some(first.clone());
                    Err(TestCaseError::fail(format!(
                        "[{}] {}",
                        first.kind.as_str(),
                        first.message
                    )))
                }
                Err(error) => {
                    *harness_error.borrow_mut() = Some(error);
                    Err(TestCaseError::fail("harness error"))
                }
            }
        });
        if let Some(error) = harness_error.into_inner() {
            return Err(error);
        }
        let outcome = match result {
            Ok(()) => TargetOutcome::Passed {
                cases: config.cases,
            },
            Err(TestError::Fail(reason, minimal)) => {
                let failure = reason.message().to_owned();
                let regression = if config.write_regressions {
                    Some(write_regression(
                        component,
                        &target,
                        &minimal,
                        &failure,
                        config.seed,
                    )?)
                } else {
                    None
                };
                let first = last_failure.into_inner().unwrap_or_else(|| {
                    pyo3_conformance_model::Failure::new(
                        pyo3_conformance_model::FailureKind::Output,
                        failure.clone(),
                    )
                });
                TargetOutcome::Diverged {
                    failure,
                    first: Box::new(first),
                    minimal,
                    regression,
                }
            }
            Err(TestError::Abort(reason)) => TargetOutcome::Skipped {
                reason: reason.message().to_owned(),
            },
        };
        reports.push(TargetReport { id, outcome });
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
    scenario.description = Some(format!("found by a property run (seed {seed}): {failure}"));
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
