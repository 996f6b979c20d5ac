//! The Rust adapter of jiter 0.19.0: its public Rust API, one closure per operation of the
//! Python module `jiter`, which the unmodified `jiter==0.19.0` wheel provides.
//!
//! What the Rust API offers is used as it is: `JsonValue::parse_with_config` for `from_json`
//! (its `allow_inf_nan` and `PartialMode`), `Jiter::next_float` for `LosslessFloat`,
//! and `JsonError::description` for error messages. `float_mode="decimal"` gives a `Decimal`
//! of each float's own text, as the binding does (`Decimal("1.10")` keeps its exponent): the
//! Rust API's `JsonValue` keeps only the `f64`, so the texts are read from the document beside
//! it (`float_texts`). What only the Python binding has — the string cache, duplicate-key
//! detection — is not emulated here: the differences it makes are findings, recorded in
//! `fixtures/jiter/ledger.json` with their reasons.

use jiter::{Jiter, JsonError, JsonValue, PartialMode};
use pyo3_conformance::model::Object;
use pyo3_conformance::model::stdlib::{Decimal, StdValue};
use pyo3_conformance::proptest;
use pyo3_conformance::proptest::prelude::*;
use pyo3_conformance::{Adapter, Bytes, RustError, Value};

/// The adapter, with every operation of `fixtures/jiter/manifest.json`.
pub fn adapter() -> Adapter {
    Adapter::new("jiter")
        .cargo_test("jiter-conformance", "scenarios")
        .try_function("from_json", |(data, allow_inf_nan, _cache_mode, partial, _catch_duplicate_keys, float_mode): FromJson| {
            let partial = partial_mode(&partial).ok_or_else(|| RustError::new("InvalidOption", "invalid partial mode"))?;
            JsonValue::parse_with_config(&data.0, allow_inf_nan, partial)
                .map(|value| {
                    let mut texts = float_texts(&data.0).into_iter();
                    canonical(&value, &float_mode, &mut texts)
                })
                .map_err(|error| json_error(&error, &data.0))
        })
        // The Rust API has no string cache: clearing it does nothing, and it is always empty.
        .function("cache_clear", |()| ())
        .function("cache_usage", |()| 0u64)
        .class::<Vec<u8>>("LosslessFloat", |class| {
            class
                .try_constructor(|(raw,): (Bytes,)| float_of(&raw.0).map(|_| raw.0))
                .try_method("__float__", |raw, ()| float_of(raw))
                .method("__bytes__", |raw, ()| Bytes(raw.clone()))
                .try_method("as_decimal", |raw, ()| decimal(raw))
        })
        .strategy("from_json", "json_data", || json_documents().boxed())
        // Duplicate-key detection exists only in Python (see the ledger); property runs leave it off.
        .strategy("from_json", "catch_duplicate_keys", || Just(Value::Bool(false)).boxed())
        .strategy("from_json", "cache_mode", || proptest::sample::select(vec![Value::Bool(true), Value::Bool(false), Value::str("all"), Value::str("keys"), Value::str("none")]).boxed())
        .strategy("from_json", "partial_mode", || proptest::sample::select(vec![Value::Bool(false), Value::Bool(true), Value::str("off"), Value::str("on"), Value::str("trailing-strings")]).boxed())
        .strategy("from_json", "float_mode", || proptest::sample::select(vec![Value::str("float"), Value::str("decimal"), Value::str("lossless-float")]).boxed())
        .strategy("LosslessFloat", "raw", || proptest::string::string_regex("-?[0-9]{1,4}(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,2})?|[a-z]{0,3}").expect("a valid regex").prop_map(|s| Value::Bytes(s.into_bytes())).boxed())
}

type FromJson = (Bytes, bool, Value, Value, bool, String);

fn partial_mode(value: &Value) -> Option<PartialMode> {
    match value {
        Value::Bool(false) => Some(PartialMode::Off),
        Value::Bool(true) => Some(PartialMode::On),
        Value::Str(mode) => match mode.as_str() {
            "off" => Some(PartialMode::Off),
            "on" => Some(PartialMode::On),
            "trailing-strings" => Some(PartialMode::TrailingStrings),
            _ => None,
        },
        _ => None,
    }
}

/// The float a JSON number's bytes stand for: one number, nothing after it, NaN and infinities
/// allowed (`Jiter::next_float`, then `finish`).
fn float_of(raw: &[u8]) -> Result<f64, RustError> {
    let mut jiter = Jiter::new(raw).with_allow_inf_nan();
    let float = jiter
        .next_float()
        .map_err(|e| RustError::new("JsonError", e.description(&jiter)))?;
    jiter
        .finish()
        .map_err(|e| RustError::new("JsonError", e.description(&jiter)))?;
    Ok(float)
}

/// Errors as the Python binding words them: the error type and its line and column.
fn json_error(error: &JsonError, data: &[u8]) -> RustError {
    RustError::new("JsonError", error.description(data))
}

/// `Decimal(text)` of a number's text, as the binding's `as_decimal` and decimal mode make it.
fn decimal(text: &[u8]) -> Result<Value, RustError> {
    let text = String::from_utf8_lossy(text);
    text.parse::<Decimal>()
        .map(|decimal| Value::Std(StdValue::Decimal(decimal)))
        .map_err(|e| RustError::new("InvalidOperation", e))
}

/// The text of every float of a JSON document (a number with a fraction or an exponent, NaN,
/// ±Infinity), in document order: the order `canonical` meets `JsonValue::Float`s in.
fn float_texts(data: &[u8]) -> Vec<&[u8]> {
    let mut texts = Vec::new();
    let (mut at, mut in_string) = (0, false);
    while at < data.len() {
        let byte = data[at];
        if in_string {
            match byte {
                b'\\' => at += 1,
                b'"' => in_string = false,
                _ => {}
            }
            at += 1;
        } else if byte == b'"' {
            in_string = true;
            at += 1;
        } else if byte == b'-' || byte.is_ascii_digit() || byte == b'N' || byte == b'I' {
            let start = at;
            while at < data.len() && b"0123456789+-.eEaNIinfty".contains(&data[at]) {
                at += 1;
            }
            let token = &data[start..at];
            if token.iter().any(|b| b".eENI".contains(b)) {
                texts.push(token);
            }
        } else {
            at += 1;
        }
    }
    texts
}

/// A parsed value as a canonical one. Objects keep every pair, duplicates included, as jiter
/// does; floats follow `float_mode`: a `float`, a `Decimal` of the float's text (the next of
/// `texts`), or a `LosslessFloat` (an object of that class: it exists only in Python).
fn canonical<'d>(
    value: &JsonValue<'_>,
    float_mode: &str,
    texts: &mut impl Iterator<Item = &'d [u8]>,
) -> Value {
    match value {
        JsonValue::Null => Value::Null,
        JsonValue::Bool(b) => Value::Bool(*b),
        JsonValue::Int(i) => Value::int(*i),
        JsonValue::BigInt(i) => Value::Int(i.clone()),
        JsonValue::Float(f) => match (float_mode, texts.next()) {
            ("decimal", Some(text)) => decimal(text).unwrap_or(Value::Float(*f)),
            ("lossless-float", _) => Value::Object(Object {
                class: "LosslessFloat".to_owned(),
                state: Vec::new(),
            }),
            _ => Value::Float(*f),
        },
        JsonValue::Str(s) => Value::str(s.as_ref()),
        JsonValue::Array(items) => Value::List(
            items
                .iter()
                .map(|item| canonical(item, float_mode, texts))
                .collect(),
        ),
        JsonValue::Object(pairs) => Value::Dict(
            pairs
                .iter()
                .map(|(key, value)| {
                    (
                        Value::str(key.as_ref()),
                        canonical(value, float_mode, texts),
                    )
                })
                .collect(),
        ),
    }
}

/// JSON-ish documents: mostly valid JSON built from a small grammar, sometimes broken.
fn json_documents() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        any::<i64>().prop_map(|i| i.to_string()),
        (-1e6f64..1e6).prop_map(|f| format!("{f:?}")),
        "[a-z]{0,4}".prop_map(|s| format!("\"{s}\"")),
        Just("NaN".to_owned()),
        Just("123456789012345678901234567890".to_owned()),
    ];
    let document = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            proptest::collection::vec(("[a-c]", inner), 0..4).prop_map(|pairs| {
                let body: Vec<String> = pairs
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    });
    (document, 0usize..3).prop_map(|(text, cut)| {
        // Sometimes cut the document short, for partial mode.
        let keep = text.len().saturating_sub(cut);
        Value::Bytes(text.as_bytes()[..keep].to_vec())
    })
}
