//! Strategies over whole scenarios, built from the manifest: one call of a function, or a
//! constructor followed by a random sequence of method calls, property sets and reads (a
//! state-machine test of a class, in the manner of Hypothesis's rules and bundles).
//! Shrinking works on the scenario as a value: fewer steps, smaller arguments, and a
//! parameter with a default shrinks to being omitted, so a kept regression carries only the
//! arguments that matter. Each state-machine case enables a random subset of the class's
//! operations (swarm testing: an operation that is never drawn cannot crowd out the rare
//! interaction of two others); the subset is the case's description, so reports can say
//! which subsets found what. Value strategies live in `values` and `stdlib`.

use proptest::prelude::*;
use proptest::strategy::{Just, Union};
use pyo3_conformance_model::{
    Collect, Constraints, Manifest, MethodKind, Param, ParamKind, Scenario, Signature, Step, Value,
};

use super::Gap;
use super::types::parse_among;
use super::values::values;
use crate::adapter::Adapter;

/// The object a class state machine works on.
pub(crate) const OBJECT: &str = "obj";
/// How a state-machine case's description names the operations it enables.
pub(crate) const SWARM: &str = "swarm: ";
/// The longest sequence of method calls a class state machine generates.
const MAX_CALLS: usize = 8;
const MAX_STAR_ARGS: usize = 4;
/// How often a parameter with a default is passed (it shrinks to being omitted).
const PASSED_WITH_DEFAULT: f64 = 0.75;

/// What generates a target's cases, with what it leaves out.
pub(crate) struct Generated {
    pub(crate) strategy: BoxedStrategy<Scenario>,
    /// Operations of a state machine left out (each fails the run unless opted out).
    pub(crate) gaps: Vec<Gap>,
    /// What is generated only in part: an untyped `*args`, a default always omitted.
    pub(crate) notes: Vec<String>,
}

/// Generated arguments: positional ones, then keyword ones.
pub(super) type Arguments = (Vec<Value>, Vec<(String, Value)>);

/// What generating arguments needs besides values, gathered as it goes: objects of the
/// module's classes that a case must construct before the step that passes them (each
/// referred to as `@k` until the case is put together), and notes on what is generated only
/// in part.
#[derive(Default)]
pub(super) struct Needs {
    pub(super) notes: Vec<String>,
    /// The steps that make each object, the last binding `@k`.
    constructions: Vec<BoxedStrategy<Vec<Step>>>,
    /// Generating a construction's own arguments: a class-typed parameter there is not
    /// generated (one level of objects as arguments).
    pub(super) nested: bool,
}

impl Needs {
    /// Needs of a maker's own arguments; `nested` where the object it makes is an argument.
    pub(super) fn of_maker(nested: bool) -> Self {
        Self {
            nested,
            ..Self::default()
        }
    }

    /// The steps that make the objects gathered so far, leaving none gathered.
    fn take_construction_steps(&mut self) -> BoxedStrategy<Vec<Step>> {
        std::mem::take(&mut self.constructions)
            .prop_map(|groups| groups.into_iter().flatten().collect())
            .boxed()
    }
}

/// Names the objects a group of steps constructs (`@k` binds and references) `arg1`,
/// `arg2`, ... counting on from `next`, so every case's names are unique and readable.
fn name_constructions(steps: &mut [Step], next: &mut usize) {
    let mut names: Vec<(String, String)> = Vec::new();
    for step in steps.iter_mut() {
        if let Some(bind) = step.bind.as_mut().filter(|b| b.starts_with('@')) {
            *next += 1;
            let name = format!("arg{next}");
            names.push((bind.clone(), name.clone()));
            *bind = name;
        }
        let rename = |text: &mut String| {
            if let Some((_, name)) = names.iter().find(|(marker, _)| marker == text) {
                *text = name.clone();
            }
        };
        if let Some(on) = step.on.as_mut() {
            rename(on);
        }
        for value in step.args.iter_mut().chain(step.kwargs.values_mut()) {
            if let Value::Ref(text) = value {
                rename(text);
            }
        }
    }
}

/// What generated scenarios draw on: the adapter's custom strategies, the manifest's types,
/// classes and callbacks.
pub(crate) type Sources<'a> = (&'a Adapter, &'a Manifest);

/// The callbacks a parameter of type `ty` draws from, where it is a callable: those the
/// manifest declares with that very type, or all of them where none has it.
fn callbacks_for(manifest: &Manifest, ty: &str) -> Option<Vec<Value>> {
    let normal = |t: &str| {
        t.replace(' ', "")
            .replace("typing.", "")
            .replace("collections.abc.", "")
    };
    let ty = normal(ty);
    if ty != "Callable" && !ty.starts_with("Callable[") {
        return None;
    }
    let all: Vec<(&String, bool)> = manifest
        .callbacks
        .iter()
        .map(|(name, spec)| (name, spec.ty.as_deref().map(normal).as_deref() == Some(&ty)))
        .collect();
    let matching = all.iter().any(|(_, matches)| *matches);
    Some(
        all.into_iter()
            .filter(|(_, matches)| *matches || !matching)
            .map(|(name, _)| Value::Callback(name.clone()))
            .collect(),
    )
}

/// A placeholder for an object argument, resolved against the bundle when the scenario is
/// put together: `#n` is the `n`th object bound so far (modulo how many there are).
fn bundle_pick(index: proptest::sample::Index) -> Value {
    Value::Ref(format!("#{}", index.index(usize::from(u16::MAX))))
}

/// One named parameter's generated value: whether it is passed, and the value (none where
/// the parameter's type cannot be generated: it is left to its default).
type Passed = (bool, Option<Value>);

/// A strategy for the arguments of `operation`, drawing objects of `class` from the bundle
/// where a parameter takes one. A required parameter is always passed; one with a default
/// is passed three times in four and shrinks to being omitted (later positional ones then
/// go by keyword, or are omitted too where they cannot); `*args` gets 0 to 4 elements of its
/// type; `**kwargs` gets none and needs no type. What cannot be generated is an `Err` for a
/// required parameter, a note (never passed) for one with a default or `*args`.
pub(super) fn arguments(
    (adapter, manifest): Sources<'_>,
    operation: &str,
    signature: &Signature,
    class: Option<&str>,
    needs: &mut Needs,
) -> Result<BoxedStrategy<Arguments>, String> {
    let mut named: Vec<BoxedStrategy<Passed>> = Vec::new();
    let mut kinds: Vec<(ParamKind, String)> = Vec::new();
    let mut extra: BoxedStrategy<Vec<Value>> = Just(Vec::new()).boxed();
    for param in &signature.params {
        match param.kind {
            ParamKind::VarPositional => {
                match param_values((adapter, manifest), operation, param) {
                    Ok(item) => extra = proptest::collection::vec(item, 0..=MAX_STAR_ARGS).boxed(),
                    Err(reason) => needs.notes.push(format!(
                        "`*{}` of {operation} is never given elements: {reason}",
                        param.name
                    )),
                }
                continue;
            }
            // `**kwargs`: no names to generate; left empty.
            ParamKind::VarKeyword => continue,
            _ => {}
        }
        let value = match param_strategy((adapter, manifest), operation, param, class, needs) {
            Ok(value) => value,
            Err(reason) if param.default.is_some() => {
                needs.notes.push(format!(
                    "parameter '{}' of {operation} is always left to its default: {reason}",
                    param.name
                ));
                named.push(Just((false, None)).boxed());
                kinds.push((param.kind, param.name.clone()));
                continue;
            }
            Err(reason) => return Err(reason),
        };
        let passed = if param.default.is_some() {
            (
                proptest::bool::weighted(PASSED_WITH_DEFAULT),
                value.prop_map(Some),
            )
                .boxed()
        } else {
            value.prop_map(|value| (true, Some(value))).boxed()
        };
        named.push(passed);
        kinds.push((param.kind, param.name.clone()));
    }
    Ok((named, extra)
        .prop_map(move |(named, extra)| assemble(&kinds, named, extra))
        .boxed())
}

/// Puts generated parameters into a call Python accepts: positional ones in order until the
/// first omitted one, the rest by keyword (a positional-only one after an omission is
/// omitted too); `*args` elements only where every positional parameter is passed, which
/// they force.
fn assemble(kinds: &[(ParamKind, String)], named: Vec<Passed>, extra: Vec<Value>) -> Arguments {
    let forced = !extra.is_empty();
    let mut positional = Vec::new();
    let mut keyword = Vec::new();
    let mut omitted = false;
    for ((kind, name), (passed, value)) in kinds.iter().zip(named) {
        let positional_kind = matches!(
            kind,
            ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword
        );
        match (
            kind,
            value.filter(|_| passed || (forced && positional_kind)),
        ) {
            (_, None) => omitted |= positional_kind,
            (ParamKind::PositionalOnly, Some(_)) if omitted => {}
            (ParamKind::PositionalOnly, Some(value)) => positional.push(value),
            (ParamKind::PositionalOrKeyword, Some(value)) if !omitted => positional.push(value),
            (_, Some(value)) => keyword.push((name.clone(), value)),
        }
    }
    if !omitted {
        positional.extend(extra);
    }
    (positional, keyword)
}

/// A strategy for one named parameter: a bundled object where it takes one of `class`, a
/// declared callback where it takes a callable, a newly constructed object where it takes
/// another class of the module, values of its type otherwise.
fn param_strategy(
    (adapter, manifest): Sources<'_>,
    operation: &str,
    param: &Param,
    class: Option<&str>,
    needs: &mut Needs,
) -> Result<BoxedStrategy<Value>, String> {
    // A parameter of the class's type, or of any type (`object`), takes a bundled object.
    // (A bundled object of a class derived from the parameter's does too.)
    let draws = class.is_some_and(|class| {
        param
            .ty
            .as_deref()
            .is_some_and(|ty| ty == "object" || manifest.is_subclass(class, ty))
    });
    if draws {
        return Ok(any::<proptest::sample::Index>()
            .prop_map(bundle_pick)
            .boxed());
    }
    if let Some(callbacks) = param
        .ty
        .as_deref()
        .and_then(|ty| callbacks_for(manifest, ty))
    {
        if callbacks.is_empty() {
            return Err(format!(
                "parameter '{}' of {operation} takes a callable, and the manifest declares \
                 no `callbacks` to pass",
                param.name
            ));
        }
        return Ok(proptest::sample::select(callbacks).boxed());
    }
    let declared = param
        .generated_type()
        .map(str::trim)
        .filter(|ty| manifest.classes.contains_key(*ty));
    if let Some(ty) = declared {
        return construction((adapter, manifest), operation, param, ty, needs);
    }
    param_values((adapter, manifest), operation, param)
}

/// A parameter that takes an object of the module's class `ty`: the case makes one first, by
/// any of the class's makers (its constructor or a factory, with generated arguments), and
/// the step passes it by reference (`@k` until the case is put together).
pub(super) fn construction(
    sources: Sources<'_>,
    operation: &str,
    param: &Param,
    ty: &str,
    needs: &mut Needs,
) -> Result<BoxedStrategy<Value>, String> {
    let cannot = |why: &str| {
        format!(
            "parameter '{}' of {operation} takes a '{ty}', {why}",
            param.name
        )
    };
    if needs.nested {
        return Err(cannot(
            "an object to make for another object's maker (one level is generated)",
        ));
    }
    let made = super::makers::makers(sources, ty, true, &mut needs.notes);
    if made.ways.is_empty() {
        return Err(cannot(&format!("and {}", made.why_none(sources.1, ty))));
    }
    let k = needs.constructions.len();
    needs.constructions.push(
        Union::new(made.ways)
            .prop_map(move |mut steps| {
                super::makers::nest(&mut steps, k);
                steps
            })
            .boxed(),
    );
    Ok(Just(Value::Ref(format!("@{k}"))).boxed())
}

/// An annotation of `manifest` read into a type: the module's own class names shadow the
/// standard-library types of the same name.
fn parse(manifest: &Manifest, text: &str) -> Result<super::types::Ty, String> {
    parse_among(text, &|name| {
        manifest.classes.contains_key(name) || manifest.values.contains_key(name)
    })
}

fn param_values(
    (adapter, manifest): Sources<'_>,
    operation: &str,
    param: &Param,
) -> Result<BoxedStrategy<Value>, String> {
    if let Some(custom) = adapter.custom_strategy(operation, &param.name) {
        return Ok(custom);
    }
    let ty = param.generated_type().ok_or_else(|| {
        format!(
            "parameter '{}' of {operation} has no type to generate values from",
            param.name
        )
    })?;
    let ty = parse(manifest, ty)
        .map_err(|e| format!("parameter '{}' of {operation}: {e}", param.name))?;
    values(
        &ty,
        param
            .constraints
            .as_ref()
            .unwrap_or(&Constraints::default()),
    )
}

pub(super) fn step(
    call: Option<&str>,
    get: Option<&str>,
    on: Option<&str>,
    (args, kwargs): Arguments,
) -> Step {
    Step {
        call: call.map(str::to_owned),
        get: get.map(str::to_owned),
        on: on.map(str::to_owned),
        args,
        kwargs: kwargs.into_iter().collect(),
        ..Step::default()
    }
}

/// An operation that returns an iterator is materialised with `list()` on the Python side.
pub(super) fn collect_for(signature: &Signature) -> Option<Collect> {
    let returns = signature.returns.as_deref()?.replace("typing.", "");
    ["Iterator[", "Iterable[", "Generator["]
        .iter()
        .any(|prefix| returns.starts_with(prefix))
        .then_some(Collect::List)
}

/// A step after the objects it needs are constructed: the group of steps a rule adds.
pub(super) fn group(needs: &mut Needs, step: BoxedStrategy<Step>) -> BoxedStrategy<Vec<Step>> {
    (needs.take_construction_steps(), step)
        .prop_map(|(mut steps, step)| {
            steps.push(step);
            steps
        })
        .boxed()
}

/// Scenarios of one call of a module function (after constructing any objects it takes).
pub(crate) fn function_scenarios(
    sources: Sources<'_>,
    name: &str,
    signature: &Signature,
) -> Result<Generated, String> {
    let mut needs = Needs::default();
    let arguments = arguments(sources, name, signature, None, &mut needs)?;
    let call_name = name.to_owned();
    let collect = collect_for(signature);
    let call = arguments
        .prop_map(move |arguments| {
            let mut call = step(Some(&call_name), None, None, arguments);
            call.collect = collect;
            call
        })
        .boxed();
    let strategy = group(&mut needs, call)
        .prop_map(|mut steps| {
            name_constructions(&mut steps, &mut 0);
            Scenario {
                schema: None,
                description: None,
                steps,
            }
        })
        .boxed();
    Ok(Generated {
        strategy,
        gaps: Vec::new(),
        notes: needs.notes,
    })
}

/// One rule of a state machine: its name in reports, and the steps it adds.
struct Rule {
    name: String,
    steps: BoxedStrategy<Vec<Step>>,
}

/// How a state machine's case makes its first object: any of the class's makers (its
/// constructor, its factories), the object bound as `OBJECT`.
fn first_object(
    sources: Sources<'_>,
    name: &str,
    needs: &mut Needs,
) -> Result<BoxedStrategy<Vec<Step>>, String> {
    let made = super::makers::makers(sources, name, false, &mut needs.notes);
    if made.ways.is_empty() {
        return Err(made.why_none(sources.1, name));
    }
    Ok(Union::new(made.ways)
        .prop_map(|mut steps| {
            super::makers::rebind(&mut steps, super::makers::RESULT, OBJECT);
            steps
        })
        .boxed())
}

/// Scenarios of a class as a state machine, in the manner of Hypothesis's rules and
/// bundles: make the first object (`first_object`), then up to eight steps in any order, each
/// from a rule the case enables — method calls, classmethod and staticmethod calls, property
/// sets and reads. A step whose result is an object of the class puts it in the bundle;
/// receivers and arguments of the class's type are drawn from the bundle, objects of other
/// classes are constructed. A method that cannot be generated is left out as a gap; a first
/// object that cannot be made is the target's `Err`.
pub(crate) fn class_scenarios(
    sources: Sources<'_>,
    name: &str,
    class: &pyo3_conformance_model::Class,
) -> Result<Generated, String> {
    let manifest = sources.1;
    let mut needs = Needs::default();
    let mut gaps = Vec::new();
    let first = first_object(sources, name, &mut needs)?;
    let mut rules: Vec<Rule> = Vec::new();
    // The class's own members and those it inherits through the manifest's `bases`, except
    // inherited classmethods and staticmethods: they take no object of this class, and the
    // base's own state machine calls them.
    let mut methods: std::collections::BTreeMap<&String, &Signature> = Default::default();
    let mut properties: std::collections::BTreeMap<&String, &pyo3_conformance_model::Property> =
        Default::default();
    for owner in manifest.lineage(name) {
        let declared = manifest.classes.get(owner).unwrap_or(class);
        for (method, signature) in &declared.methods {
            let on_class = matches!(
                signature.kind,
                Some(MethodKind::Classmethod | MethodKind::Staticmethod)
            );
            if owner == name || !on_class {
                methods.entry(method).or_insert(signature);
            }
        }
        for (property, spec) in &declared.properties {
            properties.entry(property).or_insert(spec);
        }
    }
    for (method, signature) in methods {
        let operation = format!("{name}.{method}");
        if let Some(reason) = signature.opted_out() {
            gaps.push(Gap {
                operation,
                reason: reason.to_owned(),
                opted_out: true,
            });
            continue;
        }
        let args = match arguments(sources, &operation, signature, Some(name), &mut needs) {
            Ok(args) => args,
            Err(reason) => {
                needs.constructions.clear();
                gaps.push(Gap {
                    operation,
                    reason,
                    opted_out: false,
                });
                continue;
            }
        };
        let on_class = matches!(
            signature.kind,
            Some(MethodKind::Classmethod | MethodKind::Staticmethod)
        );
        let (call, on) = if on_class {
            (operation, None)
        } else {
            (method.clone(), Some(OBJECT))
        };
        // A result of the class, or of a class derived from it, joins the bundle.
        let returns_class = signature
            .returns
            .as_deref()
            .is_some_and(|returns| manifest.is_subclass(returns, name));
        let collect = collect_for(signature);
        let steps = args
            .prop_map(move |a| {
                let mut step = step(Some(&call), None, on, a);
                // Marks a result for the bundle; named when the scenario is put together.
                step.bind = returns_class.then(String::new);
                step.collect = collect;
                step
            })
            .boxed();
        rules.push(Rule {
            name: method.clone(),
            steps: group(&mut needs, steps),
        });
    }
    for (property, declared) in &properties {
        if !declared.settable {
            continue;
        }
        let operation = format!("{name}.{property}");
        let setter = declared
            .ty
            .as_deref()
            .ok_or_else(|| "a settable property with no `type` to generate values from".to_owned())
            .and_then(|ty| parse(manifest, ty))
            .and_then(|ty| values(&ty, &Constraints::default()));
        let values = match setter {
            Ok(values) => values,
            Err(reason) => {
                gaps.push(Gap {
                    operation: format!("{operation} (set)"),
                    reason,
                    opted_out: false,
                });
                continue;
            }
        };
        let property = (*property).clone();
        rules.push(Rule {
            name: format!("{property}="),
            steps: values
                .prop_map(move |value| {
                    vec![Step {
                        set: Some(property.clone()),
                        on: Some(OBJECT.to_owned()),
                        value: Some(value),
                        ..Step::default()
                    }]
                })
                .boxed(),
        });
    }
    for property in properties.keys() {
        rules.push(Rule {
            name: (*property).clone(),
            steps: Just(vec![step(
                None,
                Some(property),
                Some(OBJECT),
                (Vec::new(), Vec::new()),
            )])
            .boxed(),
        });
    }
    let calls = swarm(rules);
    let strategy = (first, calls)
        .prop_map(move |(mut first, (enabled, calls))| {
            let mut next = 0;
            name_constructions(&mut first, &mut next);
            let mut steps = first;
            for mut group in calls {
                name_constructions(&mut group, &mut next);
                steps.extend(group);
            }
            Scenario {
                schema: None,
                description: Some(format!("{SWARM}{enabled}")),
                steps,
            }
        })
        .boxed();
    Ok(Generated {
        strategy,
        gaps,
        notes: needs.notes,
    })
}

/// The steps after the first object, swarm-tested: each case enables each rule with
/// probability one half (a disabled rule shrinks away with its steps), then draws up to
/// `MAX_CALLS` rules' steps from the enabled ones. Gives the enabled rules' names with the
/// groups of steps, receivers and bundle placeholders resolved.
fn swarm(rules: Vec<Rule>) -> BoxedStrategy<(String, Vec<Vec<Step>>)> {
    if rules.is_empty() {
        return Just((String::new(), Vec::new())).boxed();
    }
    let names: Vec<String> = rules.iter().map(|rule| rule.name.clone()).collect();
    let count = rules.len();
    let labelled: Vec<BoxedStrategy<(usize, Vec<Step>)>> = rules
        .into_iter()
        .enumerate()
        .map(|(index, rule)| rule.steps.prop_map(move |steps| (index, steps)).boxed())
        .collect();
    (
        proptest::collection::vec(any::<bool>(), count),
        // Twice as many draws as kept: about half are of disabled rules.
        proptest::collection::vec(
            (Union::new(labelled), any::<proptest::sample::Index>()),
            0..=2 * MAX_CALLS,
        ),
    )
        .prop_map(move |(enabled, drawn)| {
            let kept: Vec<(Vec<Step>, proptest::sample::Index)> = drawn
                .into_iter()
                .filter(|((rule, _), _)| enabled[*rule])
                .take(MAX_CALLS)
                .map(|((_, steps), index)| (steps, index))
                .collect();
            let on: Vec<&str> = names
                .iter()
                .zip(&enabled)
                .filter(|(_, on)| **on)
                .map(|(name, _)| name.as_str())
                .collect();
            (on.join(", "), draw_from_bundle(kept))
        })
        .boxed()
}

/// Names each result a rule's step puts in the bundle (`obj1`, `obj2`, ...), and resolves
/// each receiver and `#n` argument of it to an object bound before it. A group's last step is
/// the rule's; the steps before it construct its arguments.
fn draw_from_bundle(groups: Vec<(Vec<Step>, proptest::sample::Index)>) -> Vec<Vec<Step>> {
    let mut bundle = vec![OBJECT.to_owned()];
    let mut out = Vec::with_capacity(groups.len());
    for (mut steps, receiver) in groups {
        let Some(step) = steps.last_mut() else {
            continue;
        };
        if step.on.as_deref() == Some(OBJECT) {
            step.on = Some(receiver.get(&bundle).clone());
        }
        for value in step.args.iter_mut().chain(step.kwargs.values_mut()) {
            if let Value::Ref(placeholder) = value
                && let Some(n) = placeholder.strip_prefix('#')
            {
                let n: usize = n.parse().unwrap_or(0);
                *value = Value::Ref(bundle[n % bundle.len()].clone());
            }
        }
        if step.bind.is_some() {
            let name = format!("{OBJECT}{}", bundle.len());
            step.bind = Some(name.clone());
            bundle.push(name);
        }
        out.push(steps);
    }
    out
}
