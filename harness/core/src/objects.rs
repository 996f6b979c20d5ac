//! Bound objects on the Rust side: what a scenario's steps return and bind, and how a later
//! step passes them back as arguments (`{"$obj": "name"}`).
//!
//! In the words of Hypothesis's stateful testing, the bound objects are the scenario's bundle:
//! any step whose result is an object of a declared class (a constructor, or a function or
//! method the adapter registered as returning one) can put it there under a name, and later
//! steps draw their receivers and arguments from it. Each language keeps its own bundle; the
//! Python side's is the session's.
//!
//! Objects live behind `Rc<RefCell<..>>` so that one object can be both a method's receiver
//! and its argument (`v.concat(v)`): the harness decodes a call's arguments — cloning each
//! object an argument names into an [`Obj`] — before it borrows the receiver. Arguments find
//! the bundle through a thread-local that is set only for the duration of a call.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use pyo3_conformance_model::OBJ_MARKER;
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// One bound object.
pub(crate) type Shared = Rc<RefCell<Box<dyn Any>>>;

thread_local! {
    static IN_CALL: RefCell<HashMap<String, Shared>> = RefCell::new(HashMap::new());
}

/// The objects a scenario's Rust run has bound so far, by name (their classes are the plan's
/// business: it checked every use of them).
#[derive(Default)]
pub(crate) struct Bundle {
    objects: HashMap<String, Shared>,
}

impl Bundle {
    pub(crate) fn insert(&mut self, name: &str, object: Box<dyn Any>) {
        self.objects
            .insert(name.to_owned(), Rc::new(RefCell::new(object)));
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Shared> {
        self.objects.get(name)
    }

    /// Runs `call` with the bundle visible to [`Obj`] arguments.
    pub(crate) fn during<R>(&self, call: impl FnOnce() -> R) -> R {
        // Nothing to show (the visible set is emptied after every call): most property cases
        // of functions bind no object.
        if self.objects.is_empty() {
            return call();
        }
        IN_CALL.with_borrow_mut(|in_call| {
            in_call.clear();
            in_call.extend(
                self.objects
                    .iter()
                    .map(|(name, object)| (name.clone(), Rc::clone(object))),
            );
        });
        let result = call();
        IN_CALL.with_borrow_mut(HashMap::clear);
        result
    }
}

/// An object argument: the adapter's closure names `Obj<T>` where the step passes
/// `{"$obj": "name"}`, and receives a clone of the object bound under that name.
///
/// ```text
/// .object_method("concat", |v: &mut PVec, (other,): (Obj<PVec>,)| v.concat(&other.0))
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Obj<T>(pub T);

impl<T> std::ops::Deref for Obj<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'de, T: Clone + 'static> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = String;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object bound by an earlier step ({\"$obj\": name})")
            }
            fn visit_string<E: de::Error>(self, name: String) -> Result<String, E> {
                Ok(name)
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<String, E> {
                Ok(name.to_owned())
            }
        }
        let name = deserializer.deserialize_newtype_struct(OBJ_MARKER, Name)?;
        let object = IN_CALL
            .with_borrow(|in_call| in_call.get(&name).cloned())
            .ok_or_else(|| de::Error::custom(format!("no object is bound as '{name}'")))?;
        let borrowed = object.try_borrow().map_err(|_| {
            de::Error::custom(format!("the object '{name}' is in use by this very call"))
        })?;
        borrowed
            .downcast_ref::<T>()
            .map(|value| Obj(value.clone()))
            .ok_or_else(|| {
                de::Error::custom(format!(
                    "the object '{name}' is not a {}",
                    std::any::type_name::<T>()
                ))
            })
    }
}

/// The first object the arguments name that `bound` does not know, anywhere inside them.
pub(crate) fn unbound_reference<'a>(
    args: impl IntoIterator<Item = &'a pyo3_conformance_model::Value>,
    bound: impl Fn(&str) -> bool,
) -> Option<String> {
    args.into_iter()
        .flat_map(pyo3_conformance_model::Value::references)
        .find(|name| !bound(name))
        .map(str::to_owned)
}
