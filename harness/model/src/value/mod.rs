//! The canonical value model: one vocabulary that Rust results and Python objects both map into,
//! so that "equal" has a single definition.
//!
//! The model is Python's data model, because that is the richer side: `True` is not `1`, `1` is
//! not `1.0`, a tuple is not a list, bytes are not str, sets are unordered and dict keys may be
//! any hashable value. Integers are arbitrary-precision; floats compare bit for bit, except that
//! every NaN equals every NaN (the question a conformance check asks is "are both NaN?").
//!
//! Equality and ordering are *canonical*: `Ord` is a total order across kinds (kind first, then
//! contents), sets and dicts compare as sorted collections, so a set `{1, 2}` equals `{2, 1}`.
//! Dicts compare without regard to insertion order; the comparator can be told otherwise.
//!
//! Submodules: `json` is the tagged JSON encoding used by fixtures, snapshots and reports
//! (`json_schema` its JSON Schema);
//! `ser`/`de` convert any serde type to and from a [`Value`]; `stdlib` holds the
//! standard-library values (datetimes, decimals, UUIDs, paths, complex numbers) and
//! `canonical` the conversions of Rust types to and from them ([`Std`]).

mod canonical;
mod de;
mod foreign;
mod json;
mod json_schema;
mod python;
mod ser;
pub mod stdlib;

use std::cmp::Ordering;

use num_bigint::BigInt;

pub use canonical::{Canonical, Std};
pub use de::{CALLBACK_MARKER, OBJ_MARKER, ValueDeserializer, from_args, from_value};
pub use python::{PyKey, py_repr};
pub use ser::{Bytes, FrozenSet, Set, Tuple, to_value};
pub use stdlib::StdValue;

/// How many containers (lists, tuples, sets, dicts, objects) a canonical value may nest.
///
/// Every value the harness holds comes through a converter that counts (Python objects, Rust
/// results, the tagged JSON of fixtures, snapshots and reports), and a deeper one is refused
/// there with the path where it passes the limit. So the recursive code after them (comparison,
/// encoding, `Drop`) never meets a value deep enough to overflow a stack, even a 2 MiB test
/// thread's. Thirty-two keeps the tagged JSON of the deepest value (three JSON levels per level
/// for a `$dict`) inside a report under serde_json's reading limit of 128.
pub const MAX_DEPTH: usize = 32;

/// Why a Rust value could not be converted to or from a canonical value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", path.as_ref().map(|path| format!(" (at ${path})")).unwrap_or_default())]
pub struct ValueError {
    message: String,
    /// Where in the value it happened, for errors that know (a value nested too deep).
    path: Option<String>,
}

impl ValueError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            path: None,
        }
    }

    /// The error for a value nested deeper than [`MAX_DEPTH`] containers; the converters
    /// put the path before it as they unwind ([`ValueError::within`]).
    pub(crate) fn too_deep() -> Self {
        Self {
            message: format!("a value nested deeper than {MAX_DEPTH} containers"),
            path: Some(String::new()),
        }
    }

    /// This error, one level further out: `segment` (`[3]`, `.name`) put before its path.
    pub(crate) fn within(mut self, segment: impl FnOnce() -> String) -> Self {
        if let Some(path) = &mut self.path {
            path.insert_str(0, &segment());
        }
        self
    }

    /// The error's text, as `Display` words it (the message is taken, not copied, where
    /// there is no path).
    pub fn into_text(self) -> String {
        match self.path {
            None => self.message,
            Some(_) => self.to_string(),
        }
    }
}

/// A value as both languages see it.
#[derive(Debug, Clone)]
pub enum Value {
    /// `None` / `()` / `Option::None`.
    Null,
    /// `bool`.
    Bool(bool),
    /// `int`, of any size.
    Int(BigInt),
    /// `float` (IEEE-754 double).
    Float(f64),
    /// `str`.
    Str(String),
    /// `bytes`.
    Bytes(Vec<u8>),
    /// `list`.
    List(Vec<Value>),
    /// `tuple`.
    Tuple(Vec<Value>),
    /// `set`: elements in no particular order.
    Set(Vec<Value>),
    /// `frozenset`: elements in no particular order.
    FrozenSet(Vec<Value>),
    /// `dict`: entries in insertion order; keys of any kind.
    Dict(Vec<(Value, Value)>),
    /// An instance of a class: its name and a declared projection of its state.
    Object(Object),
    /// In a step's arguments only: the object an earlier step bound under this name
    /// (`{"$obj": "name"}`). Each side passes its own object.
    Ref(String),
    /// In a step's arguments only: the callback the manifest declares under this name
    /// (`{"$callback": "name"}`). Each side passes its own: the manifest's Python source, the
    /// adapter's Rust closure.
    Callback(String),
    /// A `str` holding lone surrogates, which no Rust `String` can: its UTF-16 code units (a
    /// binding that slices a str inside a surrogate pair returns one). A str without them is
    /// always `Str`.
    Utf16(Vec<u16>),
    /// A standard-library value: `datetime`, `Decimal`, `UUID`, `Path`, `complex`, ...
    Std(StdValue),
}

/// An object, seen through its class name and the properties the manifest projects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Object {
    /// The class name (`type(obj).__name__` in Python).
    pub class: String,
    /// Property name and value, in the order the manifest declares them.
    pub state: Vec<(String, Value)>,
}

impl Object {
    /// An object of `class` with no state yet (an adapter's result for a class the manifest
    /// declares, or a foreign value it projects under `values`).
    pub fn new(class: impl Into<String>) -> Self {
        Self {
            class: class.into(),
            state: Vec::new(),
        }
    }

    /// This object with one more entry of state, in the manifest's order.
    pub fn with(mut self, name: impl Into<String>, value: Value) -> Self {
        self.state.push((name.into(), value));
        self
    }
}

impl Value {
    /// The names of the bound objects this value refers to (`{"$obj": name}`), anywhere in it.
    #[inline]
    pub fn references(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if !self.may_hold_placeholders() {
            return out;
        }
        self.walk_placeholders(&mut |value| {
            if let Value::Ref(name) = value {
                out.push(name.as_str());
            }
        });
        out
    }

    /// The names of the callbacks this value passes (`{"$callback": name}`), anywhere in it.
    #[inline]
    pub fn callbacks(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if !self.may_hold_placeholders() {
            return out;
        }
        self.walk_placeholders(&mut |value| {
            if let Value::Callback(name) = value {
                out.push(name.as_str());
            }
        });
        out
    }

    /// Whether this value is a placeholder or a container that may hold one: a scalar, the
    /// usual argument, is answered inline, without a walk (every step's arguments are asked).
    #[inline]
    fn may_hold_placeholders(&self) -> bool {
        matches!(
            self,
            Value::Ref(_)
                | Value::Callback(_)
                | Value::List(_)
                | Value::Tuple(_)
                | Value::Set(_)
                | Value::FrozenSet(_)
                | Value::Dict(_)
        )
    }

    /// Calls `found` with every `$obj` and `$callback` inside this value.
    fn walk_placeholders<'a>(&'a self, found: &mut impl FnMut(&'a Value)) {
        match self {
            Value::Ref(_) | Value::Callback(_) => found(self),
            Value::List(items)
            | Value::Tuple(items)
            | Value::Set(items)
            | Value::FrozenSet(items) => {
                items.iter().for_each(|item| item.walk_placeholders(found))
            }
            Value::Dict(entries) => entries.iter().for_each(|(key, value)| {
                key.walk_placeholders(found);
                value.walk_placeholders(found);
            }),
            _ => {}
        }
    }

    /// An int value.
    pub fn int(value: impl Into<BigInt>) -> Self {
        Self::Int(value.into())
    }

    /// A str value.
    pub fn str(value: impl Into<String>) -> Self {
        Self::Str(value.into())
    }

    /// The Python name of this value's kind (`int`, `tuple`, ...).
    pub fn type_name(&self) -> &'static str {
        value_type_name(self)
    }

    fn rank(&self) -> u8 {
        match self {
            Self::Null => 0,
            Self::Bool(_) => 1,
            Self::Int(_) => 2,
            Self::Float(_) => 3,
            Self::Str(_) => 4,
            Self::Bytes(_) => 5,
            Self::List(_) => 6,
            Self::Tuple(_) => 7,
            Self::Set(_) => 8,
            Self::FrozenSet(_) => 9,
            Self::Dict(_) => 10,
            Self::Object(_) => 11,
            Self::Ref(_) => 12,
            Self::Callback(_) => 13,
            Self::Utf16(_) => 14,
            Self::Std(_) => 15,
        }
    }
}

/// The Python name of a value's kind.
pub fn value_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "None",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Str(_) => "str",
        Value::Bytes(_) => "bytes",
        Value::List(_) => "list",
        Value::Tuple(_) => "tuple",
        Value::Set(_) => "set",
        Value::FrozenSet(_) => "frozenset",
        Value::Dict(_) => "dict",
        Value::Object(_) => "object",
        Value::Ref(_) => "object reference",
        Value::Callback(_) => "callback",
        Value::Utf16(_) => "str",
        Value::Std(value) => value.type_name(),
    }
}

/// Floats in canonical order: every NaN equal to every other and above all numbers; `-0.0`
/// below `0.0`; otherwise numeric order.
pub(crate) fn cmp_float(left: f64, right: f64) -> Ordering {
    match (left.is_nan(), right.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => left.total_cmp(&right),
    }
}

fn sorted(values: &[Value]) -> Vec<&Value> {
    let mut refs: Vec<&Value> = values.iter().collect();
    refs.sort();
    refs
}

fn sorted_entries(entries: &[(Value, Value)]) -> Vec<(&Value, &Value)> {
    let mut refs: Vec<(&Value, &Value)> = entries.iter().map(|(k, v)| (k, v)).collect();
    refs.sort();
    refs
}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> Ordering {
        use Value::*;
        match (self, other) {
            (Null, Null) => Ordering::Equal,
            (Bool(a), Bool(b)) => a.cmp(b),
            (Int(a), Int(b)) => a.cmp(b),
            (Float(a), Float(b)) => cmp_float(*a, *b),
            (Str(a), Str(b)) => a.cmp(b),
            (Bytes(a), Bytes(b)) => a.cmp(b),
            (List(a), List(b)) | (Tuple(a), Tuple(b)) => a.cmp(b),
            (Set(a), Set(b)) | (FrozenSet(a), FrozenSet(b)) => sorted(a).cmp(&sorted(b)),
            (Dict(a), Dict(b)) => sorted_entries(a).cmp(&sorted_entries(b)),
            (Object(a), Object(b)) => a.cmp(b),
            (Ref(a), Ref(b)) | (Callback(a), Callback(b)) => a.cmp(b),
            (Utf16(a), Utf16(b)) => a.cmp(b),
            (Std(a), Std(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Value {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bool_int_and_float_are_distinct() {
        assert_ne!(Value::Bool(true), Value::int(1));
        assert_ne!(Value::int(1), Value::Float(1.0));
        assert_ne!(Value::Bool(true), Value::Float(1.0));
        assert_eq!(Value::int(1), Value::int(1));
    }

    #[test]
    fn tuple_is_not_list_and_bytes_are_not_str() {
        let items = vec![Value::int(1), Value::int(2)];
        assert_ne!(Value::Tuple(items.clone()), Value::List(items));
        assert_ne!(Value::Bytes(b"ab".to_vec()), Value::str("ab"));
    }

    #[test]
    fn nan_equals_nan_and_negative_zero_is_not_zero() {
        assert_eq!(Value::Float(f64::NAN), Value::Float(-f64::NAN));
        assert_ne!(Value::Float(-0.0), Value::Float(0.0));
        assert_ne!(Value::Float(f64::NAN), Value::Float(f64::INFINITY));
    }

    #[test]
    fn sets_and_dicts_ignore_order() {
        let set = |xs: &[i64]| Value::Set(xs.iter().map(|x| Value::int(*x)).collect());
        assert_eq!(set(&[1, 2, 3]), set(&[3, 1, 2]));
        assert_ne!(set(&[1, 2]), set(&[1, 2, 3]));
        let entry = |k: &str, v: i64| (Value::str(k), Value::int(v));
        assert_eq!(
            Value::Dict(vec![entry("a", 1), entry("b", 2)]),
            Value::Dict(vec![entry("b", 2), entry("a", 1)])
        );
    }
}
