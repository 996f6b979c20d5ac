//! A scenario checked against its manifest and adapter, ready to run in both languages.
//!
//! All checking happens here, before anything runs, so that a broken fixture is a harness error
//! (exit 2, with file and line) and never shows up as a divergence: every operation must exist
//! in the manifest and in the adapter, every `on` must name an object an earlier `new` bound,
//! arguments must bind to the declared parameters, and `raises` must name a contracted kind.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use pyo3_conformance_model::{Scenario, StepAction, Value};

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::{ComponentFixtures, read_scenario, scenario_id, step_line};

/// What a step does, resolved: methods and properties know their object's class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    Function(String),
    Construct(String),
    Method {
        object: String,
        class: String,
        method: String,
    },
    Property {
        object: String,
        class: String,
        property: String,
    },
}

impl Action {
    /// The operation as the manifest names it: `function`, `Class`, `Class.method`.
    pub(crate) fn operation(&self) -> String {
        match self {
            Self::Function(name) | Self::Construct(name) => name.clone(),
            Self::Method {
                class,
                method: member,
                ..
            }
            | Self::Property {
                class,
                property: member,
                ..
            } => {
                format!("{class}.{member}")
            }
        }
    }
}

/// One step, checked.
#[derive(Debug, Clone)]
pub(crate) struct PlannedStep {
    pub(crate) label: String,
    pub(crate) action: Action,
    /// As written, for Python.
    pub(crate) args: Vec<Value>,
    pub(crate) kwargs: BTreeMap<String, Value>,
    /// Bound to the declared parameters with defaults filled, for Rust.
    pub(crate) bound: Vec<Value>,
    pub(crate) bind: Option<String>,
    pub(crate) expect: Option<Value>,
    pub(crate) raises: Option<String>,
}

/// A scenario, checked.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The scenario's id.
    pub id: String,
    /// The scenario file.
    pub path: PathBuf,
    pub(crate) steps: Vec<PlannedStep>,
}

/// Reads a scenario file and checks it against its component's manifest and adapter.
pub fn plan_scenario(
    component: &ComponentFixtures,
    adapter: &Adapter,
    path: &Path,
) -> Result<Plan> {
    plan_file(component, Some(adapter), path)
}

/// Reads a scenario file and checks it against its component's manifest alone: for running
/// the Python side without Rust (the pytest plugin), against recorded Rust results.
pub fn plan_python_only(component: &ComponentFixtures, path: &Path) -> Result<Plan> {
    plan_file(component, None, path)
}

/// Reads and checks a scenario file; a step that does not fit is an error at its line.
fn plan_file(
    component: &ComponentFixtures,
    adapter: Option<&Adapter>,
    path: &Path,
) -> Result<Plan> {
    let (scenario, text) = read_scenario(path)?;
    let steps = check(component, adapter, &scenario).map_err(|(index, message)| {
        let error = Error::in_file(
            path,
            ErrorKind::Invalid(format!("step {}: {message}", index + 1)),
        );
        match step_line(&text, index) {
            Some(line) => error.at_line(line),
            None => error,
        }
    })?;
    Ok(Plan {
        id: scenario_id(component, path),
        path: path.to_owned(),
        steps,
    })
}

/// Checks a scenario made in memory (by a property run) as if it had been read from `path`.
pub(crate) fn plan_generated(
    component: &ComponentFixtures,
    adapter: &Adapter,
    id: String,
    path: &Path,
    scenario: &Scenario,
) -> std::result::Result<Plan, String> {
    let steps = check(component, Some(adapter), scenario)
        .map_err(|(index, message)| format!("step {}: {message}", index + 1))?;
    Ok(Plan {
        id,
        path: path.to_owned(),
        steps,
    })
}

fn check(
    component: &ComponentFixtures,
    adapter: Option<&Adapter>,
    scenario: &Scenario,
) -> std::result::Result<Vec<PlannedStep>, (usize, String)> {
    let manifest = &component.manifest;
    let mut objects: HashMap<&str, &str> = HashMap::new();
    let mut planned = Vec::with_capacity(scenario.steps.len());
    for (index, step) in scenario.steps.iter().enumerate() {
        let fail = |message: String| (index, message);
        let class_of = |object: &str| {
            objects
                .get(object)
                .map(|class| class.to_string())
                .ok_or_else(|| {
                    fail(format!(
                        "`on` names '{object}', which no earlier `new` step binds"
                    ))
                })
        };
        let action = match step.action().map_err(fail)? {
            StepAction::Function(name) => {
                if !manifest.functions.contains_key(name) {
                    return Err(fail(format!(
                        "unknown operation '{name}': the manifest declares no such function"
                    )));
                }
                if adapter.is_some_and(|a| !a.has_function(name)) {
                    return Err(fail(format!(
                        "the Rust adapter of '{}' has no function '{name}'",
                        manifest.component
                    )));
                }
                Action::Function(name.to_owned())
            }
            StepAction::Construct(class) => {
                if !manifest.classes.contains_key(class) {
                    return Err(fail(format!(
                        "unknown class '{class}': the manifest declares no such class"
                    )));
                }
                if adapter.is_some_and(|a| !a.has_constructor(class)) {
                    return Err(fail(format!(
                        "the Rust adapter of '{}' has no constructor for '{class}'",
                        manifest.component
                    )));
                }
                Action::Construct(class.to_owned())
            }
            StepAction::Method { object, method } => {
                let class = class_of(object)?;
                if !manifest.classes[&class].methods.contains_key(method) {
                    return Err(fail(format!(
                        "unknown operation '{class}.{method}': the manifest declares no such method"
                    )));
                }
                if adapter.is_some_and(|a| !a.has_method(&class, method)) {
                    return Err(fail(format!(
                        "the Rust adapter has no method '{class}.{method}'"
                    )));
                }
                Action::Method {
                    object: object.to_owned(),
                    class,
                    method: method.to_owned(),
                }
            }
            StepAction::Property { object, property } => {
                let class = class_of(object)?;
                if !manifest.classes[&class].properties.contains_key(property) {
                    return Err(fail(format!(
                        "unknown property '{class}.{property}': the manifest declares no such property"
                    )));
                }
                if adapter.is_some_and(|a| !a.has_property(&class, property)) {
                    return Err(fail(format!(
                        "the Rust adapter has no property '{class}.{property}'"
                    )));
                }
                if !step.args.is_empty() || !step.kwargs.is_empty() {
                    return Err(fail(format!(
                        "property '{class}.{property}' takes no arguments"
                    )));
                }
                Action::Property {
                    object: object.to_owned(),
                    class,
                    property: property.to_owned(),
                }
            }
        };
        let bound = match &action {
            Action::Property { .. } => Vec::new(),
            Action::Function(name) => bind(
                manifest.functions[name].bind(&step.args, &step.kwargs),
                name,
            )
            .map_err(fail)?,
            Action::Construct(class) => bind(
                manifest.classes[class]
                    .constructor
                    .bind(&step.args, &step.kwargs),
                class,
            )
            .map_err(fail)?,
            Action::Method { class, method, .. } => bind(
                manifest.classes[class].methods[method].bind(&step.args, &step.kwargs),
                &format!("{class}.{method}"),
            )
            .map_err(fail)?,
        };
        if let Some(kind) = &step.raises {
            if !manifest.errors.contains_key(kind) {
                return Err(fail(format!(
                    "`raises` names error kind '{kind}', which the manifest's `errors` does not declare"
                )));
            }
            if step.expect.is_some() {
                return Err(fail("a step has `expect` or `raises`, not both".to_owned()));
            }
        }
        if let Some(name) = &step.bind {
            match &step.new {
                Some(class) => {
                    objects.insert(name, class);
                }
                None => {
                    return Err(fail(format!(
                        "`bind` names the object a `new` step makes; '{name}' is on another kind of step"
                    )));
                }
            }
        }
        planned.push(PlannedStep {
            label: step.label(),
            action,
            args: step.args.clone(),
            kwargs: step.kwargs.clone(),
            bound,
            bind: step.bind.clone(),
            expect: step.expect.clone(),
            raises: step.raises.clone(),
        });
    }
    Ok(planned)
}

fn bind(
    result: std::result::Result<Vec<Value>, String>,
    operation: &str,
) -> std::result::Result<Vec<Value>, String> {
    result.map_err(|message| format!("wrong arguments for '{operation}': {operation}() {message}"))
}
