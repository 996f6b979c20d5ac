//! Errors of the Rust API as the error contract sees them: a kind, a message and named details.
//!
//! The kind of an error is what the contract maps to a Python exception. For an enum it is
//! the variant name (the leading identifier of `Debug`), which any `#[derive(Debug)]` enum
//! gives for free. For an error that is a struct carrying a kind (`minijinja::Error { kind,
//! .. }`), the adapter registers, once, how to read the kind from it ([`Adapter::error_kind`]);
//! every `try_*` closure returning that type then uses it. The registry is shared by reference
//! with the closures, so a kind registered after an operation still applies to it.

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::fmt::{Debug, Display};
use std::sync::{Arc, RwLock};

use pyo3_conformance_model::{Outcome, Value, to_value};
use serde::Serialize;

use crate::adapter::Adapter;

/// An error of the Rust API, as the error contract sees it: a kind, a message, and optional
/// details that the Python exception's attributes must match (`position`, `line`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustError {
    /// The error kind: a key of the manifest's `errors`.
    pub kind: String,
    /// The message the Python exception must carry.
    pub message: String,
    /// Named details, compared with the exception attributes the contract lists.
    pub details: BTreeMap<String, Value>,
}

impl RustError {
    /// An error of `kind` with `message`.
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            message: message.into(),
            details: BTreeMap::new(),
        }
    }

    /// Adds the fields of `details` (anything that serializes to a dict with str keys, such
    /// as a struct or an enum variant's fields) as named details.
    pub fn with_details<T: Serialize + ?Sized>(mut self, details: &T) -> Self {
        if let Ok(Value::Dict(entries)) = to_value(details) {
            for (key, value) in entries {
                if let Value::Str(key) = key {
                    self.details.insert(key, value);
                }
            }
        }
        self
    }
}

/// Converts an error returned by the Rust API into a [`RustError`].
///
/// Implemented for every `Debug + Display` type (kind: the leading identifier of its `Debug`,
/// which for a derived enum is the variant name) and for [`RustError`] itself.
pub trait IntoRustError {
    /// The kind and message of this error.
    fn into_rust_error(self) -> RustError;
}

impl<E: Debug + Display> IntoRustError for E {
    fn into_rust_error(self) -> RustError {
        RustError::new(debug_identifier(&self), display(&self))
    }
}

/// `value.to_string()`, with room for a usual error message from the start: `to_string`
/// starts empty and grows (reallocates) as the message is written piece by piece.
pub(crate) fn display(value: &dyn Display) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(64);
    // Writing to a `String` fails only where `value`'s `Display` does: this panics then, in
    // `to_string`'s words, as `to_string` would (the guarded call reports the panic).
    write!(text, "{value}").expect("a Display implementation returned an error unexpectedly");
    text
}

/// A [`RustError`] whose details are the error's own fields: for an error type that also
/// implements `Serialize` (an enum with `#[serde(untagged)]` serializes a variant's fields).
/// Use it as `.map_err(detailed)` in an adapter closure.
pub fn detailed<E: Debug + Display + Serialize>(error: E) -> RustError {
    let details = to_value(&error).ok();
    let mut rust_error = error.into_rust_error();
    if let Some(details) = details {
        rust_error = rust_error.with_details(&details);
    }
    rust_error
}

impl IntoRustError for RustError {
    fn into_rust_error(self) -> RustError {
        self
    }
}

/// How to read the kind of an error type, where the adapter registered one.
type KindFn = Box<dyn Fn(&dyn Any) -> Option<String> + Send + Sync>;

/// The adapter's registered kind readers, by error type.
#[derive(Clone, Default)]
pub(crate) struct ErrorKinds(Arc<RwLock<HashMap<TypeId, KindFn>>>);

/// The leading identifier of `value`'s `Debug`, written only as far as it goes: the writer
/// stops the formatting at the first character past it, so a variant's fields are never
/// rendered (errors are turned into kinds once per failing case).
fn debug_identifier(value: &dyn Debug) -> String {
    struct Identifier(String);
    impl std::fmt::Write for Identifier {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            let end = text
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(text.len());
            self.0.push_str(&text[..end]);
            if end < text.len() {
                Err(std::fmt::Error)
            } else {
                Ok(())
            }
        }
    }
    // Room for most names at once: written piece by piece, a `String::new()` would grow
    // (reallocate) several times.
    let mut identifier = Identifier(String::with_capacity(32));
    // The `Err` is the writer stopping on purpose.
    let _ = std::fmt::write(&mut identifier, format_args!("{value:?}"));
    identifier.0
}

impl ErrorKinds {
    /// The outcome of an error the Rust API returned.
    pub(crate) fn raised<E: IntoRustError + 'static>(&self, error: E) -> Outcome {
        let registered = self
            .0
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&TypeId::of::<E>())
            .and_then(|kind| kind(&error));
        let RustError {
            kind,
            message,
            details,
        } = error.into_rust_error();
        Outcome::Raised {
            kind: registered.unwrap_or(kind),
            message,
            bases: std::sync::Arc::default(),
            attributes: details,
        }
    }
}

impl Adapter {
    /// Reads the kind of errors of type `E` with `kind` (its `Debug`'s leading identifier, so
    /// an enum field's variant name): for a struct error that carries its kind,
    /// `.error_kind(|e: &minijinja::Error| e.kind())`. Applies to every operation that
    /// returns `Result<_, E>`.
    pub fn error_kind<E: 'static, K: Debug>(
        self,
        kind: impl Fn(&E) -> K + Send + Sync + 'static,
    ) -> Self {
        let read: KindFn = Box::new(move |error: &dyn Any| {
            error
                .downcast_ref::<E>()
                .map(|error| debug_identifier(&kind(error)))
        });
        self.kind_readers
            .0
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(TypeId::of::<E>(), read);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error that is a struct carrying its kind, as `minijinja::Error` is.
    #[derive(Debug)]
    struct TemplateError {
        kind: TemplateErrorKind,
        detail: &'static str,
    }

    #[derive(Debug, Clone, Copy)]
    enum TemplateErrorKind {
        TemplateNotFound,
    }

    impl Display for TemplateError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.detail)
        }
    }

    fn lookup(_: (String,)) -> Result<i64, TemplateError> {
        Err(TemplateError {
            kind: TemplateErrorKind::TemplateNotFound,
            detail: "template not found",
        })
    }

    fn kind_of(adapter: &Adapter) -> String {
        match adapter.call_function("lookup", &[Value::str("x")]) {
            crate::adapter::Called::Value(Outcome::Raised { kind, message, .. }) => {
                assert_eq!(message, "template not found");
                kind
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_kind_is_the_leading_identifier_of_debug_however_it_is_written() {
        #[derive(Debug)]
        #[allow(dead_code)]
        enum Error {
            Overflow { operation: &'static str },
            Parse(String, usize),
            Empty,
        }
        struct Pieces;
        impl std::fmt::Debug for Pieces {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("Sp")?;
                f.write_str("lit_1")?;
                f.write_str(" and the rest")
            }
        }
        let overflow = Error::Overflow { operation: "mul" };
        assert_eq!(debug_identifier(&overflow), "Overflow");
        assert_eq!(debug_identifier(&Error::Parse("x".into(), 3)), "Parse");
        assert_eq!(debug_identifier(&Error::Empty), "Empty");
        assert_eq!(debug_identifier(&Pieces), "Split_1");
    }

    #[test]
    fn a_struct_error_has_its_type_name_as_kind_unless_a_reader_is_registered() {
        let plain = Adapter::new("t").try_function("lookup", lookup);
        assert_eq!(kind_of(&plain), "TemplateError");
        // Registered after the operation, it still applies to it.
        let read = Adapter::new("t")
            .try_function("lookup", lookup)
            .error_kind(|e: &TemplateError| e.kind);
        assert_eq!(kind_of(&read), "TemplateNotFound");
    }
}
