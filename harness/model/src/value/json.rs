//! The tagged JSON encoding of canonical values, used by fixtures, snapshots and reports.
//!
//! Plain JSON stands for itself wherever that is unambiguous, so fixtures stay readable:
//! `null`, `true`, `"text"`, `[1, 2]` (a list), `{"a": 1}` (a dict with str keys). A number
//! written without `.`/`e` is an int of any size (the text is read exactly, never through a
//! float); with them it is a float. Everything else carries a one-key tag, in the spirit of
//! toml-test's typed JSON:
//!
//! | tag | meaning |
//! |---|---|
//! | `{"$int": "123…"}` | an int, written as text (the encoder uses it beyond 64 bits) |
//! | `{"$float": "nan" \| "inf" \| "-inf" \| "1.5"}` | a float that JSON cannot write |
//! | `{"$bytes": "68690a"}` | bytes, as lowercase hex |
//! | `{"$tuple": [...]}`, `{"$set": [...]}`, `{"$frozenset": [...]}` | the other sequences |
//! | `{"$dict": [[key, value], ...]}` | a dict whose keys are not all str, or start with `$` |
//! | `{"$object": {"class": "Name", "state": {...}}}` | an object and its projected state |
//! | `{"$obj": "name"}` | in step arguments: the object an earlier step bound as `name` |
//! | `{"$callback": "name"}` | in step arguments: the callback the manifest declares as `name` |
//! | `{"$plain": <json>}` | plain JSON, no tag read inside (a dict with `$` keys, such as a JSON Schema) |
//! | `{"$datetime": "2024-02-29T12:30:00.000001+05:30"}` | a `datetime`, naive or aware, ISO 8601 as `isoformat()` writes it; `" fold=1"` appended where set |
//! | `{"$date": "2024-02-29"}`, `{"$time": "12:30:00+01:00"}` | a `date`; a `time`, naive or aware |
//! | `{"$timedelta": "-86400.000001"}` | a `timedelta`, in seconds (six decimals at most) |
//! | `{"$timezone": "+05:30"}` | a fixed-offset `timezone` (`"UTC"` reads as `+00:00`) |
//! | `{"$decimal": "1.10"}` | a `Decimal`, exactly: `1.10` is not `1.1`; `NaN`, `sNaN`, `-Infinity` |
//! | `{"$uuid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}` | a `uuid.UUID` |
//! | `{"$path": "a/b.txt"}` | a `pathlib.Path` |
//! | `{"$complex": [1.5, -0.0]}` | a `complex`: real and imaginary parts, floats as above |
//!
//! Only a one-key object whose key is one of these tags is tagged: any other object, `$` keys
//! and all, is a plain dict.
//!
//! `Value` implements `Serialize`/`Deserialize` in this encoding, wrapped in a newtype struct
//! named [`MARKER`] so that the canonical serde converters (`ser`, `de`) can recognise a `Value`
//! passing through them and keep it whole instead of re-encoding it as a dict.

use std::fmt;
use std::str::FromStr;

use num_bigint::BigInt;
use num_traits::ToPrimitive;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ser::Depth;
use super::stdlib::{Complex, STD_TAGS, StdValue};
use super::{Object, Value};

/// Newtype-struct name that marks a canonical [`Value`] inside serde.
pub(crate) const MARKER: &str = "$pyo3_conformance::Value";
/// How the canonical deserializer (`de`) hands a whole [`Value`] to `Value`'s own
/// `Deserialize`: it parks the value in [`HANDOFF`] and visits this token, so the value arrives
/// as it is, without a trip through `serde_json::Value` (whose map would sort a dict's keys).
pub(crate) const HANDOFF_TOKEN: &str = "$pyo3_conformance::handoff";

thread_local! {
    /// The value a canonical deserializer is handing over (see [`HANDOFF_TOKEN`]).
    pub(crate) static HANDOFF: std::cell::Cell<Option<Value>> = const { std::cell::Cell::new(None) };
}

/// How serde_json's `arbitrary_precision` hands a number's text to a visitor.
const JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(MARKER, &Tagged(self))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(MARKER, ValueVisitor)
    }
}

/// The tagged encoding of one value, without the marker.
pub(crate) struct Tagged<'a>(pub(crate) &'a Value);

struct Tag<'a, T: ?Sized>(&'static str, &'a T);

impl<T: Serialize + ?Sized> Serialize for Tag<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, self.1)?;
        map.end()
    }
}

struct TaggedSeq<'a>(&'a [Value]);

impl Serialize for TaggedSeq<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&Tagged(item))?;
        }
        seq.end()
    }
}

struct TaggedEntries<'a>(&'a [(Value, Value)]);

impl Serialize for TaggedEntries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for (key, value) in self.0 {
            seq.serialize_element(&(Tagged(key), Tagged(value)))?;
        }
        seq.end()
    }
}

struct TaggedObject<'a>(&'a Object);

impl Serialize for TaggedObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("class", &self.0.class)?;
        map.serialize_entry("state", &StrMap(&self.0.state))?;
        map.end()
    }
}

struct StrMap<'a>(&'a [(String, Value)]);

impl Serialize for StrMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, &Tagged(value))?;
        }
        map.end()
    }
}

/// Text of a float for `{"$float": ...}`: special values by name, others in Rust's shortest
/// round-trip form.
pub(crate) fn float_text(value: f64) -> String {
    if value.is_nan() {
        "nan".to_owned()
    } else if value == f64::INFINITY {
        "inf".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-inf".to_owned()
    } else {
        format!("{value:?}")
    }
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
    hex::decode(text).map_err(|error| format!("$bytes takes lowercase hex digits: {error}"))
}

/// The tags the encoding reads; a `$` key that is none of them is an ordinary dict key.
pub(super) const TAGS: [&str; 12] = [
    "$int",
    "$float",
    "$bytes",
    "$tuple",
    "$set",
    "$frozenset",
    "$dict",
    "$object",
    "$obj",
    "$callback",
    "$plain",
    "$utf16",
];

/// The tags whose value is a container: each opens one level of [`crate::MAX_DEPTH`].
const CONTAINER_TAGS: [&str; 5] = ["$tuple", "$set", "$frozenset", "$dict", "$object"];

/// How the error for a value nested too deep begins (it is not wrapped again level by level).
const TOO_DEEP: &str = "a value nested deeper than";
/// How the error for a tagged value that does not fit its tag begins.
const MALFORMED: &str = "malformed ";

/// One more container open in the value being read, refused past [`crate::MAX_DEPTH`] (serde_json
/// adds the line and column).
fn open_container<E: de::Error>() -> Result<Depth, E> {
    Depth::enter().map_err(|_| {
        E::custom(format!(
            "{TOO_DEEP} {} containers: the harness holds values of at most that depth",
            crate::MAX_DEPTH
        ))
    })
}

/// Whether `key` is a tag the encoding reads.
fn is_tag(key: &str) -> bool {
    TAGS.contains(&key) || STD_TAGS.contains(&key)
}

/// `{"$complex": [re, im]}`: two floats (an int part is read as the float it equals).
fn complex_from_parts<E: de::Error>(parts: Vec<Value>) -> Result<Value, E> {
    let float = |part: &Value| match part {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => i
            .to_f64()
            .ok_or_else(|| E::custom("$complex part out of range")),
        other => Err(E::custom(format!(
            "$complex takes two floats, got {}",
            other.type_name()
        ))),
    };
    match parts.as_slice() {
        [re, im] => Ok(Value::Std(StdValue::Complex(Complex {
            re: float(re)?,
            im: float(im)?,
        }))),
        _ => Err(E::custom(format!(
            "$complex takes [real, imaginary], got {} parts",
            parts.len()
        ))),
    }
}

/// `{"$utf16": "d800"}`: a str as hex UTF-16 code units, four digits each; one without lone
/// surrogates is read as the plain str it is.
fn utf16_from_hex<E: de::Error>(text: &str) -> Result<Value, E> {
    let bytes = hex::decode(text)
        .ok()
        .filter(|bytes| bytes.len() % 2 == 0)
        .ok_or_else(|| E::custom("$utf16 takes hex code units, four digits each"))?;
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    Ok(match String::from_utf16(&units) {
        Ok(text) => Value::Str(text),
        Err(_) => Value::Utf16(units),
    })
}

/// Whether a dict can be written as a plain JSON object and read back the same: str keys, and
/// a first key that is no tag (an object whose first key is a tag is read as that tag).
fn is_plain_dict(entries: &[(Value, Value)]) -> bool {
    entries.iter().all(|(key, _)| matches!(key, Value::Str(_)))
        && !matches!(entries.first(), Some((Value::Str(first), _)) if is_tag(first) || first == JSON_NUMBER_TOKEN)
}

impl Serialize for Tagged<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => match (i.to_i64(), i.to_u64()) {
                (Some(small), _) => serializer.serialize_i64(small),
                (None, Some(large)) => serializer.serialize_u64(large),
                (None, None) => Tag("$int", &i.to_string()).serialize(serializer),
            },
            Value::Float(f) if f.is_finite() => serializer.serialize_f64(*f),
            Value::Float(f) => Tag("$float", &float_text(*f)).serialize(serializer),
            Value::Str(s) => serializer.serialize_str(s),
            Value::Bytes(b) => Tag("$bytes", &hex(b)).serialize(serializer),
            Value::List(items) => TaggedSeq(items).serialize(serializer),
            Value::Tuple(items) => Tag("$tuple", &TaggedSeq(items)).serialize(serializer),
            Value::Set(items) => Tag("$set", &TaggedSeq(items)).serialize(serializer),
            Value::FrozenSet(items) => Tag("$frozenset", &TaggedSeq(items)).serialize(serializer),
            Value::Dict(entries) if is_plain_dict(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(&Tagged(key), &Tagged(value))?;
                }
                map.end()
            }
            Value::Dict(entries) => Tag("$dict", &TaggedEntries(entries)).serialize(serializer),
            Value::Object(object) => Tag("$object", &TaggedObject(object)).serialize(serializer),
            Value::Ref(name) => Tag("$obj", name).serialize(serializer),
            Value::Callback(name) => Tag("$callback", name).serialize(serializer),
            Value::Utf16(units) => {
                let hex: String = units.iter().map(|unit| format!("{unit:04x}")).collect();
                Tag("$utf16", &hex).serialize(serializer)
            }
            Value::Std(StdValue::Complex(Complex { re, im })) => {
                let parts = [Value::Float(*re), Value::Float(*im)];
                Tag("$complex", &TaggedSeq(&parts)).serialize(serializer)
            }
            Value::Std(value) => Tag(value.tag(), &value.to_string()).serialize(serializer),
        }
    }
}

/// Reads one value in the tagged encoding.
pub(crate) struct ValueVisitor;

fn int_from_text<E: de::Error>(text: &str) -> Result<Value, E> {
    BigInt::from_str(text)
        .map(Value::Int)
        .map_err(|_| E::custom(format!("not an integer: {text:?}")))
}

fn number_from_text<E: de::Error>(text: &str) -> Result<Value, E> {
    if text.contains(['.', 'e', 'E']) {
        text.parse::<f64>()
            .map(Value::Float)
            .map_err(|_| E::custom(format!("not a float: {text:?}")))
    } else {
        int_from_text(text)
    }
}

fn float_from_text<E: de::Error>(text: &str) -> Result<Value, E> {
    match text {
        "nan" => Ok(Value::Float(f64::NAN)),
        "inf" => Ok(Value::Float(f64::INFINITY)),
        "-inf" => Ok(Value::Float(f64::NEG_INFINITY)),
        other => other.parse::<f64>().map(Value::Float).map_err(|_| {
            E::custom(format!(
                "$float must be \"nan\", \"inf\", \"-inf\" or a number, got {other:?}"
            ))
        }),
    }
}

/// A list of values, each in the tagged encoding.
struct Values;

impl<'de> DeserializeSeed<'de> for Values {
    type Value = Vec<Value>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Value>, D::Error> {
        Vec::<TaggedValue>::deserialize(deserializer)
            .map(|items| items.into_iter().map(|t| t.0).collect())
    }
}

/// A value in the tagged encoding, read without expecting the marker.
struct TaggedValue(Value);

impl<'de> Deserialize<'de> for TaggedValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(TaggedValue)
    }
}

/// `state` as a JSON object of name to value, kept in order.
#[derive(Default)]
struct StateMap(Vec<(String, TaggedValue)>);

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a canonical value (plain JSON or a one-key \"$tag\" object)")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::int(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(Value::int(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        if v == HANDOFF_TOKEN {
            if let Some(value) = HANDOFF.take() {
                return Ok(value);
            }
        }
        Ok(Value::str(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Bytes(v.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Bytes(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let _open = open_container()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(TaggedValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Value::Dict(Vec::new()));
        };
        // A number (serde_json hands its text as a map) or a scalar tag opens no container.
        let _open = match first.as_str() {
            JSON_NUMBER_TOKEN => None,
            tag if is_tag(tag) && !CONTAINER_TAGS.contains(&tag) => None,
            _ => Some(open_container()?),
        };
        // A one-key object whose key is a tag is that tag; any other object is a plain dict
        // (JSON Schema's `$ref`, `$schema` and `$defs` keys included).
        if first == JSON_NUMBER_TOKEN || is_tag(&first) {
            let value = tagged(&first, &mut map).map_err(|e| {
                // An error from a value nested inside is said once, by the innermost tag, not
                // again by every tag around it.
                let inner = e.to_string();
                if inner.starts_with(TOO_DEEP) || inner.starts_with(MALFORMED) {
                    return e;
                }
                de::Error::custom(format!(
                    "{MALFORMED}{first} value (a dict whose only key is {first:?} is written \
                     {{\"$plain\": {{{first:?}: ...}}}} or {{\"$dict\": [[{first:?}, ...]]}}): {e}"
                ))
            })?;
            if let Some(extra) = map.next_key::<String>()? {
                return Err(de::Error::custom(format!(
                    "a tagged value has exactly one key, but {first:?} comes with {extra:?} \
                     (a dict with these keys is written {{\"$plain\": {{...}}}} or \
                     {{\"$dict\": [[key, value], ...]}})"
                )));
            }
            return Ok(value);
        }
        let mut entries = vec![(Value::Str(first), map.next_value::<TaggedValue>()?.0)];
        while let Some(key) = map.next_key::<String>()? {
            let key = Value::Str(key);
            if entries.iter().any(|(existing, _)| *existing == key) {
                return Err(de::Error::custom(format!("duplicate dict key {key:?}")));
            }
            entries.push((key, map.next_value::<TaggedValue>()?.0));
        }
        Ok(Value::Dict(entries))
    }
}

/// The value of the tag `first`, read from `map`.
fn tagged<'de, A: MapAccess<'de>>(first: &str, map: &mut A) -> Result<Value, A::Error> {
    Ok(match first {
        JSON_NUMBER_TOKEN => number_from_text(&map.next_value::<String>()?)?,
        "$int" => int_from_text(&map.next_value::<String>()?)?,
        "$float" => float_from_text(&map.next_value::<String>()?)?,
        "$bytes" => Value::Bytes(unhex(&map.next_value::<String>()?).map_err(de::Error::custom)?),
        "$tuple" => Value::Tuple(map.next_value_seed(Values)?),
        "$set" => Value::Set(map.next_value_seed(Values)?),
        "$frozenset" => Value::FrozenSet(map.next_value_seed(Values)?),
        "$dict" => Value::Dict(
            map.next_value::<Vec<(TaggedValue, TaggedValue)>>()?
                .into_iter()
                .map(|(k, v)| (k.0, v.0))
                .collect(),
        ),
        "$object" => {
            let fields: ObjectFieldsMap = map.next_value()?;
            Value::Object(Object {
                class: fields.class,
                state: fields.state.0.into_iter().map(|(k, v)| (k, v.0)).collect(),
            })
        }
        "$obj" => Value::Ref(map.next_value::<String>()?),
        "$callback" => Value::Callback(map.next_value::<String>()?),
        "$utf16" => utf16_from_hex(&map.next_value::<String>()?)?,
        "$plain" => map.next_value::<PlainValue>()?.0,
        "$complex" => complex_from_parts(map.next_value_seed(Values)?)?,
        other => {
            let text = map.next_value::<String>()?;
            match StdValue::from_tagged_text(other, &text) {
                Some(read) => Value::Std(read.map_err(de::Error::custom)?),
                None => unreachable!("{other} is a tag"),
            }
        }
    })
}

/// `{"$plain": <json>}`: plain JSON, no tag read inside: objects are dicts with str keys in
/// their order, arrays lists, numbers ints or floats.
struct PlainValue(Value);

impl<'de> Deserialize<'de> for PlainValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PlainVisitor).map(PlainValue)
    }
}

struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("plain JSON")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::int(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let _open = open_container()?;
        let mut items = Vec::new();
        while let Some(PlainValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(Value, Value)> = Vec::new();
        let mut open = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == JSON_NUMBER_TOKEN {
                return number_from_text(&map.next_value::<String>()?);
            }
            if open.is_none() {
                open = Some(open_container()?);
            }
            let key = Value::Str(key);
            if entries.iter().any(|(existing, _)| *existing == key) {
                return Err(de::Error::custom(format!("duplicate dict key {key:?}")));
            }
            entries.push((key, map.next_value::<PlainValue>()?.0));
        }
        Ok(Value::Dict(entries))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObjectFieldsMap {
    class: String,
    #[serde(default)]
    state: StateMap,
}

impl<'de> Deserialize<'de> for StateMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StateVisitor;
        impl<'de> Visitor<'de> for StateVisitor {
            type Value = StateMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of property name to value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StateMap, A::Error> {
                let mut state = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, TaggedValue>()? {
                    state.push((key, value));
                }
                Ok(StateMap(state))
            }
        }
        deserializer.deserialize_map(StateVisitor)
    }
}

impl Value {
    /// This value in the tagged JSON encoding.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(Tagged(self)).expect("canonical values always encode")
    }

    /// This value in the tagged JSON encoding, on one line.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(&Tagged(self)).expect("canonical values always encode")
    }

    /// Reads a value from its tagged JSON encoding.
    pub fn from_json(json: &serde_json::Value) -> Result<Self, serde_json::Error> {
        TaggedValue::deserialize(json).map(|t| t.0)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn round_trip(value: &Value) -> Value {
        parse(&value.to_json_string())
    }

    #[test]
    fn values_nest_to_the_limit_and_no_further() {
        let lists = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        // A scalar, tagged or not, inside the deepest container is no container itself.
        assert!(serde_json::from_str::<Value>(&lists(crate::MAX_DEPTH)).is_ok());
        let tagged = lists(crate::MAX_DEPTH).replace('1', r#"{"$int": "1"}"#);
        assert!(serde_json::from_str::<Value>(&tagged).is_ok());
        let error = serde_json::from_str::<Value>(&lists(crate::MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a value nested deeper than 32 containers: the harness holds values of at most \
             that depth at line 1 column 33"
        );
        // Tagged containers count as one level each, and the error is not repeated per level.
        let tuples = format!("{}1{}", r#"{"$tuple": ["#.repeat(40), "]}".repeat(40));
        let error = serde_json::from_str::<Value>(&tuples)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("a value nested deeper than 32 containers: the harness"),
            "{error}"
        );
        let plain = format!(r#"{{"$plain": {}}}"#, lists(crate::MAX_DEPTH + 1));
        assert!(serde_json::from_str::<Value>(&plain).is_err());
    }

    #[test]
    fn a_malformed_value_deep_inside_tags_is_named_once() {
        let text = r#"{"$tuple": [{"$tuple": [{"$int": "x"}]}]}"#;
        let error = serde_json::from_str::<Value>(text).unwrap_err().to_string();
        assert_eq!(error.matches("malformed").count(), 1, "{error}");
        assert!(error.starts_with("malformed $int value"), "{error}");
    }

    #[test]
    fn bad_hex_is_an_error_not_a_panic() {
        for text in [
            r#"{"$bytes": "0ᆗ"}"#,
            r#"{"$bytes": "abc"}"#,
            r#"{"$utf16": "d8ᆗ"}"#,
            r#"{"$utf16": "d80"}"#,
        ] {
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
        }
        assert_eq!(parse(r#"{"$bytes": "00FF"}"#), Value::Bytes(vec![0, 255]));
    }

    #[test]
    fn plain_json_reads_as_python_would() {
        assert_eq!(parse("true"), Value::Bool(true));
        assert_eq!(parse("1"), Value::int(1));
        assert_eq!(parse("1.0"), Value::Float(1.0));
        assert_eq!(parse("-0.0").to_json_string(), "-0.0");
        assert_eq!(parse(r#"{"a": [1, "x"]}"#).type_name(), "dict");
    }

    #[test]
    fn integers_beyond_64_bits_are_exact() {
        let big = "123456789012345678901234567890";
        assert_eq!(parse(big), Value::Int(big.parse().unwrap()));
        assert_eq!(
            parse(&format!(r#"{{"$int": "-{big}"}}"#)),
            Value::Int(format!("-{big}").parse().unwrap())
        );
        assert_eq!(
            Value::Int(big.parse().unwrap()).to_json_string(),
            format!(r#"{{"$int":"{big}"}}"#)
        );
    }

    #[test]
    fn every_kind_round_trips() {
        let values = [
            Value::Null,
            Value::Float(f64::NAN),
            Value::Float(f64::NEG_INFINITY),
            Value::Float(-0.0),
            Value::Float(1e300),
            Value::Bytes(vec![0, 255, 10]),
            Value::Tuple(vec![Value::int(1), Value::str("a")]),
            Value::Set(vec![Value::int(1)]),
            Value::FrozenSet(vec![]),
            Value::Dict(vec![(Value::int(1), Value::List(vec![]))]),
            Value::Dict(vec![(Value::str("$x"), Value::Null)]),
            Value::Object(Object {
                class: "Store".into(),
                state: vec![("size".into(), Value::int(2))],
            }),
        ];
        for value in values {
            let back = round_trip(&value);
            assert_eq!(back, value, "{value}");
            assert_eq!(back.type_name(), value.type_name());
        }
        assert!(round_trip(&Value::Float(-0.0)) != Value::Float(0.0));
    }

    #[test]
    fn malformed_tags_and_repeated_keys_are_errors_naming_the_tag() {
        let error = serde_json::from_str::<Value>(r#"{"$bytes": "abc"}"#).unwrap_err();
        assert!(
            error.to_string().contains("malformed $bytes value"),
            "{error}"
        );
        assert!(error.to_string().contains(r#"{"$plain": "#), "{error}");
        let error = serde_json::from_str::<Value>(r#"{"$int": "1", "b": 2}"#).unwrap_err();
        assert!(error.to_string().contains("exactly one key"), "{error}");
        assert!(serde_json::from_str::<Value>(r#"{"a": 1, "a": 2}"#).is_err());
    }

    #[test]
    fn a_str_with_lone_surrogates_is_written_as_its_code_units() {
        let lone = Value::Utf16(vec![0xd800, 0x61]);
        assert_eq!(lone.to_json_string(), r#"{"$utf16":"d8000061"}"#);
        assert_eq!(
            serde_json::from_str::<Value>(&lone.to_json_string()).unwrap(),
            lone
        );
        // Valid UTF-16 is the plain str it spells.
        assert_eq!(
            serde_json::from_str::<Value>(r#"{"$utf16": "00e9"}"#).unwrap(),
            Value::str("é")
        );
        assert_eq!(crate::py_repr(&lone), "'\\ud800a'");
    }

    #[test]
    fn plain_json_stays_plain() {
        let read = |text: &str| serde_json::from_str::<Value>(text).unwrap();
        let dict = |entries: Vec<(&str, Value)>| {
            Value::Dict(
                entries
                    .into_iter()
                    .map(|(k, v)| (Value::str(k), v))
                    .collect(),
            )
        };
        // A `$` key that is no tag, alone or among others, is a dict key (JSON Schema's).
        assert_eq!(
            read(r##"{"$ref": "#/a"}"##),
            dict(vec![("$ref", Value::str("#/a"))])
        );
        assert_eq!(
            read(r#"{"$schema": "x", "type": "object"}"#),
            dict(vec![
                ("$schema", Value::str("x")),
                ("type", Value::str("object"))
            ])
        );
        // `$plain` reads its content with no tags: `$int` here is a key.
        assert_eq!(
            read(r#"{"$plain": {"$int": "1", "n": [1, 2.5]}}"#),
            dict(vec![
                ("$int", Value::str("1")),
                ("n", Value::List(vec![Value::int(1), Value::Float(2.5)])),
            ])
        );
        // What is read plain is written so that it reads back the same.
        for text in [r##"{"$ref": "#/a"}"##, r#"{"$plain": {"$int": "1"}}"#] {
            let value = read(text);
            assert_eq!(read(&value.to_json_string()), value, "{text}");
        }
    }
}
