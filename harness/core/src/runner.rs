//! Running a checked scenario through both languages and judging every step.
//!
//! The Rust side runs first, all steps, each inside `catch_unwind` so a panic in the code under
//! test is an outcome; a panic hook records the message instead of printing it. Then the Python
//! side runs the same steps in the embedded interpreter. Both runs keep their own objects.
//! Finally each step is judged. Running each side to the end (rather than interleaving) keeps
//! the two runs independent: one side's failure never changes what the other side is asked.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use pyo3::Python;
use pyo3_conformance_model::{
    Failure, Manifest, Object, Observed, Outcome, ScenarioVerdict, StepReport, Value,
};

use crate::adapter::{Adapter, Called};
use crate::callbacks::CallbackRun;
use crate::error::Result;
use crate::fixtures::ComponentFixtures;
use crate::judge::{judge, judge_calls};
use crate::objects::Bundle;
use crate::plan::{Action, Plan};
use crate::python::{PythonSession, SessionCache, session_unbound};

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.get() {
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic with a non-string payload".to_owned());
                let location = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.set(Some(format!("{message}{location}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err(message)`.
fn guarded<R>(f: impl FnOnce() -> R) -> std::result::Result<R, String> {
    install_panic_hook();
    CAPTURING.set(true);
    let result = catch_unwind(AssertUnwindSafe(f));
    CAPTURING.set(false);
    result.map_err(|_| LAST_PANIC.take().unwrap_or_else(|| "panic".to_owned()))
}

/// Runs one scenario in both languages and judges it.
pub fn run_plan(
    adapter: &Adapter,
    component: &ComponentFixtures,
    plan: &Plan,
) -> Result<ScenarioVerdict> {
    let judged = run_plan_reusing(
        adapter,
        component,
        plan,
        (&mut SessionCache::default(), &mut Outcomes::default()),
    )?;
    Ok(named(component, plan, judged))
}

/// Runs one scenario as `run_plan` does, reusing (and filling) what earlier scenarios of the
/// same component left in `cache`: how a property run keeps its cases cheap.
pub(crate) fn run_plan_reusing(
    adapter: &Adapter,
    component: &ComponentFixtures,
    plan: &Plan,
    (cache, outcomes): (&mut SessionCache, &mut Outcomes),
) -> Result<Judged> {
    run_rust_into(adapter, &component.manifest, plan, &mut outcomes.rust);
    run_python_into(&component.manifest, plan, cache, &mut outcomes.python)?;
    Ok(judge_steps(
        &component.manifest,
        plan,
        outcomes.rust.drain(..),
        outcomes.python.drain(..),
    ))
}

/// Room for the two sides' outcomes of a run, kept from case to case by a property run (the
/// judge drains them), so that a case does not allocate them anew.
#[derive(Default)]
pub(crate) struct Outcomes {
    rust: Vec<Observed>,
    python: Vec<Observed>,
}

/// Runs a plan's steps on the Python side, in the interpreter this process has (embedded, or
/// the one that loaded the harness's own extension module).
pub(crate) fn run_python(
    manifest: &Manifest,
    plan: &Plan,
    cache: &mut SessionCache,
) -> Result<Vec<Observed>> {
    let mut outcomes = Vec::with_capacity(plan.steps.len());
    run_python_into(manifest, plan, cache, &mut outcomes)?;
    Ok(outcomes)
}

/// [`run_python`] into `outcomes` (emptied first).
fn run_python_into(
    manifest: &Manifest,
    plan: &Plan,
    cache: &mut SessionCache,
    outcomes: &mut Vec<Observed>,
) -> Result<()> {
    outcomes.clear();
    Python::attach(|py| {
        let mut session = PythonSession::open(py, manifest, cache)?;
        outcomes.extend(plan.steps.iter().map(|step| session.run(step)));
        Ok(())
    })
}

/// Judges every step of a plan, given what each side did.
pub(crate) fn verdict_of(
    component: &ComponentFixtures,
    plan: &Plan,
    rust: Vec<Observed>,
    python: Vec<Observed>,
) -> ScenarioVerdict {
    named(
        component,
        plan,
        judge_steps(&component.manifest, plan, rust, python),
    )
}

/// A judged plan as a verdict, under the case's names.
fn named(component: &ComponentFixtures, plan: &Plan, judged: Judged) -> ScenarioVerdict {
    let Judged { steps, failures } = judged;
    ScenarioVerdict {
        id: plan.id.clone(),
        component: component.manifest.component.clone(),
        file: plan
            .path
            .to_str()
            .map_or_else(|| plan.path.display().to_string(), str::to_owned),
        steps,
        failures,
        notes: Vec::new(),
        output: Default::default(),
    }
}

/// A plan's steps as each side did them, and every failure the judge found: a verdict
/// without the case's names, which a property run's case does not need unless it fails.
#[derive(Debug)]
pub struct Judged {
    /// Each step: its label and what each side did.
    pub steps: Vec<StepReport>,
    /// Every failure, in step order.
    pub failures: Vec<Failure>,
}

impl Judged {
    /// Whether no step failed (as [`ScenarioVerdict::passed`]).
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Judges every step of a plan, given what each side did.
pub(crate) fn judge_steps(
    manifest: &Manifest,
    plan: &Plan,
    rust: impl IntoIterator<Item = Observed>,
    python: impl IntoIterator<Item = Observed>,
) -> Judged {
    let mut failures = Vec::new();
    let mut steps = Vec::with_capacity(plan.steps.len());
    for (index, ((step, rust), python)) in plan.steps.iter().zip(rust).zip(python).enumerate() {
        failures.extend(judge(index, step, &rust.outcome, &python.outcome, manifest));
        failures.extend(judge_calls(index, step, (&rust, &python), manifest));
        steps.push(StepReport {
            label: step.label.clone(),
            rust,
            python,
        });
    }
    Judged { steps, failures }
}

/// Runs a plan's steps on the Rust side only, each guarded against panics. Objects the steps
/// return are kept in the scenario's bundle (`objects`) for later steps.
pub(crate) fn run_rust(adapter: &Adapter, manifest: &Manifest, plan: &Plan) -> Vec<Observed> {
    let mut outcomes = Vec::with_capacity(plan.steps.len());
    run_rust_into(adapter, manifest, plan, &mut outcomes);
    outcomes
}

/// [`run_rust`] into `outcomes` (emptied first).
fn run_rust_into(
    adapter: &Adapter,
    manifest: &Manifest,
    plan: &Plan,
    outcomes: &mut Vec<Observed>,
) {
    outcomes.clear();
    let mut bundle = Bundle::default();
    let callbacks = CallbackRun::new(adapter, plan.steps.iter().flat_map(|step| step.bound()));
    for step in &plan.steps {
        // An argument naming an object whose step failed: the step cannot run (as in Python).
        if let Some(missing) =
            crate::objects::unbound_reference(step.bound(), |name| bundle.get(name).is_some())
        {
            outcomes.push(session_unbound(&missing).into());
            continue;
        }
        // Read in place by the adapter; `Args` arguments decode by the manifest's parameter
        // names.
        let params = step
            .signature
            .map(|signature| signature.params.as_slice())
            .unwrap_or_default();
        let outcome = crate::args::with_params(params, || {
            callbacks.during(|| run_rust_step(adapter, manifest, step, &mut bundle))
        });
        outcomes.push(Observed {
            outcome,
            calls: callbacks.take_calls(),
        });
    }
}

/// Runs one step on the Rust side.
fn run_rust_step(
    adapter: &Adapter,
    manifest: &Manifest,
    step: &crate::plan::PlannedStep,
    bundle: &mut Bundle,
) -> Outcome {
    let args = step.bound();
    let called = match &*step.action {
        Action::Function(name) => guarded(|| bundle.during(|| adapter.call_function(name, args))),
        Action::Construct(class) => guarded(|| {
            bundle.during(|| match adapter.construct(class, args) {
                Ok(object) => Called::Object(object),
                Err(outcome) => Called::Value(outcome),
            })
        }),
        Action::Method {
            object,
            class,
            method,
        } => match bundle.get(object).cloned() {
            Some(target) => {
                let owner = planned_owner(adapter, manifest, class, |a, c| a.has_method(c, method));
                guarded(|| bundle.during(|| adapter.call_method(owner, method, &target, args)))
            }
            None => Ok(Called::Value(session_unbound(object))),
        },
        Action::Attribute(name) => guarded(|| adapter.get_attribute(name)),
        Action::Assign {
            object,
            class,
            property,
        } => match bundle.get(object).cloned() {
            Some(target) => {
                let owner =
                    planned_owner(adapter, manifest, class, |a, c| a.has_setter(c, property));
                guarded(|| bundle.during(|| adapter.set_property(owner, property, &target, args)))
            }
            None => Ok(Called::Value(session_unbound(object))),
        },
        Action::Property {
            object,
            class,
            property,
        } => match bundle.get(object).cloned() {
            Some(target) => {
                let owner =
                    planned_owner(adapter, manifest, class, |a, c| a.has_property(c, property));
                guarded(|| {
                    Called::Value(adapter.get_property(owner, property, target.borrow().as_ref()))
                })
            }
            None => Ok(Called::Value(session_unbound(object))),
        },
    };
    match called {
        Ok(Called::Value(outcome)) => outcome,
        Ok(Called::Object(object)) => keep(adapter, manifest, step, object, bundle),
        Err(message) => Outcome::Panicked { message },
    }
}

/// The class whose registration serves `class`'s member (its own, or a base's): the plan
/// checked that there is one.
fn planned_owner<'m>(
    adapter: &Adapter,
    manifest: &'m Manifest,
    class: &'m str,
    has: impl Fn(&Adapter, &str) -> bool,
) -> &'m str {
    adapter
        .owner(manifest, class, has)
        .expect("checked by the plan")
}

/// An object a step returned: checked against the class the manifest declares, projected to
/// its canonical value, and bound if the step says so.
fn keep(
    adapter: &Adapter,
    manifest: &Manifest,
    step: &crate::plan::PlannedStep,
    object: Box<dyn Any>,
    bundle: &mut Bundle,
) -> Outcome {
    let Some(class) = &step.result_class else {
        return Outcome::raised(
            "pyo3_conformance.HarnessError",
            "the adapter returned an object where the manifest declares no class".to_owned(),
        );
    };
    if let Err(message) = adapter.check_class(class, object.as_ref()) {
        return Outcome::raised("pyo3_conformance.HarnessError", message);
    }
    let state = project(adapter, manifest, class, object.as_ref());
    if let Some(name) = &step.bind {
        bundle.insert(name, object);
    }
    state
}

/// The canonical value of a Rust object: its class and the manifest's projection of its state.
fn project(adapter: &Adapter, manifest: &Manifest, class: &str, object: &dyn Any) -> Outcome {
    let mut state = Vec::new();
    for property in manifest.state_of(class) {
        let Some(owner) = adapter.owner(manifest, class, |a, c| a.has_property(c, property)) else {
            return Outcome::raised(
                "pyo3_conformance.HarnessError",
                format!(
                    "the manifest projects '{class}.{property}', but the adapter has no such property"
                ),
            );
        };
        match guarded(|| adapter.get_property(owner, property, object)) {
            Ok(Outcome::Returned { value }) => state.push((property.clone(), value)),
            Ok(other) => return other,
            Err(message) => return Outcome::Panicked { message },
        }
    }
    Outcome::Returned {
        value: Value::Object(Object {
            class: class.to_owned(),
            state,
        }),
    }
}
