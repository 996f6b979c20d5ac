//! Canonical → Rust: a serde `Deserializer` over a [`Value`].
//!
//! This is how an adapter receives its arguments: the harness binds a step's arguments to the
//! operation's declared parameters and hands the adapter a tuple of canonical values, which this
//! deserializes into whatever Rust types the adapter's closure names (`(String, i64)`,
//! `Vec<f64>`, `BTreeMap<i64, String>`, `serde_bytes::ByteBuf`, or `Value` itself). A value that
//! does not fit the Rust type (an int beyond `i64`, a str where bytes are wanted) is an error
//! the harness reports as an argument the Rust API cannot take.
//!
//! The deserializer reads an owned value or a borrowed one (a `Cow`): a step's arguments are
//! read where the plan keeps them ([`from_args`]), and only what the Rust type takes whole (a
//! str, bytes, a container) is copied out; a number or a bool is read in place.

use std::borrow::Cow;

use num_traits::ToPrimitive;
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::json::{HANDOFF, HANDOFF_TOKEN, MARKER};
use super::{Value, ValueError};

/// The newtype name under which an object reference (`Obj<T>` in the harness) asks for the
/// bound name of a [`Value::Ref`].
pub const OBJ_MARKER: &str = "$pyo3_conformance::Obj";

/// The newtype-struct name through which a callback argument (`Callback`) asks for the name of
/// a [`Value::Callback`].
pub const CALLBACK_MARKER: &str = "$pyo3_conformance::Callback";

impl de::Error for ValueError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self::new(msg.to_string())
    }
}

/// Reads a canonical value into any deserializable Rust type.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ValueError> {
    T::deserialize(ValueDeserializer(Cow::Owned(value)))
}

/// Reads arguments, in place, into a Rust type as [`from_value`] reads the tuple of them:
/// `(String, i64)` from `["k", 3]`.
pub fn from_args<T: DeserializeOwned>(args: &[Value]) -> Result<T, ValueError> {
    T::deserialize(ArgsDeserializer(args))
}

/// A deserializer that reads a canonical value into a Rust type (see [`from_value`]).
#[derive(Debug)]
pub struct ValueDeserializer<'a>(Cow<'a, Value>);

impl<'de> IntoDeserializer<'de, ValueError> for Value {
    type Deserializer = ValueDeserializer<'static>;
    fn into_deserializer(self) -> ValueDeserializer<'static> {
        ValueDeserializer(Cow::Owned(self))
    }
}

impl<'de, 'a> IntoDeserializer<'de, ValueError> for &'a Value {
    type Deserializer = ValueDeserializer<'a>;
    fn into_deserializer(self) -> ValueDeserializer<'a> {
        ValueDeserializer(Cow::Borrowed(self))
    }
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'_> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        // Scalars and a borrowed container's items are read where they are; the rest is taken
        // whole (copied if borrowed).
        match &*self.0 {
            Value::Null => return visitor.visit_unit(),
            Value::Bool(b) => return visitor.visit_bool(*b),
            Value::Int(i) => {
                return if let Some(v) = i.to_i64() {
                    visitor.visit_i64(v)
                } else if let Some(v) = i.to_u64() {
                    visitor.visit_u64(v)
                } else if let Some(v) = i.to_i128() {
                    visitor.visit_i128(v)
                } else if let Some(v) = i.to_u128() {
                    visitor.visit_u128(v)
                } else {
                    Err(ValueError::new(format!(
                        "integer {i} does not fit in 128 bits"
                    )))
                };
            }
            Value::Float(f) => return visitor.visit_f64(*f),
            _ => {}
        }
        let owned = match self.0 {
            Cow::Borrowed(
                Value::List(items)
                | Value::Tuple(items)
                | Value::Set(items)
                | Value::FrozenSet(items),
            ) => return visitor.visit_seq(de::value::SeqDeserializer::new(items.iter())),
            Cow::Borrowed(Value::Dict(entries)) => {
                return visitor.visit_map(de::value::MapDeserializer::new(
                    entries.iter().map(|(key, value)| (key, value)),
                ));
            }
            held => held.into_owned(),
        };
        match owned {
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                unreachable!("read in place above")
            }
            Value::Str(s) => visitor.visit_string(s),
            Value::Bytes(b) => visitor.visit_byte_buf(b),
            Value::List(items)
            | Value::Tuple(items)
            | Value::Set(items)
            | Value::FrozenSet(items) => {
                visitor.visit_seq(de::value::SeqDeserializer::new(items.into_iter()))
            }
            Value::Dict(entries) => {
                visitor.visit_map(de::value::MapDeserializer::new(entries.into_iter()))
            }
            Value::Object(object) => Err(ValueError::new(format!(
                "an object of class {} cannot be passed by value to Rust",
                object.class
            ))),
            Value::Ref(name) => Err(ValueError::new(format!(
                "the object '{name}' is passed here: take it as `Obj<T>` in the adapter"
            ))),
            Value::Callback(name) => Err(ValueError::new(format!(
                "the callback '{name}' is passed here: take it as `Callback` in the adapter"
            ))),
            Value::Utf16(_) => Err(ValueError::new(
                "a str with lone surrogates, which no Rust String can hold",
            )),
            Value::Std(value) => Err(ValueError::new(format!(
                "a {} is passed here: take it as `Std<T>` (a chrono, time, rust_decimal, uuid, \
                 PathBuf or num-complex type) or as the canonical `stdlib` type",
                value.type_name()
            ))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match &*self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        if name == OBJ_MARKER {
            // The target is an object reference (`Obj<T>`): hand over the bound name.
            return match self.0.into_owned() {
                Value::Ref(object) => visitor.visit_string(object),
                other => Err(ValueError::new(format!(
                    "expected an object (`{{\"$obj\": name}}`), got {}",
                    other.type_name()
                ))),
            };
        }
        if name == CALLBACK_MARKER {
            return match self.0.into_owned() {
                Value::Callback(callback) => visitor.visit_string(callback),
                other => Err(ValueError::new(format!(
                    "expected a callback (`{{\"$callback\": name}}`), got {}",
                    other.type_name()
                ))),
            };
        }
        if name == MARKER {
            // The target is `Value` itself: hand it over as it is (a dict keeps its key order).
            HANDOFF.set(Some(self.0.into_owned()));
            let result = visitor.visit_str(HANDOFF_TOKEN);
            HANDOFF.set(None);
            return result;
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        match self.0.into_owned() {
            Value::Str(variant) => visitor.visit_enum(variant.into_deserializer()),
            Value::Dict(mut entries) if entries.len() == 1 => {
                let (key, value) = entries.remove(0);
                let Value::Str(variant) = key else {
                    return Err(ValueError::new("an enum variant is named by a str key"));
                };
                visitor.visit_enum(de::value::MapAccessDeserializer::new(
                    de::value::MapDeserializer::new(std::iter::once((Value::Str(variant), value))),
                ))
            }
            other => Err(ValueError::new(format!(
                "expected an enum variant, got {}",
                other.type_name()
            ))),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        // `()` is also how a closure says "no arguments": accept the empty argument tuple.
        match &*self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Tuple(items) | Value::List(items) if items.is_empty() => visitor.visit_unit(),
            other => Err(ValueError::new(format!(
                "expected None, got {}",
                other.type_name()
            ))),
        }
    }

    // bytes ≠ str, as PyO3 has it: serde's string visitors would take UTF-8 bytes, and its
    // byte-buffer visitors a str; a binding refuses both with `TypeError`.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match &*self.0 {
            Value::Bytes(_) => Err(ValueError::new("expected str, got bytes")),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match &*self.0 {
            Value::Str(_) => Err(ValueError::new("expected bytes, got str")),
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// A step's arguments read as the tuple of them, each in place (see [`from_args`]). A tuple
/// or a sequence (what an adapter's closure takes) reads them one by one; any other Rust type
/// reads the tuple as [`ValueDeserializer`] reads it.
struct ArgsDeserializer<'a>(&'a [Value]);

impl ArgsDeserializer<'_> {
    fn whole(&self) -> ValueDeserializer<'static> {
        ValueDeserializer(Cow::Owned(Value::Tuple(self.0.to_vec())))
    }
}

impl<'de> de::Deserializer<'de> for ArgsDeserializer<'_> {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_seq(de::value::SeqDeserializer::new(self.0.iter()))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.whole().deserialize_unit(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        self.whole().deserialize_option(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.whole().deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        self.whole().deserialize_enum(name, variants, visitor)
    }

    // A tuple is neither str nor bytes: a string or bytes target reads it as a sequence, as
    // `ValueDeserializer` does.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn arguments_read_into_rust_types() {
        let args = Value::Tuple(vec![Value::str("k"), Value::int(-3), Value::Null]);
        let (key, value, default): (String, i64, Option<i64>) = from_value(args).unwrap();
        assert_eq!((key.as_str(), value, default), ("k", -3, None));
        let map = Value::Dict(vec![(Value::int(2), Value::str("b"))]);
        assert_eq!(
            from_value::<BTreeMap<i64, String>>(map).unwrap(),
            BTreeMap::from([(2, "b".into())])
        );
    }

    #[test]
    fn bytes_and_str_do_not_stand_in_for_each_other() {
        let bytes = Value::Bytes(b"abc".to_vec());
        let error = from_value::<String>(bytes).unwrap_err();
        assert!(
            error.to_string().contains("expected str, got bytes"),
            "{error}"
        );
        let error = from_value::<crate::Bytes>(Value::str("abc")).unwrap_err();
        assert!(
            error.to_string().contains("expected bytes, got str"),
            "{error}"
        );
        assert_eq!(from_value::<String>(Value::str("abc")).unwrap(), "abc");
        let buf = from_value::<crate::Bytes>(Value::Bytes(vec![1])).unwrap();
        assert_eq!(buf.0, [1]);
    }

    #[test]
    fn a_value_argument_arrives_whole() {
        let value = Value::FrozenSet(vec![Value::Float(-0.0)]);
        assert_eq!(from_value::<Value>(value.clone()).unwrap(), value);
        // A dict reaches a `Value` argument in its own key order, not sorted.
        let dict: Value = serde_json::from_str(r#"{"b": 2, "a": {"d": 1, "c": 0}}"#).unwrap();
        let Value::Dict(entries) = from_value::<Value>(dict.clone()).unwrap() else {
            panic!("a dict");
        };
        assert_eq!(entries[0].0, Value::str("b"));
        assert_eq!(Value::Dict(entries), dict);
        let nested: Vec<Value> = from_value(Value::List(vec![dict.clone()])).unwrap();
        assert!(matches!(&nested[0], Value::Dict(e) if e[0].0 == Value::str("b")));
    }

    #[test]
    fn arguments_read_as_their_tuple_reads() {
        let dict: Value = serde_json::from_str(r#"{"b": 2, "a": {"d": 1}}"#).unwrap();
        let args = vec![
            Value::str("k"),
            Value::int(-3),
            Value::Null,
            Value::List(vec![Value::int(1), Value::int(2)]),
            Value::Dict(vec![(Value::int(2), Value::str("b"))]),
            dict.clone(),
        ];
        type Taken = (
            String,
            i64,
            Option<i64>,
            Vec<i64>,
            BTreeMap<i64, String>,
            Value,
        );
        let in_place = from_args::<Taken>(&args).unwrap();
        assert_eq!(
            in_place,
            from_value::<Taken>(Value::Tuple(args.clone())).unwrap()
        );
        // A `Value` argument arrives whole, its dict in its own key order.
        assert!(matches!(&in_place.5, Value::Dict(e) if e[0].0 == Value::str("b")));
        from_args::<()>(&[]).unwrap();
        // What does not fit is refused in the same words.
        for refused in [
            vec![Value::int(u64::MAX)],
            vec![Value::Bytes(b"x".to_vec())],
            vec![Value::str("1")],
        ] {
            let owned = from_value::<(i64,)>(Value::Tuple(refused.clone())).unwrap_err();
            let borrowed = from_args::<(i64,)>(&refused).unwrap_err();
            assert_eq!(borrowed.to_string(), owned.to_string());
        }
        assert_eq!(
            from_args::<String>(&[]).unwrap_err().to_string(),
            from_value::<String>(Value::Tuple(Vec::new()))
                .unwrap_err()
                .to_string()
        );
    }

    #[test]
    fn out_of_range_integers_are_errors() {
        let error = from_value::<i64>(Value::int(u64::MAX)).unwrap_err();
        assert!(error.to_string().contains("invalid value"), "{error}");
        let huge: num_bigint::BigInt = "1".repeat(50).parse().unwrap();
        assert!(from_value::<u128>(Value::Int(huge)).is_err());
    }
}
