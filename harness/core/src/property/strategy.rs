//! proptest strategies over canonical values, built from the manifest's parameter types and
//! constraints, and from them strategies over whole scenarios: one call of a function, or a
//! constructor followed by a random sequence of method calls and property reads (a
//! state-machine test of a class). Shrinking works on the scenario as a value: fewer steps,
//! smaller arguments.

use proptest::prelude::*;
use proptest::strategy::{Just, Union};
use pyo3_conformance_model::{
    Collect, Constraints, Manifest, MethodKind, Param, ParamKind, Scenario, Signature, Step, Value,
};

use super::types::{Ty, parse_among};
use crate::adapter::Adapter;

/// The object a class state machine works on.
pub(crate) const OBJECT: &str = "obj";
/// The longest sequence of method calls a class state machine generates.
const MAX_CALLS: usize = 8;
const MAX_STAR_ARGS: usize = 4;
/// Default collection sizes and string lengths.
const DEFAULT_LEN: (usize, usize) = (0, 8);

/// Integers a property run always tries: the edges of fixed widths and beyond them.
fn edge_ints() -> Vec<Value> {
    let big = |text: &str| Value::Int(text.parse().expect("a valid integer"));
    vec![
        Value::int(0),
        Value::int(1),
        Value::int(-1),
        Value::int(i64::MAX),
        Value::int(i64::MIN),
        Value::int(u64::MAX),
        big("9223372036854775808"),
        big("-9223372036854775809"),
        big("18446744073709551616"),
        big("-1000000000000000000000000000000"),
    ]
}

fn lengths(constraints: &Constraints) -> std::ops::RangeInclusive<usize> {
    let min = constraints.min_len.unwrap_or(DEFAULT_LEN.0);
    min..=constraints.max_len.unwrap_or(DEFAULT_LEN.1.max(min))
}

/// A strategy for values of `ty`; `constraints` apply at the top level.
pub(crate) fn values(ty: &Ty, constraints: &Constraints) -> Result<BoxedStrategy<Value>, String> {
    if let Some(options) = &constraints.one_of {
        if options.is_empty() {
            return Err("`one_of` is empty".to_owned());
        }
        return Ok(proptest::sample::select(options.clone()).boxed());
    }
    let none = Constraints::default();
    let len = lengths(constraints);
    Ok(match ty {
        Ty::None => Just(Value::Null).boxed(),
        Ty::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Ty::Int => match (constraints.min, constraints.max) {
            (None, None) => prop_oneof![
                8 => any::<i64>().prop_map(Value::int),
                2 => (-100i64..100).prop_map(Value::int),
                1 => proptest::sample::select(edge_ints()),
            ]
            .boxed(),
            (min, max) => {
                // Bounds are written as JSON numbers; beyond ±2**53 they are approximate.
                let (min, max) = (min.unwrap_or(i64::MIN as f64) as i64, max.unwrap_or(i64::MAX as f64) as i64);
                (min..=max).prop_map(Value::int).boxed()
            }
        },
        Ty::Float => match (constraints.min, constraints.max) {
            (None, None) => prop_oneof![
                6 => proptest::num::f64::ANY.prop_map(Value::Float),
                2 => (-1000.0f64..1000.0).prop_map(Value::Float),
                1 => proptest::sample::select(vec![0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY])
                    .prop_map(Value::Float),
            ]
            .boxed(),
            (min, max) => (min.unwrap_or(f64::MIN)..=max.unwrap_or(f64::MAX)).prop_map(Value::Float).boxed(),
        },
        Ty::Str => match &constraints.regex {
            Some(regex) => proptest::string::string_regex(regex)
                .map_err(|e| format!("bad regex {regex:?}: {e}"))?
                .prop_map(Value::Str)
                .boxed(),
            None => proptest::collection::vec(any::<char>(), len)
                .prop_map(|chars| Value::Str(chars.into_iter().collect()))
                .boxed(),
        },
        Ty::Bytes => proptest::collection::vec(any::<u8>(), len).prop_map(Value::Bytes).boxed(),
        Ty::List(item) => proptest::collection::vec(values(item, &none)?, len).prop_map(Value::List).boxed(),
        Ty::Set(item) => proptest::collection::vec(values(item, &none)?, len).prop_map(|v| Value::Set(dedup(v))).boxed(),
        Ty::FrozenSet(item) => {
            proptest::collection::vec(values(item, &none)?, len).prop_map(|v| Value::FrozenSet(dedup(v))).boxed()
        }
        Ty::TupleOf(item) => proptest::collection::vec(values(item, &none)?, len).prop_map(Value::Tuple).boxed(),
        Ty::Tuple(items) => {
            let parts = items.iter().map(|item| values(item, &none)).collect::<Result<Vec<_>, _>>()?;
            parts.prop_map(Value::Tuple).boxed()
        }
        Ty::Dict(key, value) => proptest::collection::vec((values(key, &none)?, values(value, &none)?), len)
            .prop_map(|entries| {
                let mut unique: Vec<(Value, Value)> = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    if !unique.iter().any(|(k, _)| *k == key) {
                        unique.push((key, value));
                    }
                }
                Value::Dict(unique)
            })
            .boxed(),
        Ty::Union(options) => {
            let strategies = options.iter().map(|option| values(option, &none)).collect::<Result<Vec<_>, _>>()?;
            Union::new(strategies).boxed()
        }
        Ty::Std(ty) => super::stdlib::values(*ty, constraints)?,
    })
}

fn dedup(items: Vec<Value>) -> Vec<Value> {
    let mut unique: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    unique
}

/// Generated arguments: positional ones, then keyword ones.
type Arguments = (Vec<Value>, Vec<(String, Value)>);

/// A strategy for the arguments of `operation`: every positional parameter by position,
/// every keyword-only one by name; `*args`/`**kwargs` stay empty.
fn arguments(
    (adapter, manifest): Sources<'_>,
    operation: &str,
    signature: &Signature,
) -> Result<BoxedStrategy<Arguments>, String> {
    arguments_drawing((adapter, manifest), operation, signature, None)
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

/// The arguments of an operation; parameters of type `class` draw from the bundle.
fn arguments_drawing(
    (adapter, manifest): Sources<'_>,
    operation: &str,
    signature: &Signature,
    class: Option<&str>,
) -> Result<BoxedStrategy<Arguments>, String> {
    let mut positional = Vec::new();
    let mut keyword = Vec::new();
    let mut extra: BoxedStrategy<Vec<Value>> = Just(Vec::new()).boxed();
    for param in &signature.params {
        match param.kind {
            // `*args`: 0 to MAX_STAR_ARGS generated elements where the parameter has a type (or a
            // custom strategy); none where it has not (nothing to generate them from).
            ParamKind::VarPositional => {
                if param.generated_type().is_some()
                    || adapter.custom_strategy(operation, &param.name).is_some()
                {
                    let item = param_values((adapter, manifest), operation, param)?;
                    extra = proptest::collection::vec(item, 0..=MAX_STAR_ARGS).boxed();
                }
                continue;
            }
            // `**kwargs`: no names to generate; left empty.
            ParamKind::VarKeyword => continue,
            _ => {}
        }
        // A parameter of the class's type, or of any type (`object`), takes a bundled object.
        // (A bundled object of a class derived from the parameter's does too.)
        let draws = class.is_some_and(|class| {
            param
                .ty
                .as_deref()
                .is_some_and(|ty| ty == "object" || manifest.is_subclass(class, ty))
        });
        let callbacks = param
            .ty
            .as_deref()
            .and_then(|ty| callbacks_for(manifest, ty));
        let strategy = if draws {
            any::<proptest::sample::Index>()
                .prop_map(bundle_pick)
                .boxed()
        } else if let Some(callbacks) = callbacks {
            if callbacks.is_empty() {
                return Err(format!(
                    "parameter '{}' of {operation} takes a callable, and the manifest declares \
                     no `callbacks` to pass",
                    param.name
                ));
            }
            proptest::sample::select(callbacks).boxed()
        } else {
            param_values((adapter, manifest), operation, param)?
        };
        match param.kind {
            ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword => positional.push(strategy),
            ParamKind::KeywordOnly => {
                let name = param.name.clone();
                keyword.push(
                    strategy
                        .prop_map(move |value| (name.clone(), value))
                        .boxed(),
                );
            }
            ParamKind::VarPositional | ParamKind::VarKeyword => {}
        }
    }
    Ok((positional, extra, keyword)
        .prop_map(|(mut positional, extra, keyword)| {
            positional.extend(extra);
            (positional, keyword)
        })
        .boxed())
}

/// An annotation of `manifest` read into a type: the module's own class names shadow the
/// standard-library types of the same name.
fn parse(manifest: &Manifest, text: &str) -> Result<Ty, String> {
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

fn step(
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
fn collect_for(signature: &Signature) -> Option<Collect> {
    let returns = signature.returns.as_deref()?.replace("typing.", "");
    ["Iterator[", "Iterable[", "Generator["]
        .iter()
        .any(|prefix| returns.starts_with(prefix))
        .then_some(Collect::List)
}

/// Scenarios of one call of a module function.
pub(crate) fn function_scenarios(
    sources: Sources<'_>,
    name: &str,
    signature: &Signature,
) -> Result<BoxedStrategy<Scenario>, String> {
    let name = name.to_owned();
    let collect = collect_for(signature);
    Ok(arguments(sources, &name, signature)?
        .prop_map(move |arguments| {
            let mut call = step(Some(&name), None, None, arguments);
            call.collect = collect;
            Scenario {
                schema: None,
                description: None,
                steps: vec![call],
            }
        })
        .boxed())
}

/// Scenarios of a class as a state machine, in the manner of Hypothesis's rules and
/// bundles: construct, then up to eight steps in any order — method calls, classmethod and
/// staticmethod calls, property reads. A step whose result is an object of the class puts it
/// in the bundle; receivers and arguments of the class's type are drawn from the bundle.
pub(crate) fn class_scenarios(
    sources: Sources<'_>,
    name: &str,
    class: &pyo3_conformance_model::Class,
) -> Result<BoxedStrategy<Scenario>, String> {
    let manifest = sources.1;
    if !sources.0.has_constructor(name) {
        return Err(format!(
            "the adapter registers no constructor for '{name}': its objects come only from \
             other operations, whose own targets draw on them"
        ));
    }
    let Some(signature) = &class.constructor else {
        return Err(format!(
            "'{name}' has no constructor (`\"constructor\": null`): its objects come only from \
             other operations, whose own targets draw on them"
        ));
    };
    let constructor = arguments(sources, name, signature)?;
    let mut actions: Vec<BoxedStrategy<Step>> = Vec::new();
    // The class's own members and those it inherits through the manifest's `bases`.
    let mut methods: std::collections::BTreeMap<&String, &Signature> = Default::default();
    let mut properties: std::collections::BTreeMap<&String, &pyo3_conformance_model::Property> =
        Default::default();
    for owner in manifest.lineage(name) {
        let declared = manifest.classes.get(owner).unwrap_or(class);
        for (method, signature) in &declared.methods {
            methods.entry(method).or_insert(signature);
        }
        for (property, spec) in &declared.properties {
            properties.entry(property).or_insert(spec);
        }
    }
    for (method, signature) in methods {
        let operation = format!("{name}.{method}");
        let args = arguments_drawing(sources, &operation, signature, Some(name))?;
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
        actions.push(
            args.prop_map(move |a| {
                let mut step = step(Some(&call), None, on, a);
                // Marks a result for the bundle; named when the scenario is put together.
                step.bind = returns_class.then(String::new);
                step.collect = collect;
                step
            })
            .boxed(),
        );
    }
    for (property, declared) in &properties {
        if !declared.settable {
            continue;
        }
        let ty = declared.ty.as_deref().ok_or_else(|| {
            format!("settable property '{name}.{property}' has no type to generate values from")
        })?;
        let ty = parse(manifest, ty).map_err(|e| format!("property '{name}.{property}': {e}"))?;
        let property = (*property).clone();
        actions.push(
            values(&ty, &Constraints::default())?
                .prop_map(move |value| Step {
                    set: Some(property.clone()),
                    on: Some(OBJECT.to_owned()),
                    value: Some(value),
                    ..Step::default()
                })
                .boxed(),
        );
    }
    for property in properties.keys() {
        actions.push(
            Just(step(
                None,
                Some(property),
                Some(OBJECT),
                (Vec::new(), Vec::new()),
            ))
            .boxed(),
        );
    }
    let calls = if actions.is_empty() {
        Just(Vec::new()).boxed()
    } else {
        proptest::collection::vec(
            (Union::new(actions), any::<proptest::sample::Index>()),
            0..=MAX_CALLS,
        )
        .prop_map(draw_from_bundle)
        .boxed()
    };
    let class_name = name.to_owned();
    Ok((constructor, calls)
        .prop_map(move |((args, kwargs), calls)| {
            let new = Step {
                new: Some(class_name.clone()),
                args,
                kwargs: kwargs.into_iter().collect(),
                bind: Some(OBJECT.to_owned()),
                ..Step::default()
            };
            Scenario {
                schema: None,
                description: None,
                steps: std::iter::once(new).chain(calls).collect(),
            }
        })
        .boxed())
}

/// Names each result a step puts in the bundle (`obj1`, `obj2`, ...), and resolves each
/// receiver and `#n` argument to an object bound before the step.
fn draw_from_bundle(steps: Vec<(Step, proptest::sample::Index)>) -> Vec<Step> {
    let mut bundle = vec![OBJECT.to_owned()];
    let mut out = Vec::with_capacity(steps.len());
    for (mut step, receiver) in steps {
        if step.on.is_some() {
            step.on = Some(receiver.get(&bundle).clone());
        }
        for value in step.args.iter_mut().chain(step.kwargs.values_mut()) {
            if let Value::Ref(placeholder) = value {
                let n: usize = placeholder.trim_start_matches('#').parse().unwrap_or(0);
                *value = Value::Ref(bundle[n % bundle.len()].clone());
            }
        }
        if step.bind.is_some() {
            let name = format!("{OBJECT}{}", bundle.len());
            step.bind = Some(name.clone());
            bundle.push(name);
        }
        out.push(step);
    }
    out
}
