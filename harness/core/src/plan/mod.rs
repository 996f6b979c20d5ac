//! A scenario checked against its manifest and adapter, ready to run in both languages.
//!
//! All checking happens here, before anything runs, so that a broken fixture is a harness error
//! (exit 2, with file and line) and never shows up as a divergence: every operation must exist
//! in the manifest and in the adapter, every `on` must name an object an earlier `new` bound,
//! arguments must bind to the declared parameters, and `raises` must name a contracted kind.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pyo3_conformance_model::{MethodKind, Scenario, Signature, StepAction, Value};

use crate::adapter::Adapter;
use crate::error::{Error, ErrorKind, Result};
use crate::fixtures::{ComponentFixtures, read_scenario, scenario_id, step_line};

mod shapes;

pub(crate) use shapes::Shapes;
use shapes::{Shape, ShapeKey};

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
    /// A module attribute read.
    Attribute(String),
    /// A property assignment; the value is the step's one argument.
    Assign {
        object: String,
        class: String,
        property: String,
    },
}

impl Action {
    /// The signature of the operation (none for properties and attributes), looked up without
    /// spelling the operation's name out: steps ask it once or twice per run.
    pub(crate) fn signature<'m>(
        &self,
        manifest: &'m pyo3_conformance_model::Manifest,
    ) -> Option<&'m pyo3_conformance_model::Signature> {
        match self {
            Self::Function(name) | Self::Construct(name) => manifest.signature(name),
            Self::Method { class, method, .. } => manifest
                .method(class, method)
                .map(|(_, signature)| signature),
            Self::Property { .. } | Self::Attribute(_) | Self::Assign { .. } => None,
        }
    }

    /// The operation as the manifest names it: `function`, `Class`, `Class.method`.
    pub(crate) fn operation(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Function(name) | Self::Construct(name) | Self::Attribute(name) => name.into(),
            Self::Assign {
                class, property, ..
            } => format!("{class}.{property}").into(),
            Self::Method {
                class,
                method: member,
                ..
            }
            | Self::Property {
                class,
                property: member,
                ..
            } => format!("{class}.{member}").into(),
        }
    }
}

/// One step, checked.
#[derive(Debug, Clone)]
pub(crate) struct PlannedStep<'m> {
    /// Shared with the step's shape and its report: a property run plans thousands of steps
    /// of one shape.
    pub(crate) label: Arc<str>,
    pub(crate) action: Arc<Action>,
    /// The operation's signature (none for properties and attributes), looked up once, in
    /// planning: running and judging the step read it from here.
    pub(crate) signature: Option<&'m Signature>,
    /// As written, for Python.
    pub(crate) args: Vec<Value>,
    pub(crate) kwargs: BTreeMap<String, Value>,
    /// Bound to the declared parameters with defaults filled, for Rust: `None` where that is
    /// `args` as written (one positional argument per parameter), so the usual step keeps
    /// one list, not two. Read it through [`PlannedStep::bound`].
    pub(crate) rebound: Option<Vec<Value>>,
    pub(crate) bind: Option<String>,
    /// `collect` and `unordered`: how the results are compared.
    pub(crate) collect: Option<pyo3_conformance_model::Collect>,
    pub(crate) unordered: bool,
    /// The declared class of the step's result, where it is an object (a constructor, or an
    /// operation whose `returns` names a class): such results can be bound.
    pub(crate) result_class: Option<String>,
    pub(crate) expect: Option<Value>,
    pub(crate) raises: Option<String>,
}

impl PlannedStep<'_> {
    /// The arguments bound to the declared parameters, for Rust.
    pub(crate) fn bound(&self) -> &[Value] {
        self.rebound.as_deref().unwrap_or(&self.args)
    }
}

/// A scenario, checked.
#[derive(Debug, Clone)]
pub struct Plan<'m> {
    /// The scenario's id.
    pub id: String,
    /// The scenario file.
    pub path: PathBuf,
    pub(crate) steps: Vec<PlannedStep<'m>>,
}

/// Reads a scenario file and checks it against its component's manifest and adapter.
pub fn plan_scenario<'m>(
    component: &'m ComponentFixtures,
    adapter: &Adapter,
    path: &Path,
) -> Result<Plan<'m>> {
    plan_file(component, Some(adapter), path)
}

/// Reads a scenario file and checks it against its component's manifest alone: for running
/// the Python side without Rust (the pytest plugin), against recorded Rust results.
pub fn plan_python_only<'m>(component: &'m ComponentFixtures, path: &Path) -> Result<Plan<'m>> {
    plan_file(component, None, path)
}

/// Reads and checks a scenario file; a step that does not fit is an error at its line.
fn plan_file<'m>(
    component: &'m ComponentFixtures,
    adapter: Option<&Adapter>,
    path: &Path,
) -> Result<Plan<'m>> {
    let (scenario, text) = read_scenario(path)?;
    let mut shapes = Shapes::default();
    let mut steps = Vec::with_capacity(scenario.steps.len());
    check(component, adapter, scenario, &mut shapes, &mut steps).map_err(|(index, message)| {
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
pub(crate) fn plan_generated<'m>(
    component: &'m ComponentFixtures,
    adapter: &Adapter,
    (id, path): (String, &Path),
    scenario: Scenario,
    shapes: &mut Shapes<'m>,
) -> std::result::Result<Plan<'m>, String> {
    let mut plan = Plan {
        id,
        path: path.to_owned(),
        steps: Vec::new(),
    };
    replan_generated(&mut plan, component, adapter, scenario, shapes)?;
    Ok(plan)
}

/// Checks the next case of a property run into `plan`, in place of the last one: the case's
/// names stay, only its steps change (a search plans thousands of cases a second).
pub(crate) fn replan_generated<'m>(
    plan: &mut Plan<'m>,
    component: &'m ComponentFixtures,
    adapter: &Adapter,
    scenario: Scenario,
    shapes: &mut Shapes<'m>,
) -> std::result::Result<(), String> {
    check(component, Some(adapter), scenario, shapes, &mut plan.steps)
        .map_err(|(index, message)| format!("step {}: {message}", index + 1))
}

/// Checks `scenario` step by step into `planned` (emptied first: a property run plans every
/// case into the last one's list). The plan takes the steps' values over: a case's arguments
/// are not copied on the way in.
fn check<'m>(
    component: &'m ComponentFixtures,
    adapter: Option<&Adapter>,
    mut scenario: Scenario,
    shapes: &mut Shapes<'m>,
    planned: &mut Vec<PlannedStep<'m>>,
) -> std::result::Result<(), (usize, String)> {
    let manifest = &component.manifest;
    let mut objects: HashMap<String, String> = HashMap::new();
    planned.clear();
    planned.reserve(scenario.steps.len());
    // Each step's values are taken from it where it lies (a step is large to move whole).
    for (index, step) in scenario.steps.iter_mut().enumerate() {
        let fail = |message: String| (index, message);
        let remembered = shapes.find(step, &objects).cloned();
        let known_shape = remembered.is_some();
        let Shape {
            action,
            label,
            signature,
            result_class,
        } = match remembered {
            Some(shape) => shape,
            None => {
                let action = resolve_action(manifest, adapter, step, &objects).map_err(fail)?;
                // Looked up once: binding, the result's class and the references read it.
                let signature = action.signature(manifest);
                Shape {
                    result_class: result_class(manifest, &action, signature),
                    signature,
                    label: step.label().into(),
                    action: Arc::new(action),
                }
            }
        };
        let bound: Cow<'_, [Value]> = match (&*action, signature) {
            (Action::Assign { .. }, _) => step.value.iter().cloned().collect(),
            (Action::Function(name) | Action::Construct(name), Some(signature)) => {
                bind(signature.bind(&step.args, &step.kwargs), name).map_err(fail)?
            }
            (Action::Method { class, method, .. }, Some(signature)) => bind(
                signature.bind(&step.args, &step.kwargs),
                &format!("{class}.{method}"),
            )
            .map_err(fail)?,
            // Properties and attributes take no arguments (checked above).
            _ => Cow::Borrowed(&[]),
        };
        if let Some(kind) = &step.raises {
            if manifest
                .error_mapping_for(&action.operation(), kind)
                .is_none()
            {
                return Err(fail(format!(
                    "`raises` names error kind '{kind}', which the manifest's `errors` does not declare"
                )));
            }
            if step.expect.is_some() {
                return Err(fail("a step has `expect` or `raises`, not both".to_owned()));
            }
        }
        // A remembered shape passed this check already. A new one is checked here, after its
        // arguments, in the order a fixture's errors have always been found, and is remembered
        // only once every check of its shape has passed.
        if !known_shape {
            if let Some(adapter) = adapter {
                check_object_result(adapter, manifest, &action, result_class.as_deref())
                    .map_err(fail)?;
            }
            shapes.remember(
                ShapeKey::of(step, &objects),
                Shape {
                    action: action.clone(),
                    label: label.clone(),
                    signature,
                    result_class: result_class.clone(),
                },
            );
        }
        check_references(
            manifest,
            &objects,
            signature,
            (&step.args, &step.kwargs),
            &bound,
            &action,
        )
        .map_err(fail)?;
        check_callbacks(manifest, adapter, bound.iter()).map_err(fail)?;
        if step
            .expect
            .as_ref()
            .is_some_and(|e| !e.references().is_empty() || !e.callbacks().is_empty())
        {
            return Err(fail(
                "`expect` holds an object reference or a callback ({\"$obj\": ...}, {\"$callback\": ...}); expect a value instead"
                    .to_owned(),
            ));
        }
        if let Some(name) = &step.bind {
            match &result_class {
                Some(class) => {
                    objects.insert(name.clone(), class.clone());
                }
                None => {
                    return Err(fail(format!(
                        "`bind` keeps an object of a declared class, but '{}' returns {}: \
                         name a class of the manifest in its `returns` to bind its result",
                        action.operation(),
                        returns_text(manifest, &action)
                    )));
                }
            }
        }
        // An assignment's one argument is its value, on both sides.
        let (assigned, rebound) = match (&*action, bound) {
            (Action::Assign { .. }, bound) => (Some(bound.into_owned()), None),
            (_, Cow::Borrowed(_)) => (None, None),
            (_, Cow::Owned(bound)) => (None, Some(bound)),
        };
        planned.push(PlannedStep {
            label,
            action,
            signature,
            args: assigned.unwrap_or_else(|| std::mem::take(&mut step.args)),
            kwargs: std::mem::take(&mut step.kwargs),
            rebound,
            bind: step.bind.take(),
            collect: step.collect,
            unordered: step.unordered || signature.is_some_and(|s| s.unordered),
            result_class,
            expect: step.expect.take(),
            raises: step.raises.take(),
        });
    }
    Ok(())
}

/// A step's action, resolved and checked against the manifest and the adapter: what it names
/// exists on both, its object's class has the member, and steps that take no arguments have
/// none.
fn resolve_action(
    manifest: &pyo3_conformance_model::Manifest,
    adapter: Option<&Adapter>,
    step: &pyo3_conformance_model::Step,
    objects: &HashMap<String, String>,
) -> std::result::Result<Action, String> {
    let class_of = |object: &str| {
        objects
            .get(object)
            .cloned()
            .ok_or_else(|| format!("`on` names '{object}', which no earlier step binds"))
    };
    Ok(match step.action()? {
        StepAction::Function(name) => {
            if let Some((class, method)) = name.split_once('.') {
                check_class_call(manifest, class, method)?;
            } else if !manifest.functions.contains_key(name) {
                return Err(format!(
                    "unknown operation '{name}': the manifest declares no such function"
                ));
            }
            if adapter.is_some_and(|a| !a.has_function(name)) {
                return Err(format!(
                    "the Rust adapter of '{}' has no function '{name}'",
                    manifest.component
                ));
            }
            Action::Function(name.to_owned())
        }
        StepAction::Construct(class) => {
            if !manifest.classes.contains_key(class) {
                return Err(format!(
                    "unknown class '{class}': the manifest declares no such class"
                ));
            }
            if manifest.classes[class].constructor.is_none() {
                return Err(format!(
                    "class '{class}' has no constructor (its manifest `constructor` is null): \
                     bind an object an operation returns instead"
                ));
            }
            if adapter.is_some_and(|a| !a.has_constructor(class)) {
                return Err(format!(
                    "the Rust adapter of '{}' has no constructor for '{class}'",
                    manifest.component
                ));
            }
            Action::Construct(class.to_owned())
        }
        StepAction::Method { object, method } => {
            let class = class_of(object)?;
            let declared = manifest.method(&class, method).is_some();
            check_member(
                manifest,
                adapter,
                &class,
                ("operation", "method", method),
                declared,
                |a, c| a.has_method(c, method),
            )?;
            Action::Method {
                object: object.to_owned(),
                class,
                method: method.to_owned(),
            }
        }
        StepAction::Property { object, property } => {
            let class = class_of(object)?;
            let declared = manifest.property(&class, property).is_some();
            check_member(
                manifest,
                adapter,
                &class,
                ("property", "property", property),
                declared,
                |a, c| a.has_property(c, property),
            )?;
            if !step.args.is_empty() || !step.kwargs.is_empty() {
                return Err(format!("property '{class}.{property}' takes no arguments"));
            }
            Action::Property {
                object: object.to_owned(),
                class,
                property: property.to_owned(),
            }
        }
        StepAction::Attribute(name) => {
            if !manifest.attributes.contains_key(name) {
                return Err(format!(
                    "unknown attribute '{name}': the manifest's `attributes` declares no such name"
                ));
            }
            if adapter.is_some_and(|a| !a.has_attribute(name)) {
                return Err(format!(
                    "the Rust adapter of '{}' has no attribute '{name}'",
                    manifest.component
                ));
            }
            if !step.args.is_empty() || !step.kwargs.is_empty() {
                return Err(format!("attribute '{name}' takes no arguments"));
            }
            Action::Attribute(name.to_owned())
        }
        StepAction::Assign { object, property } => {
            let class = class_of(object)?;
            match manifest
                .property(&class, property)
                .map(|(_, declared)| declared)
            {
                None => {
                    return Err(format!(
                        "unknown property '{class}.{property}': the manifest declares no such property"
                    ));
                }
                Some(declared) if !declared.settable => {
                    return Err(format!(
                        "property '{class}.{property}' is read-only: the manifest does not mark it `settable`"
                    ));
                }
                Some(_) => {}
            }
            if let Some(adapter) = adapter {
                inherited(adapter, manifest, &class, ("setter", property), |a, c| {
                    a.has_setter(c, property)
                })?;
            }
            if !step.args.is_empty() || !step.kwargs.is_empty() {
                return Err("a `set` step takes its `value`, no `args` or `kwargs`".to_owned());
            }
            Action::Assign {
                object: object.to_owned(),
                class,
                property: property.to_owned(),
            }
        }
    })
}

fn bind<'a>(
    result: std::result::Result<Cow<'a, [Value]>, String>,
    operation: &str,
) -> std::result::Result<Cow<'a, [Value]>, String> {
    result.map_err(|message| format!("wrong arguments for '{operation}': {operation}() {message}"))
}

/// A `call` of `Class.method` without `on`: a classmethod or staticmethod.
fn check_class_call(
    manifest: &pyo3_conformance_model::Manifest,
    class: &str,
    method: &str,
) -> std::result::Result<(), String> {
    let Some(declared) = manifest.classes.get(class) else {
        return Err(format!(
            "unknown class '{class}': the manifest declares no such class"
        ));
    };
    match declared
        .methods
        .get(method)
        .map(|m| m.kind.unwrap_or_default())
    {
        Some(MethodKind::Classmethod | MethodKind::Staticmethod) => Ok(()),
        Some(MethodKind::Method) => Err(format!(
            "'{class}.{method}' is an instance method: call it with `on`, or declare its `kind` \
             classmethod or staticmethod"
        )),
        None => Err(format!(
            "unknown operation '{class}.{method}': the manifest declares no such method"
        )),
    }
}

/// The declared class of an action's result, where it is an object.
fn result_class(
    manifest: &pyo3_conformance_model::Manifest,
    action: &Action,
    signature: Option<&pyo3_conformance_model::Signature>,
) -> Option<String> {
    let named = |ty: Option<&String>| {
        ty.filter(|t| manifest.classes.contains_key(t.as_str()))
            .cloned()
    };
    match action {
        Action::Construct(class) => Some(class.clone()),
        Action::Property {
            class, property, ..
        } => named(
            manifest
                .property(class, property)
                .and_then(|(_, declared)| declared.ty.as_ref()),
        ),
        Action::Attribute(name) => named(manifest.attributes[name].ty.as_ref()),
        Action::Assign { .. } => None,
        _ => named(signature.and_then(|s| s.returns.as_ref())),
    }
}

fn returns_text(manifest: &pyo3_conformance_model::Manifest, action: &Action) -> String {
    let returns = match action {
        Action::Property {
            class, property, ..
        } => manifest
            .property(class, property)
            .and_then(|(_, declared)| declared.ty.clone()),
        Action::Attribute(name) => manifest.attributes[name].ty.clone(),
        Action::Assign { .. } => None,
        other => manifest
            .signature(&other.operation())
            .and_then(|s| s.returns.clone()),
    };
    match returns {
        Some(ty) => format!("'{ty}'"),
        None => "no declared type".to_owned(),
    }
}

/// The adapter must return an object exactly where the manifest says the result is one.
fn check_object_result(
    adapter: &Adapter,
    manifest: &pyo3_conformance_model::Manifest,
    action: &Action,
    result_class: Option<&str>,
) -> std::result::Result<(), String> {
    if matches!(
        action,
        Action::Construct(_) | Action::Property { .. } | Action::Assign { .. }
    ) {
        return Ok(());
    }
    // An inherited method is registered on the base that declares it.
    let operation = match action {
        Action::Method { class, method, .. } => adapter
            .owner(manifest, class, |a, c| a.has_method(c, method))
            .map_or_else(
                || action.operation(),
                |owner| format!("{owner}.{method}").into(),
            ),
        _ => action.operation(),
    };
    match (result_class, adapter.returns_object(&operation)) {
        (Some(class), false) => Err(format!(
            "the manifest says '{operation}' returns a '{class}', but the Rust adapter registers \
             it as returning a value: register it with `object_method`/`object_function`"
        )),
        (None, true) => Err(format!(
            "the Rust adapter registers '{operation}' as returning an object, but its `returns` \
             in the manifest names no class the manifest declares"
        )),
        _ => Ok(()),
    }
}

/// A method or property of `class` that a step names: the manifest declares it (`declared`;
/// the error calls it an unknown `noun`), and the adapter serves it (`has`), on the class or a
/// base.
fn check_member(
    manifest: &pyo3_conformance_model::Manifest,
    adapter: Option<&Adapter>,
    class: &str,
    (noun, kind, name): (&str, &str, &str),
    declared: bool,
    has: impl Fn(&Adapter, &str) -> bool,
) -> std::result::Result<(), String> {
    if !declared {
        return Err(format!(
            "unknown {noun} '{class}.{name}': the manifest declares no such {kind}"
        ));
    }
    match adapter {
        Some(adapter) => inherited(adapter, manifest, class, (kind, name), has),
        None => Ok(()),
    }
}

/// Where the adapter implements `class`'s member (`kind`, `name`): on the class itself or on
/// the base it inherits it from, with the Rust type objects of `class` have.
fn inherited(
    adapter: &Adapter,
    manifest: &pyo3_conformance_model::Manifest,
    class: &str,
    (kind, name): (&str, &str),
    has: impl Fn(&Adapter, &str) -> bool,
) -> std::result::Result<(), String> {
    if adapter.owner(manifest, class, &has).is_some() {
        return Ok(());
    }
    let owner = manifest
        .lineage(class)
        .into_iter()
        .find(|candidate| has(adapter, candidate));
    Err(match owner {
        Some(owner) => match adapter.type_mismatch(class, owner) {
            Some((mine, theirs)) => format!(
                "the Rust adapter registers the {kind} '{owner}.{name}' for {theirs}, but objects \
                 of '{class}' are {mine}: register '{class}.{name}' too"
            ),
            None => format!(
                "the Rust adapter registers no class '{class}': register it (with the Rust type \
                 of '{owner}' to inherit '{owner}.{name}')"
            ),
        },
        None => format!("the Rust adapter has no {kind} '{class}.{name}'"),
    })
}

/// Every `{"$callback": name}` in a step's arguments names a callback the manifest declares
/// and the adapter registers.
fn check_callbacks<'a>(
    manifest: &pyo3_conformance_model::Manifest,
    adapter: Option<&Adapter>,
    values: impl IntoIterator<Item = &'a Value>,
) -> std::result::Result<(), String> {
    for value in values {
        for name in value.callbacks() {
            if !manifest.callbacks.contains_key(name) {
                return Err(format!(
                    "{{\"$callback\": \"{name}\"}} names no callback the manifest's `callbacks` declares"
                ));
            }
            if adapter.is_some_and(|a| !a.has_callback(name)) {
                return Err(format!(
                    "the Rust adapter of '{}' registers no callback '{name}': add \
                     `.callback(\"{name}\", |args| ...)`",
                    manifest.component
                ));
            }
        }
    }
    Ok(())
}

/// Every `{"$obj": name}` in a step's arguments names an object an earlier step bound, and
/// where it is a whole argument whose parameter's type names a class, an object of that class.
fn check_references(
    manifest: &pyo3_conformance_model::Manifest,
    objects: &HashMap<String, String>,
    signature: Option<&pyo3_conformance_model::Signature>,
    (args, kwargs): (&[Value], &BTreeMap<String, Value>),
    bound: &[Value],
    action: &Action,
) -> std::result::Result<(), String> {
    for name in args
        .iter()
        .chain(kwargs.values())
        .flat_map(Value::references)
    {
        if !objects.contains_key(name) {
            return Err(format!(
                "{{\"$obj\": \"{name}\"}} names no object an earlier step binds"
            ));
        }
    }
    let Some(signature) = signature else {
        return Ok(());
    };
    for (param, value) in signature.params.iter().zip(bound) {
        let (Value::Ref(name), Some(ty)) = (value, &param.ty) else {
            continue;
        };
        let class = &objects[name];
        if manifest.classes.contains_key(ty.as_str()) && !manifest.is_subclass(class, ty) {
            return Err(format!(
                "parameter '{}' of '{}' takes a '{ty}', but '{name}' is a '{class}'",
                param.name,
                action.operation()
            ));
        }
    }
    Ok(())
}
