//! How a generated case makes an object of one of the module's classes: every *maker* of the
//! class — its constructor, and each factory that returns one (a module function, a
//! staticmethod or classmethod, a method of another class on an object of that class made
//! first) — as a group of steps whose last binds the object.
//!
//! The constructor is the maker wherever it can be generated. A factory is a maker only for a
//! class without one (`"constructor": null`, or none in the adapter): a factory need not be
//! deterministic (`uuid4()` makes a different object on each side, and every later step would
//! then diverge without either side being wrong). A case draws any of the makers. Objects inside a group are bound as `@0`, `@1`, … and the object made as
//! `RESULT`; the caller renames them (`rebind`, `nest`) before the case's steps are named
//! (`strategy::name_constructions`). One level of objects is generated: a maker that needs an
//! object of a class for its own arguments is left out where the object it makes is itself an
//! argument.

use proptest::prelude::*;
use pyo3_conformance_model::{Manifest, MethodKind, Param, ParamKind, Signature, Step, Value};

use super::strategy::{Needs, Sources, arguments, collect_for, construction, group, step};

/// What a maker's last step binds, until the caller names it.
pub(super) const RESULT: &str = "@result";

/// The makers of a class, and why each operation that could have been one is not.
pub(super) struct Made {
    pub(super) ways: Vec<BoxedStrategy<Vec<Step>>>,
    tried: Vec<String>,
}

impl Made {
    /// Why no maker could be generated, for a skip's reason.
    pub(super) fn why_none(&self, manifest: &Manifest, class: &str) -> String {
        let constructor = match manifest.classes.get(class).map(|c| c.constructor.is_some()) {
            Some(true) => "its constructor cannot be generated",
            _ => "it has no constructor (`\"constructor\": null`)",
        };
        let tried = if self.tried.is_empty() {
            " and no operation returns one".to_owned()
        } else {
            format!(", nor can what returns one ({})", self.tried.join("; "))
        };
        format!("no case can make a '{class}': {constructor}{tried}")
    }
}

/// Every maker of `class` that can be generated. `nested`: the object is itself an argument, so
/// a maker that needs another object is left out.
pub(super) fn makers(
    sources: Sources<'_>,
    class: &str,
    nested: bool,
    notes: &mut Vec<String>,
) -> Made {
    let (adapter, manifest) = sources;
    let mut made = Made {
        ways: Vec::new(),
        tried: Vec::new(),
    };
    let add =
        |made: &mut Made, operation: &str, way: Result<BoxedStrategy<Vec<Step>>, String>| match way
        {
            Ok(way) => made.ways.push(way),
            Err(reason) => made.tried.push(format!("{operation}: {reason}")),
        };
    let declared = manifest.classes.get(class);
    if let Some(signature) = declared.and_then(|c| c.constructor.as_ref()) {
        if adapter.has_constructor(class) && signature.opted_out().is_none() {
            let way = constructor(sources, class, signature, nested, notes);
            add(&mut made, class, way);
        } else if !adapter.has_constructor(class) {
            add(
                &mut made,
                class,
                Err("the adapter registers no constructor".to_owned()),
            );
        }
    }
    // The constructor, where it can be generated, is the one maker: a factory may not be
    // deterministic (`uuid4()`), and objects the two sides make differently would diverge in
    // every later step without either side being wrong.
    if !made.ways.is_empty() {
        return made;
    }
    let returns_it = |signature: &Signature| {
        signature
            .returns
            .as_deref()
            .is_some_and(|returns| manifest.is_subclass(returns.trim(), class))
            && signature.opted_out().is_none()
    };
    for (function, signature) in &manifest.functions {
        if returns_it(signature) && adapter.has_function(function) {
            let way = factory(sources, function, signature, None, nested, notes);
            add(&mut made, function, way);
        }
    }
    for (owner, declared) in &manifest.classes {
        for (method, signature) in &declared.methods {
            if !returns_it(signature) {
                continue;
            }
            let operation = format!("{owner}.{method}");
            let on_class = matches!(
                signature.kind,
                Some(MethodKind::Classmethod | MethodKind::Staticmethod)
            );
            // A method of the class itself needs one already: that is the state machine's
            // business, not a way to make the first.
            if !on_class && owner == class {
                continue;
            }
            let receiver = (!on_class).then_some(owner.as_str());
            let way = factory(sources, &operation, signature, receiver, nested, notes);
            add(&mut made, &operation, way);
        }
    }
    made
}

fn constructor(
    sources: Sources<'_>,
    class: &str,
    signature: &Signature,
    nested: bool,
    notes: &mut Vec<String>,
) -> Result<BoxedStrategy<Vec<Step>>, String> {
    let mut own = Needs::of_maker(nested);
    let arguments = arguments(sources, class, signature, None, &mut own)?;
    notes.append(&mut own.notes);
    let class = class.to_owned();
    let new = arguments
        .prop_map(move |(args, kwargs)| Step {
            new: Some(class.clone()),
            args,
            kwargs: kwargs.into_iter().collect(),
            bind: Some(RESULT.to_owned()),
            ..Step::default()
        })
        .boxed();
    Ok(group(&mut own, new))
}

/// A factory call: `operation` (`f`, `Class.make`), or a method `Owner.method` called on an
/// object of `receiver`, made first.
fn factory(
    sources: Sources<'_>,
    operation: &str,
    signature: &Signature,
    receiver: Option<&str>,
    nested: bool,
    notes: &mut Vec<String>,
) -> Result<BoxedStrategy<Vec<Step>>, String> {
    let mut own = Needs::of_maker(nested);
    let on = match receiver {
        Some(owner) => {
            let param = Param {
                name: "self".to_owned(),
                kind: ParamKind::PositionalOnly,
                ty: Some(owner.to_owned()),
                default: None,
                constraints: None,
                generate: None,
            };
            // The receiver is made as an argument is: its reference is `@0`.
            let _reference = construction(sources, operation, &param, owner, &mut own)?;
            Some("@0".to_owned())
        }
        None => None,
    };
    let arguments = arguments(sources, operation, signature, None, &mut own)?;
    notes.append(&mut own.notes);
    let name = match receiver {
        Some(_) => operation.rsplit('.').next().unwrap_or_default().to_owned(),
        None => operation.to_owned(),
    };
    let collect = collect_for(signature);
    let call = arguments
        .prop_map(move |arguments| {
            let mut call = step(Some(&name), None, on.as_deref(), arguments);
            call.bind = Some(RESULT.to_owned());
            call.collect = collect;
            call
        })
        .boxed();
    Ok(group(&mut own, call))
}

/// Renames marker `from` to `to` in every bind, receiver and reference of `steps`.
pub(super) fn rebind(steps: &mut [Step], from: &str, to: &str) {
    rename(steps, &|marker| (marker == from).then(|| to.to_owned()));
}

/// Makes a maker's group the `k`th object of its step: the object made becomes `@k`, and the
/// objects made along the way `@k.0`, `@k.1`, … (unique within the step's group).
pub(super) fn nest(steps: &mut [Step], k: usize) {
    rename(steps, &|marker| {
        if marker == RESULT {
            Some(format!("@{k}"))
        } else {
            marker
                .strip_prefix('@')
                .map(|inner| format!("@{k}.{inner}"))
        }
    });
}

fn rename(steps: &mut [Step], new_name: &dyn Fn(&str) -> Option<String>) {
    let apply = |text: &mut String| {
        if let Some(name) = new_name(text) {
            *text = name;
        }
    };
    for step in steps {
        if let Some(bind) = step.bind.as_mut() {
            apply(bind);
        }
        if let Some(on) = step.on.as_mut() {
            apply(on);
        }
        for value in step.args.iter_mut().chain(step.kwargs.values_mut()) {
            if let Value::Ref(text) = value {
                apply(text);
            }
        }
    }
}
