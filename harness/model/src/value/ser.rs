//! Rust → canonical: a serde `Serializer` whose output is a [`Value`].
//!
//! Adapters return ordinary Rust values; this turns them into canonical values the way PyO3's
//! own conversions would turn them into Python objects: structs and maps become dicts, `Vec`
//! becomes a list, Rust tuples become tuples, `Option::None` and `()` become `None`, `&[u8]`
//! through `serialize_bytes` becomes bytes. Where Rust's type does not say what Python will get
//! (a `BTreeSet` serializes as a sequence, yet PyO3 makes it a `set`), the adapter wraps the
//! result in [`Set`], [`FrozenSet`] or [`Tuple`], or returns a [`Value`] directly.

use num_bigint::BigInt;
use serde::ser::{self, Serialize};

use super::json::MARKER;
use super::{MAX_DEPTH, Value, ValueError};

const SET_MARKER: &str = "$pyo3_conformance::Set";
const FROZENSET_MARKER: &str = "$pyo3_conformance::FrozenSet";
const TUPLE_MARKER: &str = "$pyo3_conformance::Tuple";

/// Converts any serializable Rust value into a canonical value.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, ValueError> {
    value.serialize(ValueSerializer)
}

/// Marks a sequence that Python sees as a `set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set<T>(pub T);

/// Marks a sequence that Python sees as a `frozenset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenSet<T>(pub T);

/// Marks a sequence that Python sees as a `tuple`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tuple<T>(pub T);

/// Bytes, as Python's `bytes` (serde alone writes `Vec<u8>` as a list of ints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;
        impl serde::de::Visitor<'_> for BytesVisitor {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
        }
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

macro_rules! marked {
    ($wrapper:ident, $marker:expr) => {
        impl<T: Serialize> Serialize for $wrapper<T> {
            fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_newtype_struct($marker, &self.0)
            }
        }
    };
}
marked!(Set, SET_MARKER);
marked!(FrozenSet, FROZENSET_MARKER);
marked!(Tuple, TUPLE_MARKER);

impl ser::Error for ValueError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self::new(msg.to_string())
    }
}

struct ValueSerializer;

thread_local! {
    /// How many containers the serializations running on this thread have open.
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// One open container of a serialization: made only while fewer than [`MAX_DEPTH`] are open,
/// and closed when dropped (whether the container ends or fails), so a value that nests
/// without end (a recursive type, a cycle through `Rc`) is an error, not a stack overflow.
pub(super) struct Depth(());

impl Depth {
    pub(super) fn enter() -> Result<Self, ValueError> {
        DEPTH.with(|depth| {
            if depth.get() >= MAX_DEPTH {
                return Err(ValueError::too_deep());
            }
            depth.set(depth.get() + 1);
            Ok(Self(()))
        })
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get() - 1));
    }
}

fn retag(value: Value, name: &str) -> Result<Value, ValueError> {
    let items = match value {
        Value::List(items) | Value::Tuple(items) | Value::Set(items) | Value::FrozenSet(items) => {
            items
        }
        other => {
            return Err(ValueError::new(format!(
                "{name} wraps a sequence, not {}",
                other.type_name()
            )));
        }
    };
    Ok(match name {
        SET_MARKER => Value::Set(items),
        FROZENSET_MARKER => Value::FrozenSet(items),
        _ => Value::Tuple(items),
    })
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = ValueError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn serialize_bool(self, v: bool) -> Result<Value, ValueError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, ValueError> {
        Ok(Value::int(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ValueError> {
        Ok(Value::Float(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ValueError> {
        Ok(Value::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ValueError> {
        Ok(Value::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ValueError> {
        Ok(Value::str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, ValueError> {
        Ok(Value::Bytes(v.to_vec()))
    }
    fn serialize_none(self) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, ValueError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, ValueError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, ValueError> {
        Ok(Value::str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Value, ValueError> {
        match name {
            // A canonical value passing through: decode its tagged form instead of nesting it.
            MARKER => {
                let json =
                    serde_json::to_value(value).map_err(|e| ValueError::new(e.to_string()))?;
                Value::from_json(&json).map_err(|e| ValueError::new(e.to_string()))
            }
            SET_MARKER | FROZENSET_MARKER | TUPLE_MARKER => retag(value.serialize(self)?, name),
            _ => value.serialize(self),
        }
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, ValueError> {
        let _open = Depth::enter()?;
        let inner = value
            .serialize(self)
            .map_err(|e| e.within(|| format!(".{variant}")))?;
        Ok(Value::Dict(vec![(Value::str(variant), inner)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, ValueError> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len.unwrap_or(0)),
            tuple: false,
            _open: Depth::enter()?,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, ValueError> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len),
            tuple: true,
            _open: Depth::enter()?,
        })
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqBuilder, ValueError> {
        self.serialize_tuple(len)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<SeqBuilder>, ValueError> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_tuple(len)?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, ValueError> {
        Ok(MapBuilder {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            _open: Depth::enter()?,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder, ValueError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<MapBuilder>, ValueError> {
        Ok(VariantBuilder {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

pub(super) struct SeqBuilder {
    items: Vec<Value>,
    tuple: bool,
    _open: Depth,
}

impl SeqBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        let index = self.items.len();
        let item = value
            .serialize(ValueSerializer)
            .map_err(|e| e.within(|| format!("[{index}]")))?;
        self.items.push(item);
        Ok(())
    }
    fn finish(self) -> Value {
        if self.tuple {
            Value::Tuple(self.items)
        } else {
            Value::List(self.items)
        }
    }
}

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(self.finish())
    }
}

pub(super) struct MapBuilder {
    entries: Vec<(Value, Value)>,
    key: Option<Value>,
    _open: Depth,
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ValueError> {
        self.key = Some(key.serialize(ValueSerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ValueError::new("map value without a key"))?;
        let value = value
            .serialize(ValueSerializer)
            .map_err(|e| e.within(|| key_segment(&key)))?;
        self.entries.push((key, value));
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::Dict(self.entries))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        let value = value
            .serialize(ValueSerializer)
            .map_err(|e| e.within(|| format!(".{key}")))?;
        self.entries.push((Value::str(key), value));
        Ok(())
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::Dict(self.entries))
    }
}

/// Where a map's value sits: `.name` for a str key, `[key]` in tagged JSON for any other.
fn key_segment(key: &Value) -> String {
    match key {
        Value::Str(name) => format!(".{name}"),
        other => format!("[{}]", other.to_json_string()),
    }
}

/// An enum variant with data: `{"Variant": data}`, as serde_json writes it.
pub(super) struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ValueError> {
        self.inner.push(value)
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::Dict(vec![(
            Value::str(self.variant),
            self.inner.finish(),
        )]))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = Value;
    type Error = ValueError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ValueError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Value, ValueError> {
        Ok(Value::Dict(vec![(
            Value::str(self.variant),
            Value::Dict(self.inner.entries),
        )]))
    }
}

// `BigInt` serializes as a (sign, digits) tuple; adapters returning big integers should return
// `Value::Int` or use this helper.
impl From<BigInt> for Value {
    fn from(value: BigInt) -> Self {
        Value::Int(value)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// A list that holds itself `levels` times: `[[[...]]]`.
    #[derive(serde::Serialize)]
    struct Nested(Vec<Nested>);

    fn nested(levels: usize) -> Nested {
        (0..levels).fold(Nested(Vec::new()), |inner, _| Nested(vec![inner]))
    }

    #[test]
    fn values_nest_to_the_limit_and_no_further() {
        // `nested(n)` is n + 1 lists.
        assert!(to_value(&nested(MAX_DEPTH - 1)).is_ok());
        let error = to_value(&nested(1_000)).unwrap_err().to_string();
        let path = "[0]".repeat(MAX_DEPTH);
        assert_eq!(
            error,
            format!("a value nested deeper than {MAX_DEPTH} containers (at ${path})")
        );
        // The depth count is back to zero after a failure.
        assert!(to_value(&nested(MAX_DEPTH - 1)).is_ok());
    }

    #[test]
    fn a_recursive_enum_is_refused_with_its_path() {
        #[derive(serde::Serialize)]
        enum Chain {
            Link(Box<Chain>),
            End,
        }
        let chain = (0..100).fold(Chain::End, |inner, _| Chain::Link(Box::new(inner)));
        let error = to_value(&chain).unwrap_err().to_string();
        assert!(
            error.starts_with("a value nested deeper than 32 containers (at $.Link.Link"),
            "{error}"
        );
    }

    #[test]
    fn rust_shapes_map_to_python_shapes() {
        assert_eq!(
            to_value(&(1, "a")).unwrap(),
            Value::Tuple(vec![Value::int(1), Value::str("a")])
        );
        assert_eq!(
            to_value(&vec![1.5]).unwrap(),
            Value::List(vec![Value::Float(1.5)])
        );
        assert_eq!(to_value(&None::<i32>).unwrap(), Value::Null);
        let map = BTreeMap::from([(1u8, true)]);
        assert_eq!(
            to_value(&map).unwrap(),
            Value::Dict(vec![(Value::int(1), Value::Bool(true))])
        );
        let set = BTreeSet::from([2, 1]);
        assert_eq!(
            to_value(&Set(&set)).unwrap(),
            Value::Set(vec![Value::int(1), Value::int(2)])
        );
        assert_eq!(to_value(&u128::MAX).unwrap(), Value::int(u128::MAX));
    }

    #[test]
    fn a_value_passes_through_whole() {
        let value = Value::Set(vec![Value::Bytes(vec![1]), Value::Float(f64::NAN)]);
        assert_eq!(to_value(&value).unwrap(), value);
        assert_eq!(
            to_value(&vec![value.clone()]).unwrap(),
            Value::List(vec![value])
        );
    }
}
