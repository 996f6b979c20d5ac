//! One target's search: generate, run, judge each case against the ledger, and keep going.
//!
//! proptest's own runner stops at the first failure, so a target with one known bug could
//! never show a second. This loop drives proptest's value trees itself: every case runs
//! through the same planner, runner and judge as a fixture file, and each failure is
//! classified the moment it appears, with the very rule the gate applies to the run's
//! `<component>/properties` case (`gate::accepting_entry`):
//! - a failure a ledger entry accepts is *known*: counted, remembered once per entry (so the
//!   entry still holds in the case), never shrunk, and the search goes on;
//! - any other failure is *new*: the first case of each distinct one (by failure kind and
//!   operation) is shrunk — the tree is simplified while the candidate still fails with a new
//!   failure of that kind and operation — and later cases with the same one are only counted.
//!
//! The budget (cases, time or both) is the only thing that ends a search, besides a case
//! that cannot run at all: a generated scenario the planner rejects (an operation the adapter
//! lacks) makes the target a skip with the planner's reason, never a divergence, and is never
//! written as a regression.

use std::time::Instant;

use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::{Config, TestRng, TestRunner};
use pyo3_conformance_model::{Failure, FailureKind, Ledger, Scenario};

use super::Budget;
use crate::adapter::Adapter;
use crate::error::Result;
use crate::fixtures::ComponentFixtures;
use crate::judge::is_unbound;
use crate::plan::{Plan, Shapes, replan_generated};
use crate::python::SessionCache;
use crate::runner::{Judged, Outcomes, run_plan_reusing};

/// Shrinking stops after this many candidate runs: enough for scenarios of a dozen steps,
/// and a bound on the time a pathological shrink can take.
const MAX_SHRINK_RUNS: u32 = 4096;

/// What a search reads: the component, its adapter and its ledger.
pub(super) struct Context<'a> {
    pub(super) component: &'a ComponentFixtures,
    pub(super) ledger: &'a Ledger,
    /// Runs each case, keeping what the Python side can reuse between cases.
    pub(super) runner: CaseRunner<'a>,
}

/// Runs generated scenarios of one component as fixture files are run (planned, run in both
/// languages, judged), reusing the Python side's imports and lookups from case to case. For
/// property runs and the benchmark that measures them.
pub struct CaseRunner<'a> {
    adapter: &'a Adapter,
    component: &'a ComponentFixtures,
    cache: std::cell::RefCell<SessionCache>,
    outcomes: std::cell::RefCell<Outcomes>,
    /// The step shapes planned so far: a case re-checks only what its values decide.
    shapes: std::cell::RefCell<Shapes<'a>>,
    /// The plan of the case being run, under the target's names: each case replans its steps.
    plan: std::cell::RefCell<Plan<'a>>,
}

impl<'a> CaseRunner<'a> {
    /// A runner for cases of `component`, reported as `<component>/prop/<target>`.
    pub fn new(adapter: &'a Adapter, component: &'a ComponentFixtures, target: &str) -> Self {
        Self {
            adapter,
            component,
            cache: Default::default(),
            outcomes: Default::default(),
            shapes: Default::default(),
            plan: std::cell::RefCell::new(Plan {
                id: format!("{}/prop/{target}", component.manifest.component),
                path: component
                    .dir
                    .join("regressions")
                    .join(format!("{target}.json")),
                steps: Vec::new(),
            }),
        }
    }

    /// Runs one case: `Ok(Err(reason))` where the planner rejects it, the verdict otherwise.
    /// The case's plan takes its values over (a search has the case again from its value
    /// tree where it keeps it).
    pub fn run(&self, scenario: Scenario) -> Result<std::result::Result<Judged, String>> {
        let mut plan = self.plan.borrow_mut();
        if let Err(message) = replan_generated(
            &mut plan,
            self.component,
            self.adapter,
            scenario,
            &mut self.shapes.borrow_mut(),
        ) {
            return Ok(Err(message));
        }
        run_plan_reusing(
            self.adapter,
            self.component,
            &plan,
            (
                &mut self.cache.borrow_mut(),
                &mut self.outcomes.borrow_mut(),
            ),
        )
        .map(Ok)
    }

    fn retarget(&mut self, target: &str) {
        let fresh = Self::new(self.adapter, self.component, target);
        self.plan = fresh.plan;
    }
}

/// A divergence a search found: the first case that showed it, or that case shrunk.
#[derive(Debug, Clone)]
pub struct Divergence {
    /// The failure, worded as a scenario words it (without a step number: steps differ from
    /// case to case).
    pub failure: Failure,
    /// The smallest case found that shows it (known divergences are not shrunk).
    pub minimal: Scenario,
    /// Whether the ledger accepts it.
    pub known: bool,
    /// How many cases showed it.
    pub cases: u32,
    /// The operations the state machine had enabled in the minimal case (swarm testing), as
    /// `push, pop`; `None` for a function's target.
    pub operations: Option<String>,
}

/// What one target's search did.
#[derive(Debug, Clone, Default)]
pub(super) struct Searched {
    pub(super) cases: u32,
    /// Cases whose last step ran on both sides.
    pub(super) reached: u32,
    pub(super) divergences: Vec<Divergence>,
    /// Why a generated case could not run (the target is then a skip).
    pub(super) unrunnable: Option<String>,
}

/// The outcome of running one generated case.
enum CaseRun {
    Passed,
    Failed(Vec<Failure>),
    Unrunnable(String),
}

/// What tells two new divergences apart.
type Key = (FailureKind, Option<String>);

fn key(failure: &Failure) -> Key {
    (failure.kind, failure.operation.clone())
}

impl Context<'_> {
    /// The case id a run's failures are judged under.
    fn case_id(&self) -> String {
        format!("{}/properties", self.component.manifest.component)
    }

    fn run(&self, scenario: Scenario) -> Result<CaseRun> {
        self.run_counting(scenario, &mut 0)
    }

    /// Runs a case, counting it in `reached` where its last step ran on both sides (not
    /// stopped because an object it needed was not made).
    fn run_counting(&self, scenario: Scenario, reached: &mut u32) -> Result<CaseRun> {
        let verdict = match self.runner.run(scenario)? {
            Ok(verdict) => verdict,
            Err(message) => return Ok(CaseRun::Unrunnable(message)),
        };
        if verdict.steps.last().is_some_and(|step| {
            !is_unbound(&step.rust.outcome) && !is_unbound(&step.python.outcome)
        }) {
            *reached += 1;
        }
        Ok(if verdict.passed() {
            CaseRun::Passed
        } else {
            CaseRun::Failed(
                verdict
                    .failures
                    .into_iter()
                    .map(|mut failure| {
                        failure.step = None;
                        failure
                    })
                    .collect(),
            )
        })
    }

    /// The first failure of `failures` that is new and of `key`.
    fn new_of<'f>(&self, case: &str, failures: &'f [Failure], key: &Key) -> Option<&'f Failure> {
        failures.iter().find(|failure| {
            super::search::key(failure) == *key
                && crate::gate::accepting_entry(self.ledger, case, failure).is_none()
        })
    }
}

/// Searches one target until its budget runs out, attached to the interpreter once for the
/// whole search: each case's Python side then finds the thread attached, instead of taking
/// and releasing the GIL per case.
pub(super) fn search(
    cx: &mut Context<'_>,
    target: &str,
    strategy: &BoxedStrategy<Scenario>,
    budget: Budget,
    rng: TestRng,
) -> Result<Searched> {
    pyo3::Python::attach(|_| search_attached(cx, target, strategy, budget, rng))
}

fn search_attached(
    cx: &mut Context<'_>,
    target: &str,
    strategy: &BoxedStrategy<Scenario>,
    budget: Budget,
    rng: TestRng,
) -> Result<Searched> {
    cx.runner.retarget(target);
    let cx = &*cx;
    let case = cx.case_id();
    let deadline = budget.time.map(|time| Instant::now() + time);
    let mut runner = TestRunner::new_with_rng(
        Config {
            failure_persistence: None,
            ..Config::default()
        },
        rng,
    );
    let mut searched = Searched::default();
    // Each divergence found so far, by what tells it apart (the ledger entry that accepts a
    // known one, the kind and operation of a new one), with its place in `searched`.
    let mut seen_known: Vec<(usize, usize)> = Vec::new();
    let mut seen_new: Vec<(Key, usize)> = Vec::new();
    while budget.cases.is_none_or(|cases| searched.cases < cases)
        && deadline.is_none_or(|deadline| Instant::now() < deadline)
    {
        let mut tree = match strategy.new_tree(&mut runner) {
            Ok(tree) => tree,
            Err(reason) => {
                searched.unrunnable = Some(format!("no case could be generated: {reason}"));
                break;
            }
        };
        searched.cases += 1;
        // The case is made again from its tree where a divergence keeps it (`current` gives
        // the same case until the tree is shrunk): a passing case is not copied.
        let failures = match cx.run_counting(tree.current(), &mut searched.reached)? {
            CaseRun::Passed => continue,
            CaseRun::Unrunnable(reason) => {
                searched.unrunnable = Some(format!("a generated case cannot run: {reason}"));
                break;
            }
            CaseRun::Failed(failures) => failures,
        };
        // The case as found: shrinking below changes what the tree gives.
        let found = tree.current();
        let mut shrunk_one = false;
        for failure in &failures {
            if let Some(entry) = crate::gate::accepting_entry(cx.ledger, &case, failure) {
                match seen_known.iter().find(|(seen, _)| *seen == entry) {
                    Some((_, at)) => searched.divergences[*at].cases += 1,
                    None => {
                        seen_known.push((entry, searched.divergences.len()));
                        searched
                            .divergences
                            .push(divergence(failure.clone(), found.clone(), true));
                    }
                }
                continue;
            }
            let failure_key = key(failure);
            if let Some((_, at)) = seen_new.iter().find(|(seen, _)| *seen == failure_key) {
                searched.divergences[*at].cases += 1;
                continue;
            }
            seen_new.push((failure_key.clone(), searched.divergences.len()));
            // The tree shrinks once per case; another new divergence of the same case is kept
            // as it was found.
            let (minimal, failure) = if shrunk_one {
                (found.clone(), failure.clone())
            } else {
                shrunk_one = true;
                shrink(cx, &mut tree, &failure_key, failure.clone())?
            };
            searched
                .divergences
                .push(divergence(failure, minimal, false));
        }
    }
    Ok(searched)
}

fn divergence(failure: Failure, minimal: Scenario, known: bool) -> Divergence {
    let operations = minimal
        .description
        .as_deref()
        .and_then(|d| d.strip_prefix(super::strategy::SWARM))
        .map(str::to_owned);
    Divergence {
        failure,
        minimal,
        known,
        cases: 1,
        operations,
    }
}

/// Simplifies `tree` while its case still fails with a new failure of `key`; returns the
/// smallest such case and its failure.
fn shrink(
    cx: &Context<'_>,
    tree: &mut Box<dyn ValueTree<Value = Scenario>>,
    key: &Key,
    first: Failure,
) -> Result<(Scenario, Failure)> {
    let case = cx.case_id();
    let mut minimal = (tree.current(), first);
    if !tree.simplify() {
        return Ok(minimal);
    }
    for _ in 0..MAX_SHRINK_RUNS {
        let candidate = tree.current();
        let still = match cx.run(candidate.clone())? {
            CaseRun::Failed(failures) => cx.new_of(&case, &failures, key).cloned(),
            CaseRun::Passed | CaseRun::Unrunnable(_) => None,
        };
        let more = match still {
            Some(failure) => {
                minimal = (candidate, failure);
                tree.simplify()
            }
            None => tree.complicate(),
        };
        if !more {
            break;
        }
    }
    Ok(minimal)
}
