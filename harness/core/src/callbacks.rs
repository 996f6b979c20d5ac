//! Callbacks on the Rust side: the closures an adapter registers under the names the manifest
//! declares, handed to the code under test where a step passes `{"$callback": "name"}`, and
//! the record of every call the code under test makes to them.
//!
//! A binding that calls a filter twice per item, skips it, or passes it other arguments than
//! the Rust crate does is a divergence even when the results agree, so both sides record each
//! call (name and canonical arguments) and the judge compares the two records step by step.
//! Python's side wraps the manifest's source in a recording function (`python/session.rs`).
//!
//! Shaped so because the closure the Rust API takes is the adapter's to write (`|x| cb.call((x,))`),
//! while the harness must see every call: a [`Callback`] is a handle whose [`Callback::call`]
//! converts the arguments to canonical values, records them, and runs the registered closure.
//! Calls go through canonical values, as operation arguments do, so both records hold the same
//! kind of thing. The record is the scenario run's (an `Arc<Mutex<..>>`, not a thread-local),
//! because a callback may be stored by one step and called by a later one, or from another
//! thread; the runner takes each step's calls when the step ends.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use pyo3_conformance_model::{CALLBACK_MARKER, CallbackCall, Value, from_value, to_value};
use serde::Serialize;
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, Visitor};

use crate::adapter::Adapter;

/// A registered closure, over canonical values.
type CallbackFn = dyn Fn(Vec<Value>) -> Result<Value, String> + Send + Sync;

/// The callbacks an adapter registers, by name.
pub(crate) type Registry = BTreeMap<String, Arc<CallbackFn>>;

type Log = Arc<Mutex<Vec<CallbackCall>>>;

thread_local! {
    /// The run whose arguments are being decoded: where a `Callback` finds its closure and log.
    static IN_RUN: std::cell::RefCell<Option<(Arc<Registry>, Log)>> =
        const { std::cell::RefCell::new(None) };
}

impl Adapter {
    /// Registers the Rust closure of the manifest's callback `name`: it takes the callback's
    /// arguments as a tuple (`(x,): (i64,)`) and returns its result.
    ///
    /// ```text
    /// .callback("is_even", |(x,): (i64,)| x % 2 == 0)
    /// .object_method("filter", |v, (keep,): (Callback,)| v.filter(|x| keep.call((*x,))))
    /// ```
    pub fn callback<A, R, F>(mut self, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        R: Serialize,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        let call = move |args: Vec<Value>| {
            let args: A = from_value(Value::Tuple(args))
                .map_err(|e| format!("its Rust closure cannot take these arguments: {e}"))?;
            to_value(&f(args)).map_err(|e| format!("its Rust result has no canonical value: {e}"))
        };
        Arc::make_mut(&mut self.callbacks).insert(name.to_owned(), Arc::new(call));
        self
    }

    pub(crate) fn has_callback(&self, name: &str) -> bool {
        self.callbacks.contains_key(name)
    }
}

/// One scenario run's callbacks: the adapter's closures and the record of their calls.
pub(crate) struct CallbackRun {
    /// The adapter's closures and the record of their calls; `None` for a run that passes no
    /// callback: none of its steps can make one, so no call can be recorded for it (most
    /// runs; a property run makes one per case).
    recording: Option<(Arc<Registry>, Log)>,
}

impl CallbackRun {
    /// A run of steps whose arguments are `arguments`; only one that passes a callback keeps
    /// a record of calls.
    pub(crate) fn new<'v>(
        adapter: &Adapter,
        arguments: impl IntoIterator<Item = &'v Value>,
    ) -> Self {
        let passes_callbacks = !adapter.callbacks.is_empty()
            && arguments
                .into_iter()
                .any(|value| !value.callbacks().is_empty());
        Self {
            recording: passes_callbacks.then(|| (Arc::clone(&adapter.callbacks), Log::default())),
        }
    }

    /// Runs `step` with the run visible to [`Callback`] arguments.
    pub(crate) fn during<R>(&self, step: impl FnOnce() -> R) -> R {
        // An adapter without callbacks has none to show (the planner refuses a callback
        // argument it does not register).
        let Some((registry, log)) = &self.recording else {
            return step();
        };
        let previous = IN_RUN.replace(Some((Arc::clone(registry), Arc::clone(log))));
        let result = step();
        IN_RUN.set(previous);
        result
    }

    /// The calls made since the last time this was asked.
    pub(crate) fn take_calls(&self) -> Vec<CallbackCall> {
        self.recording
            .as_ref()
            .map(|(_, log)| std::mem::take(&mut *log.lock().unwrap_or_else(|p| p.into_inner())))
            .unwrap_or_default()
    }
}

/// A callback argument: the adapter's closure names `Callback` where the step passes
/// `{"$callback": "name"}`, and calls it with [`Callback::call`] from the closure the Rust
/// API takes. Every call is recorded and compared with the calls Python's binding makes.
#[derive(Clone)]
pub struct Callback {
    name: String,
    call: Arc<CallbackFn>,
    log: Log,
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Callback").field(&self.name).finish()
    }
}

impl Callback {
    /// The callback's name in the manifest.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Calls the callback with `args`, a tuple of its arguments (`(x,)`), and returns its
    /// result as `R`. The call is recorded.
    ///
    /// # Panics
    ///
    /// When the arguments or the result do not convert (the adapter's closure and the types
    /// here disagree): a mistake of the adapter, reported as a panic of the Rust side, with the
    /// callback named.
    pub fn call<A: Serialize, R: DeserializeOwned>(&self, args: A) -> R {
        let args = match to_value(&args) {
            Ok(Value::Tuple(items) | Value::List(items)) => items,
            Ok(single) => vec![single],
            Err(error) => panic!(
                "callback '{}': its arguments have no canonical value: {error}",
                self.name
            ),
        };
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(CallbackCall {
                callback: self.name.clone(),
                args: args.clone(),
                kwargs: BTreeMap::new(),
            });
        let result = (self.call)(args).unwrap_or_else(|e| panic!("callback '{}': {e}", self.name));
        from_value(result).unwrap_or_else(|e| {
            panic!(
                "callback '{}': its result does not convert to {}: {e}",
                self.name,
                std::any::type_name::<R>()
            )
        })
    }
}

impl<'de> Deserialize<'de> for Callback {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = String;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a callback the manifest declares ({\"$callback\": name})")
            }
            fn visit_string<E: de::Error>(self, name: String) -> Result<String, E> {
                Ok(name)
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<String, E> {
                Ok(name.to_owned())
            }
        }
        let name = deserializer.deserialize_newtype_struct(CALLBACK_MARKER, Name)?;
        IN_RUN.with_borrow(|run| {
            let (registry, log) = run
                .as_ref()
                .ok_or_else(|| de::Error::custom("a callback is passed outside a scenario run"))?;
            let call = registry.get(&name).ok_or_else(|| {
                de::Error::custom(format!("the adapter registers no callback '{name}'"))
            })?;
            Ok(Callback {
                call: Arc::clone(call),
                log: Arc::clone(log),
                name,
            })
        })
    }
}
