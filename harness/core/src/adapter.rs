//! The Rust adapter: the one piece of code a user writes per component.
//!
//! An adapter maps each operation name of the manifest to a call of the real Rust API, one
//! closure per operation, registered with a builder:
//!
//! ```text
//! Adapter::new("seed")
//!     .function("component_a", |()| seed::component_a())
//!     .try_function("checked_mul", |(a, b): (i64, i64)| seed::checked_mul(a, b))
//!     .class::<seed::Store>("Store", |class| {
//!         class
//!             .try_constructor(|(capacity,): (usize,)| seed::Store::new(capacity))
//!             .try_method("put", |store, (key, value): (String, i64)| store.put(&key, value))
//!             .property("size", |store| store.len())
//!     })
//! ```
//!
//! Shaped so because the harness, not the adapter, does everything else. Arguments arrive
//! already bound to the manifest's parameters (keywords resolved, defaults filled) and are
//! deserialized into the closure's tuple type with serde; results are serialized into canonical
//! values with serde; objects made by constructors are kept by the harness and handed back to
//! methods as `&mut T`. Closures registered with `try_*` return `Result<T, E>`: the error's
//! *kind* is its enum variant name (read from `Debug`, so any `#[derive(Debug)]` enum works) and
//! its message is its `Display`; return a [`RustError`] to choose both explicitly.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::BTreeMap;

use pyo3_conformance_model::{Outcome, Value, ValueError, from_args, to_value};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::rust_error::{ErrorKinds, IntoRustError, RustError};

/// A step's arguments, where its plan keeps them: the adapter reads them in place.
type Args<'a> = &'a [Value];
type StrategyFn = Box<dyn Fn() -> proptest::strategy::BoxedStrategy<Value> + Send + Sync>;
type FunctionFn = Box<dyn Fn(Args<'_>) -> Called + Send + Sync>;
type ConstructorFn = Box<dyn Fn(Args<'_>) -> Result<Box<dyn Any>, Outcome> + Send + Sync>;
type MethodFn = Box<dyn Fn(&RefCell<Box<dyn Any>>, Args<'_>) -> Called + Send + Sync>;
type PropertyFn = Box<dyn Fn(&dyn Any) -> Outcome + Send + Sync>;

/// What a call of the Rust API gave: a value (or an error), or an object of a declared class,
/// which the harness keeps (see `objects`).
#[derive(Debug)]
pub(crate) enum Called {
    Value(Outcome),
    Object(Box<dyn Any>),
}

impl From<Outcome> for Called {
    fn from(outcome: Outcome) -> Self {
        Self::Value(outcome)
    }
}

/// The Rust side of one component: its operations, by the names the manifest uses.
pub struct Adapter {
    component: String,
    /// Looked up by name at every call of a property run: hashed, not ordered.
    functions: foldhash::HashMap<String, FunctionFn>,
    /// Module attributes, read with no arguments.
    attributes: BTreeMap<String, FunctionFn>,
    /// Operations registered as returning an object (`Class.method`, `function`).
    object_results: std::collections::BTreeSet<String>,
    classes: BTreeMap<String, ClassAdapter>,
    /// Callbacks by the manifest's names (registered in `callbacks`).
    pub(crate) callbacks: std::sync::Arc<crate::callbacks::Registry>,
    error_kinds: Option<Vec<String>>,
    /// How to read the kind of error types that are not enums (`error_kind`).
    pub(crate) kind_readers: ErrorKinds,
    strategies: BTreeMap<(String, String), StrategyFn>,
    cargo_test: Option<(String, String)>,
}

struct ClassAdapter {
    /// The Rust type the class is registered with, so an object a call returns can be
    /// checked against the class the manifest says it returns.
    type_id: TypeId,
    type_name: &'static str,
    constructor: Option<ConstructorFn>,
    methods: BTreeMap<String, MethodFn>,
    properties: BTreeMap<String, PropertyFn>,
    setters: BTreeMap<String, MethodFn>,
}

/// Registers the constructor, methods and properties of one class (see [`Adapter::class`]).
pub struct ClassBuilder<T> {
    inner: ClassAdapter,
    kinds: ErrorKinds,
    object_results: Vec<String>,
    _type: std::marker::PhantomData<fn(T)>,
}

fn bad_arguments(error: ValueError) -> Outcome {
    let error = error.into_text();
    let message = ["the Rust API cannot take these arguments: ", &error].concat();
    Outcome::raised(argument_error_kind(&error), message)
}

/// The error kind family reported when canonical arguments do not fit the Rust types: the
/// Rust API cannot be called at all with them, as PyO3 refuses them before the call. Its two
/// kinds say why, `ArgumentError.type` (a value of another type: `TypeError` in PyO3),
/// `ArgumentError.range` (a number the Rust type cannot hold: `OverflowError`) and
/// `ArgumentError.value` (a standard-library value the Rust type cannot hold, such as a NaN
/// `Decimal` for rust_decimal: `ValueError` in PyO3's conversions), so a contract can map them
/// apart, or all at once as `ArgumentError`.
pub const ARGUMENT_ERROR: &str = "ArgumentError";

/// The kind of an argument the Rust types refuse, from serde's wording of why.
pub(crate) fn argument_error_kind(error: &str) -> &'static str {
    // An int where an int is wanted, refused: beyond the Rust type's range (serde says
    // "invalid value: integer `300`, expected u8", or "invalid type: integer `2**64` as i128,
    // expected i64" for an int wider than the visitor takes).
    const INTEGERS: [&str; 12] = [
        "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    ];
    let expects_integer = || {
        error.rsplit_once("expected ").is_some_and(|(_, wanted)| {
            let wanted = wanted.trim();
            INTEGERS.iter().any(|int| wanted.starts_with(int)) || wanted.contains("integer")
        })
    };
    // serde's wording first: most refused arguments are ints out of a Rust type's range.
    if (error.contains("integer `") && expects_integer())
        || error.contains("does not fit")
        || error.contains("out of range")
    {
        "ArgumentError.range"
    } else if error.contains("cannot hold") {
        // The wording of every `Canonical` conversion that refuses a value of the right kind.
        "ArgumentError.value"
    } else {
        "ArgumentError.type"
    }
}

fn returned<T: Serialize>(value: &T) -> Outcome {
    match to_value(value) {
        Ok(value) => Outcome::Returned { value },
        Err(error) => Outcome::raised(
            "ResultError",
            format!("the adapter's result has no canonical value: {error}"),
        ),
    }
}

fn decode<A: DeserializeOwned>(args: Args<'_>) -> Result<A, Outcome> {
    from_args(args).map_err(bad_arguments)
}

impl Adapter {
    /// An adapter for the component named as in its manifest.
    pub fn new(component: impl Into<String>) -> Self {
        Self {
            component: component.into(),
            functions: Default::default(),
            attributes: BTreeMap::new(),
            object_results: std::collections::BTreeSet::new(),
            classes: BTreeMap::new(),
            callbacks: Default::default(),
            error_kinds: None,
            kind_readers: ErrorKinds::default(),
            strategies: BTreeMap::new(),
            cargo_test: None,
        }
    }

    /// Names the cargo package and `harness = false` test target that run this component's
    /// fixtures through [`crate::testing`] (test functions `scenario`, `api_surface`,
    /// `error_contract`, `properties`), so reports can say how to rerun a case in Rust alone.
    pub fn cargo_test(mut self, package: &str, test: &str) -> Self {
        self.cargo_test = Some((package.to_owned(), test.to_owned()));
        self
    }

    /// The cargo package and test target given to [`Adapter::cargo_test`].
    pub fn cargo_test_target(&self) -> Option<(&str, &str)> {
        self.cargo_test
            .as_ref()
            .map(|(package, test)| (package.as_str(), test.as_str()))
    }

    /// Plugs in a proptest strategy for one parameter of one operation (`"Store.put"`,
    /// `"value"`), used by property runs instead of the one its declared type gives.
    pub fn strategy(
        mut self,
        operation: &str,
        param: &str,
        strategy: impl Fn() -> proptest::strategy::BoxedStrategy<Value> + Send + Sync + 'static,
    ) -> Self {
        self.strategies
            .insert((operation.to_owned(), param.to_owned()), Box::new(strategy));
        self
    }

    pub(crate) fn custom_strategy(
        &self,
        operation: &str,
        param: &str,
    ) -> Option<proptest::strategy::BoxedStrategy<Value>> {
        self.strategies
            .get(&(operation.to_owned(), param.to_owned()))
            .map(|make| make())
    }

    /// Declares every error kind the Rust API can return (for a fieldless or `strum` enum:
    /// `.error_kinds(MyError::VARIANTS)`), so the error-coverage report can name the kinds the
    /// contract does not mention.
    pub fn error_kinds(mut self, kinds: &[&str]) -> Self {
        self.error_kinds = Some(kinds.iter().map(|k| (*k).to_owned()).collect());
        self
    }

    /// The error kinds declared with [`Adapter::error_kinds`], if any.
    pub fn declared_error_kinds(&self) -> Option<&[String]> {
        self.error_kinds.as_deref()
    }

    /// The component's name.
    pub fn component(&self) -> &str {
        &self.component
    }

    /// Registers an infallible module function.
    pub fn function<A, R, F>(mut self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        R: Serialize,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        let call = move |args: Args<'_>| match decode::<A>(args) {
            Ok(args) => returned(&f(args)).into(),
            Err(outcome) => outcome.into(),
        };
        self.functions.insert(name.to_owned(), Box::new(call));
        self
    }

    /// Registers a module function that returns `Result`.
    pub fn try_function<A, R, E, F>(mut self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        R: Serialize,
        E: IntoRustError + 'static,
        F: Fn(A) -> Result<R, E> + Send + Sync + 'static,
    {
        let kinds = self.kind_readers.clone();
        let call = move |args: Args<'_>| match decode::<A>(args).map(&f) {
            Ok(Ok(value)) => returned(&value).into(),
            Ok(Err(error)) => kinds.raised(error).into(),
            Err(outcome) => outcome.into(),
        };
        self.functions.insert(name.to_owned(), Box::new(call));
        self
    }

    /// Registers a module attribute (a constant): `{"get": "NAME"}` reads it.
    pub fn attribute<R, F>(mut self, name: &str, f: F) -> Self
    where
        R: Serialize,
        F: Fn() -> R + Send + Sync + 'static,
    {
        let read = move |_: Args<'_>| returned(&f()).into();
        self.attributes.insert(name.to_owned(), Box::new(read));
        self
    }

    /// Registers a module attribute that is an object of a declared class (a namespace
    /// instance, say): the manifest's attribute `type` names the class, and it can be bound.
    pub fn object_attribute<U, F>(mut self, name: &str, f: F) -> Self
    where
        U: 'static,
        F: Fn() -> U + Send + Sync + 'static,
    {
        let read = move |_: Args<'_>| Called::Object(Box::new(f()));
        self.attributes.insert(name.to_owned(), Box::new(read));
        self.object_results.insert(name.to_owned());
        self
    }

    /// Registers a module function (or, named `Class.method`, a classmethod or staticmethod)
    /// whose result is an object of a declared class: the manifest's `returns` names the
    /// class, and the object can be bound for later steps.
    pub fn object_function<A, U, F>(self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        U: 'static,
        F: Fn(A) -> U + Send + Sync + 'static,
    {
        self.try_object_function(name, move |args| Ok::<U, RustError>(f(args)))
    }

    /// Registers a fallible function whose result is an object of a declared class.
    pub fn try_object_function<A, U, E, F>(mut self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        U: 'static,
        E: IntoRustError + 'static,
        F: Fn(A) -> Result<U, E> + Send + Sync + 'static,
    {
        let kinds = self.kind_readers.clone();
        let call = move |args: Args<'_>| match decode::<A>(args).map(&f) {
            Ok(Ok(object)) => Called::Object(Box::new(object)),
            Ok(Err(error)) => kinds.raised(error).into(),
            Err(outcome) => outcome.into(),
        };
        self.functions.insert(name.to_owned(), Box::new(call));
        self.object_results.insert(name.to_owned());
        self
    }

    /// Registers a class, whose Rust type is `T`, with what `build` adds to it.
    pub fn class<T: 'static>(
        mut self,
        name: &str,
        build: impl FnOnce(ClassBuilder<T>) -> ClassBuilder<T>,
    ) -> Self {
        let empty = ClassAdapter {
            type_id: TypeId::of::<T>(),
            type_name: std::any::type_name::<T>(),
            constructor: None,
            methods: BTreeMap::new(),
            properties: BTreeMap::new(),
            setters: BTreeMap::new(),
        };
        let class = build(ClassBuilder {
            inner: empty,
            kinds: self.kind_readers.clone(),
            object_results: Vec::new(),
            _type: std::marker::PhantomData,
        });
        self.object_results
            .extend(class.object_results.iter().map(|m| format!("{name}.{m}")));
        self.classes.insert(name.to_owned(), class.inner);
        self
    }

    /// Whether the operation (`function`, `Class.method`) is registered as returning an
    /// object of a declared class.
    pub(crate) fn returns_object(&self, operation: &str) -> bool {
        self.object_results.contains(operation)
    }

    /// Whether `object` is of the Rust type `class` is registered with; `Err` names both.
    pub(crate) fn check_class(&self, class: &str, object: &dyn Any) -> Result<(), String> {
        match self.classes.get(class) {
            Some(adapter) if Any::type_id(object) == adapter.type_id => Ok(()),
            Some(adapter) => Err(format!(
                "the adapter returned an object that is not a {} (the Rust type of class '{class}')",
                adapter.type_name
            )),
            None => Err(format!("the adapter registers no class '{class}'")),
        }
    }

    /// The class of `class`'s lineage in the manifest (itself, then its bases) whose
    /// registration has what `has` asks for, provided objects of `class` are of the Rust type
    /// that class's closures take (a subclass registered with its base's Rust type inherits its
    /// base's closures; one of another type registers its own).
    pub(crate) fn owner<'m>(
        &self,
        manifest: &'m pyo3_conformance_model::Manifest,
        class: &'m str,
        has: impl Fn(&Self, &str) -> bool,
    ) -> Option<&'m str> {
        let owner = manifest
            .lineage(class)
            .into_iter()
            .find(|candidate| has(self, candidate))?;
        let same_type = match (self.classes.get(class), self.classes.get(owner)) {
            (Some(a), Some(b)) => a.type_id == b.type_id,
            _ => false,
        };
        same_type.then_some(owner)
    }

    /// The Rust type names `class` and `other` are registered with, where they differ.
    pub(crate) fn type_mismatch(&self, class: &str, other: &str) -> Option<(&str, &str)> {
        match (self.classes.get(class), self.classes.get(other)) {
            (Some(a), Some(b)) if a.type_id != b.type_id => Some((a.type_name, b.type_name)),
            _ => None,
        }
    }

    /// Every operation name this adapter implements, as the manifest writes them.
    pub fn operations(&self) -> Vec<String> {
        let mut names: Vec<String> = self.functions.keys().cloned().collect();
        names.sort_unstable();
        for (class, adapter) in &self.classes {
            if adapter.constructor.is_some() {
                names.push(class.clone());
            }
            names.extend(adapter.methods.keys().map(|m| format!("{class}.{m}")));
            names.extend(adapter.properties.keys().map(|p| format!("{class}.{p}")));
        }
        names
    }

    pub(crate) fn has_function(&self, name: &str) -> bool {
        self.functions.contains_key(name)
    }

    pub(crate) fn has_constructor(&self, class: &str) -> bool {
        self.classes
            .get(class)
            .is_some_and(|c| c.constructor.is_some())
    }

    pub(crate) fn has_method(&self, class: &str, method: &str) -> bool {
        self.classes
            .get(class)
            .is_some_and(|c| c.methods.contains_key(method))
    }

    pub(crate) fn has_attribute(&self, name: &str) -> bool {
        self.attributes.contains_key(name)
    }

    pub(crate) fn has_setter(&self, class: &str, property: &str) -> bool {
        self.classes
            .get(class)
            .is_some_and(|c| c.setters.contains_key(property))
    }

    pub(crate) fn get_attribute(&self, name: &str) -> Called {
        (self.attributes[name])(&[])
    }

    pub(crate) fn set_property(
        &self,
        class: &str,
        property: &str,
        object: &RefCell<Box<dyn Any>>,
        value: Args<'_>,
    ) -> Called {
        (self.classes[class].setters[property])(object, value)
    }

    pub(crate) fn has_property(&self, class: &str, property: &str) -> bool {
        self.classes
            .get(class)
            .is_some_and(|c| c.properties.contains_key(property))
    }

    pub(crate) fn call_function(&self, name: &str, args: Args<'_>) -> Called {
        (self.functions[name])(args)
    }

    pub(crate) fn construct(&self, class: &str, args: Args<'_>) -> Result<Box<dyn Any>, Outcome> {
        let constructor = self.classes[class]
            .constructor
            .as_ref()
            .expect("checked by has_constructor");
        constructor(args)
    }

    pub(crate) fn call_method(
        &self,
        class: &str,
        method: &str,
        object: &RefCell<Box<dyn Any>>,
        args: Args<'_>,
    ) -> Called {
        (self.classes[class].methods[method])(object, args)
    }

    pub(crate) fn get_property(&self, class: &str, property: &str, object: &dyn Any) -> Outcome {
        (self.classes[class].properties[property])(object)
    }
}

/// Calls `f` on the receiver, borrowed only now: the arguments were decoded before, so one
/// object can be receiver and argument at once.
fn on_receiver<T: 'static, R>(object: &RefCell<Box<dyn Any>>, f: impl FnOnce(&mut T) -> R) -> R {
    let mut receiver = object.borrow_mut();
    f(receiver
        .downcast_mut::<T>()
        .expect("the harness keeps each object with its class"))
}

impl<T: 'static> ClassBuilder<T> {
    /// Registers an infallible constructor.
    pub fn constructor<A, F>(mut self, f: F) -> Self
    where
        A: DeserializeOwned,
        F: Fn(A) -> T + Send + Sync + 'static,
    {
        self.inner.constructor = Some(Box::new(move |args| {
            decode::<A>(args).map(|args| Box::new(f(args)) as Box<dyn Any>)
        }));
        self
    }

    /// Registers a constructor that returns `Result`.
    pub fn try_constructor<A, E, F>(mut self, f: F) -> Self
    where
        A: DeserializeOwned,
        E: IntoRustError + 'static,
        F: Fn(A) -> Result<T, E> + Send + Sync + 'static,
    {
        let kinds = self.kinds.clone();
        self.inner.constructor = Some(Box::new(move |args| match f(decode::<A>(args)?) {
            Ok(object) => Ok(Box::new(object) as Box<dyn Any>),
            Err(error) => Err(kinds.raised(error)),
        }));
        self
    }

    /// Registers an infallible method; it receives the object as `&mut T`.
    pub fn method<A, R, F>(mut self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        R: Serialize,
        F: Fn(&mut T, A) -> R + Send + Sync + 'static,
    {
        let call = move |object: &RefCell<Box<dyn Any>>, args: Args<'_>| match decode::<A>(args) {
            Ok(args) => returned(&on_receiver(object, |this: &mut T| f(this, args))).into(),
            Err(outcome) => outcome.into(),
        };
        self.inner.methods.insert(name.to_owned(), Box::new(call));
        self
    }

    /// Registers a method that returns `Result`.
    pub fn try_method<A, R, E, F>(mut self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        R: Serialize,
        E: IntoRustError + 'static,
        F: Fn(&mut T, A) -> Result<R, E> + Send + Sync + 'static,
    {
        let kinds = self.kinds.clone();
        let call = move |object: &RefCell<Box<dyn Any>>, args: Args<'_>| match decode::<A>(args) {
            Ok(args) => match on_receiver(object, |this: &mut T| f(this, args)) {
                Ok(value) => returned(&value).into(),
                Err(error) => kinds.raised(error).into(),
            },
            Err(outcome) => outcome.into(),
        };
        self.inner.methods.insert(name.to_owned(), Box::new(call));
        self
    }

    /// Registers a method whose result is an object of a declared class (the manifest's
    /// `returns` names it): a persistent structure's `insert` that returns a new map, say.
    pub fn object_method<A, U, F>(self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        U: 'static,
        F: Fn(&mut T, A) -> U + Send + Sync + 'static,
    {
        self.try_object_method(name, move |this, args| Ok::<U, RustError>(f(this, args)))
    }

    /// Registers a fallible method whose result is an object of a declared class.
    pub fn try_object_method<A, U, E, F>(mut self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        U: 'static,
        E: IntoRustError + 'static,
        F: Fn(&mut T, A) -> Result<U, E> + Send + Sync + 'static,
    {
        let kinds = self.kinds.clone();
        let call = move |object: &RefCell<Box<dyn Any>>, args: Args<'_>| match decode::<A>(args) {
            Ok(args) => match on_receiver(object, |this: &mut T| f(this, args)) {
                Ok(result) => Called::Object(Box::new(result)),
                Err(error) => kinds.raised(error).into(),
            },
            Err(outcome) => outcome.into(),
        };
        self.inner.methods.insert(name.to_owned(), Box::new(call));
        self.object_results.push(name.to_owned());
        self
    }

    /// Registers the setter of a settable property: `{"set": "name", "on": ..., "value": V}`.
    pub fn setter<V, F>(self, name: &str, f: F) -> Self
    where
        V: DeserializeOwned,
        F: Fn(&mut T, V) + Send + Sync + 'static,
    {
        self.try_setter(name, move |this, value| {
            f(this, value);
            Ok::<(), RustError>(())
        })
    }

    /// Registers a setter that may refuse the value.
    pub fn try_setter<V, E, F>(mut self, name: &str, f: F) -> Self
    where
        V: DeserializeOwned,
        E: IntoRustError + 'static,
        F: Fn(&mut T, V) -> Result<(), E> + Send + Sync + 'static,
    {
        let kinds = self.kinds.clone();
        let set = move |object: &RefCell<Box<dyn Any>>, args: Args<'_>| match decode::<(V,)>(args) {
            Ok((value,)) => match on_receiver(object, |this: &mut T| f(this, value)) {
                Ok(()) => returned(&()).into(),
                Err(error) => kinds.raised(error).into(),
            },
            Err(outcome) => outcome.into(),
        };
        self.inner.setters.insert(name.to_owned(), Box::new(set));
        self
    }

    /// Registers a property whose read may fail (`List.first` on an empty list raises
    /// `IndexError`): the error is the step's outcome, and an object projected through it
    /// fails the same way.
    pub fn try_property<R, E, F>(mut self, name: &str, f: F) -> Self
    where
        R: Serialize,
        E: IntoRustError + 'static,
        F: Fn(&T) -> Result<R, E> + Send + Sync + 'static,
    {
        let kinds = self.kinds.clone();
        let get = move |object: &dyn Any| match f(object
            .downcast_ref::<T>()
            .expect("the harness keeps each object with its class"))
        {
            Ok(value) => returned(&value),
            Err(error) => kinds.raised(error),
        };
        self.inner.properties.insert(name.to_owned(), Box::new(get));
        self
    }

    /// Registers a read-only property.
    pub fn property<R, F>(mut self, name: &str, f: F) -> Self
    where
        R: Serialize,
        F: Fn(&T) -> R + Send + Sync + 'static,
    {
        let get = move |object: &dyn Any| {
            returned(&f(object
                .downcast_ref::<T>()
                .expect("the harness keeps each object with its class")))
        };
        self.inner.properties.insert(name.to_owned(), Box::new(get));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    enum DemoError {
        Negative { value: i64 },
    }

    impl std::fmt::Display for DemoError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let Self::Negative { value } = self;
            write!(f, "{value} is negative")
        }
    }

    fn demo() -> Adapter {
        Adapter::new("demo")
            .function("double", |(x,): (i64,)| x * 2)
            .try_function("root", |(x,): (i64,)| {
                if x < 0 {
                    Err(DemoError::Negative { value: x })
                } else {
                    Ok((x as f64).sqrt())
                }
            })
            .class::<Vec<i64>>("Stack", |class| {
                class
                    .constructor(|()| Vec::new())
                    .method("push", |stack, (x,): (i64,)| stack.push(x))
                    .property("depth", |stack| stack.len())
            })
    }

    fn value(called: Called) -> Outcome {
        match called {
            Called::Value(outcome) => outcome,
            Called::Object(_) => panic!("an object, not a value"),
        }
    }

    #[test]
    fn arguments_and_results_cross_as_canonical_values() {
        let adapter = demo();
        assert_eq!(
            value(adapter.call_function("double", &[Value::int(21)])),
            Outcome::Returned {
                value: Value::int(42)
            }
        );
        assert_eq!(
            value(adapter.call_function("root", &[Value::int(-4)])),
            Outcome::raised("Negative", "-4 is negative")
        );
    }

    #[test]
    fn arguments_the_rust_types_cannot_take_are_argument_errors() {
        let outcome = value(demo().call_function("double", &[Value::str("x")]));
        assert!(
            matches!(outcome, Outcome::Raised { ref kind, .. } if kind == "ArgumentError.type"),
            "{outcome:?}"
        );
    }

    #[test]
    fn an_argument_error_says_whether_the_type_or_the_range_is_wrong() {
        let kind = |args: Vec<Value>| match value(demo().call_function("double", &args)) {
            Outcome::Raised { kind, .. } => kind,
            other => panic!("{other:?}"),
        };
        assert_eq!(kind(vec![Value::str("x")]), "ArgumentError.type");
        assert_eq!(kind(vec![Value::int(u64::MAX)]), "ArgumentError.range");
        let huge = Value::Int("1".repeat(40).parse().unwrap());
        assert_eq!(kind(vec![huge]), "ArgumentError.range");
    }

    #[test]
    fn objects_keep_state_between_calls() {
        let adapter = demo();
        let stack = RefCell::new(adapter.construct("Stack", &[]).unwrap());
        adapter.call_method("Stack", "push", &stack, &[Value::int(1)]);
        adapter.call_method("Stack", "push", &stack, &[Value::int(2)]);
        assert_eq!(
            adapter.get_property("Stack", "depth", stack.borrow().as_ref()),
            Outcome::Returned {
                value: Value::int(2)
            }
        );
        assert_eq!(
            adapter.operations(),
            ["double", "root", "Stack", "Stack.push", "Stack.depth"]
        );
    }
}
