//! Python's semantics for canonical values, for adapters of Python-like APIs: [`PyKey`], a dict
//! or set key with Python's equality and a hash consistent with it, and [`py_repr`], the text
//! Python's `repr()` gives.
//!
//! Canonical equality keeps `True`, `1` and `1.0` apart, because a binding that returns one
//! for another diverges. A Rust crate that emulates Python containers (a persistent map, a
//! template engine's dicts) must instead treat them as Python does: `{1: "a"}[1.0]` finds the
//! entry, `0 == -0.0`, a NaN is equal to nothing (Python finds a NaN key only by identity,
//! which canonical values do not have). Every adapter of such a crate used to write this, and
//! a `repr()` clone for `KeyError` messages, by hand; both are tested against the embedded
//! interpreter on generated values (`harness/core/tests/checks/python_semantics.rs`).

use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};

use num_bigint::BigInt;
use num_traits::{FromPrimitive, ToPrimitive, Zero};

use super::Value;
use super::stdlib::{Decimal, DecimalForm, StdValue};

/// A canonical value used as a Python dict key or set element: equal and hashed as Python
/// would (`PyKey(1) == PyKey(1.0) == PyKey(True)`).
#[derive(Debug, Clone)]
pub struct PyKey(Value);

impl PyKey {
    /// The key, or Python's `TypeError` message where the value is unhashable (a list, a dict,
    /// a set, or a tuple holding one).
    pub fn new(value: Value) -> Result<Self, String> {
        unhashable(&value).map_or(Ok(Self(value)), |kind| {
            Err(format!("unhashable type: '{kind}'"))
        })
    }

    /// The value.
    pub fn value(&self) -> &Value {
        &self.0
    }

    /// The value, given back.
    pub fn into_value(self) -> Value {
        self.0
    }
}

fn unhashable(value: &Value) -> Option<&'static str> {
    match value {
        Value::List(_) => Some("list"),
        Value::Dict(_) => Some("dict"),
        Value::Set(_) => Some("set"),
        Value::Ref(_) | Value::Callback(_) => Some("object reference"),
        Value::Tuple(items) | Value::FrozenSet(items) => items.iter().find_map(unhashable),
        _ => None,
    }
}

/// The number a value stands for in Python's numeric tower, where it is one.
enum Number {
    Integral(BigInt),
    Fractional(f64),
    /// A `Decimal` no float equals, by its numeric value (`Decimal.numeric_key`).
    Decimal(Decimal),
}

/// The number a `Decimal` is: an int where integral, the float it equals exactly where one
/// does (`Decimal("1.5") == 1.5`, `Decimal("1.1") != 1.1`), else itself.
fn decimal_number(decimal: &Decimal) -> Number {
    let key = decimal.numeric_key();
    let sign = |magnitude: f64| {
        if decimal.negative {
            -magnitude
        } else {
            magnitude
        }
    };
    match &key.form {
        DecimalForm::NaN { .. } => Number::Fractional(f64::NAN),
        DecimalForm::Infinity => Number::Fractional(sign(f64::INFINITY)),
        DecimalForm::Finite {
            coefficient,
            exponent,
        } if *exponent >= 0 => {
            let magnitude = BigInt::from(coefficient.clone())
                * BigInt::from(10u8).pow(u32::try_from(*exponent).unwrap_or(u32::MAX));
            Number::Integral(if key.negative { -magnitude } else { magnitude })
        }
        DecimalForm::Finite { .. } => {
            let float: f64 = key.to_string().parse().unwrap_or(f64::NAN);
            if float.is_finite() && exact_decimal(float) == key {
                Number::Fractional(float)
            } else {
                Number::Decimal(key)
            }
        }
    }
}

/// The exact decimal value of a finite float with a fraction (`m × 2^k` is `m·5^-k × 10^k`).
fn exact_decimal(float: f64) -> Decimal {
    let (mantissa, exponent, sign) = num_traits::Float::integer_decode(float);
    if exponent >= 0 {
        return Decimal::finite(false, 0u8, 0);
    }
    let fives = num_bigint::BigUint::from(5u8).pow(u32::from(exponent.unsigned_abs()));
    Decimal::finite(sign < 0, fives * mantissa, i64::from(exponent)).numeric_key()
}

/// Python's equality on the standard-library values that are no numbers, as one key: aware
/// datetimes and times by instant, naive ones by wall time (`fold` ignored), a `timezone` by
/// its offset.
fn std_key(value: &StdValue) -> Option<(u8, i128, String)> {
    Some(match value {
        StdValue::DateTime(dt) => match dt.instant() {
            Some(instant) => (0, instant, String::new()),
            None => (1, dt.local_micros(), String::new()),
        },
        StdValue::Date(date) => (2, i128::from(date.days_since_epoch()), String::new()),
        StdValue::Time(time) => {
            let micros = i128::from(time.micros_of_day());
            match time.offset {
                Some(offset) => (3, micros - i128::from(offset.microseconds), String::new()),
                None => (4, micros, String::new()),
            }
        }
        StdValue::TimeDelta(delta) => (5, delta.microseconds, String::new()),
        StdValue::TimeZone(offset) => (6, i128::from(offset.microseconds), String::new()),
        StdValue::Uuid(uuid) => (7, 0, uuid.to_string()),
        StdValue::Path(path) => (8, 0, path.0.clone()),
        StdValue::Complex(complex) => (
            9,
            0,
            // 0.0 == -0.0 in each part.
            format!("{:?} {:?}", complex.re + 0.0, complex.im + 0.0),
        ),
        StdValue::Decimal(_) => return None,
    })
}

fn number(value: &Value) -> Option<Number> {
    match value {
        Value::Bool(b) => Some(Number::Integral(BigInt::from(u8::from(*b)))),
        Value::Int(i) => Some(Number::Integral(i.clone())),
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 => {
            BigInt::from_f64(*f).map(Number::Integral)
        }
        Value::Float(f) => Some(Number::Fractional(*f)),
        Value::Std(StdValue::Decimal(decimal)) => Some(decimal_number(decimal)),
        Value::Std(StdValue::Complex(complex)) if complex.im == 0.0 => {
            number(&Value::Float(complex.re))
        }
        _ => None,
    }
}

/// Python's `==` on hashable values.
fn py_eq(left: &Value, right: &Value) -> bool {
    if let (Some(a), Some(b)) = (number(left), number(right)) {
        return match (a, b) {
            (Number::Integral(a), Number::Integral(b)) => a == b,
            // NaN equals nothing, an infinity only itself.
            (Number::Fractional(a), Number::Fractional(b)) => a == b,
            (Number::Decimal(a), Number::Decimal(b)) => a == b,
            _ => false,
        };
    }
    match (left, right) {
        (Value::Null, Value::Null) => true,
        (Value::Str(a), Value::Str(b)) => a == b,
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        (Value::Tuple(a), Value::Tuple(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| py_eq(x, y))
        }
        (Value::FrozenSet(a), Value::FrozenSet(b)) => {
            let within = |x: &[Value], y: &[Value]| x.iter().all(|v| y.iter().any(|w| py_eq(v, w)));
            within(a, b) && within(b, a)
        }
        (Value::Object(a), Value::Object(b)) => a == b,
        (Value::Utf16(a), Value::Utf16(b)) => a == b,
        // Complex parts compare as floats do: NaN equal to nothing, 0.0 to -0.0.
        (Value::Std(StdValue::Complex(a)), Value::Std(StdValue::Complex(b))) => {
            a.re == b.re && a.im == b.im
        }
        (Value::Std(a), Value::Std(b)) => std_key(a).is_some_and(|key| Some(key) == std_key(b)),
        _ => false,
    }
}

fn py_hash(value: &Value, state: &mut impl Hasher) {
    match number(value) {
        // Equal numbers hash alike: 1, 1.0 and True are one key.
        Some(Number::Integral(i)) => {
            0u8.hash(state);
            match i.to_i64() {
                Some(small) => small.hash(state),
                None => i.hash(state),
            }
        }
        Some(Number::Fractional(f)) => {
            1u8.hash(state);
            f.to_bits().hash(state);
        }
        Some(Number::Decimal(key)) => (10u8, key.to_string()).hash(state),
        None => match value {
            Value::Null => 2u8.hash(state),
            Value::Str(s) => (3u8, s).hash(state),
            Value::Bytes(b) => (4u8, b).hash(state),
            Value::Tuple(items) => {
                (5u8, items.len()).hash(state);
                items.iter().for_each(|item| py_hash(item, state));
            }
            Value::FrozenSet(items) => {
                // Order-free, and equal elements once: a frozenset holds each key once.
                let mut distinct: Vec<&Value> = Vec::new();
                for item in items {
                    if !distinct.iter().any(|seen| py_eq(seen, item)) {
                        distinct.push(item);
                    }
                }
                let combined = distinct.iter().fold(0u64, |sum, item| {
                    let mut hasher = DefaultHasher::new();
                    py_hash(item, &mut hasher);
                    sum.wrapping_add(hasher.finish())
                });
                (6u8, combined).hash(state);
            }
            Value::Object(object) => (7u8, &object.class).hash(state),
            Value::Utf16(units) => (9u8, units).hash(state),
            Value::Std(std) => (11u8, std_key(std)).hash(state),
            _ => 8u8.hash(state),
        },
    }
}

impl PartialEq for PyKey {
    fn eq(&self, other: &Self) -> bool {
        py_eq(&self.0, &other.0)
    }
}

impl Eq for PyKey {}

impl Hash for PyKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        py_hash(&self.0, state);
    }
}

/// What Python's `repr()` gives for the value. Sets and frozensets are written in canonical
/// order, which Python's (hash order) may not be; an object as `<Class>`.
pub fn py_repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(value, &mut out);
    out
}

fn write_repr(value: &Value, out: &mut String) {
    let items = |items: &[Value], out: &mut String| {
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            write_repr(item, out);
        }
    };
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(s) => quoted(s.chars().map(u32::from), false, out),
        Value::Utf16(units) => quoted(
            char::decode_utf16(units.iter().copied()).map(|unit| match unit {
                Ok(c) => u32::from(c),
                Err(lone) => u32::from(lone.unpaired_surrogate()),
            }),
            false,
            out,
        ),
        Value::Bytes(b) => {
            out.push('b');
            quoted(b.iter().map(|&byte| u32::from(byte)), true, out);
        }
        Value::List(list) => {
            out.push('[');
            items(list, out);
            out.push(']');
        }
        Value::Tuple(tuple) => {
            out.push('(');
            items(tuple, out);
            if tuple.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Value::Set(set) if set.is_empty() => out.push_str("set()"),
        Value::FrozenSet(set) if set.is_empty() => out.push_str("frozenset()"),
        Value::Set(set) | Value::FrozenSet(set) => {
            let frozen = matches!(value, Value::FrozenSet(_));
            if frozen {
                out.push_str("frozenset(");
            }
            out.push('{');
            items(set, out);
            out.push('}');
            if frozen {
                out.push(')');
            }
        }
        Value::Dict(entries) => {
            out.push('{');
            for (index, (key, item)) in entries.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_repr(key, out);
                out.push_str(": ");
                write_repr(item, out);
            }
            out.push('}');
        }
        Value::Object(object) => {
            let _ = write!(out, "<{}>", object.class);
        }
        Value::Ref(name) | Value::Callback(name) => out.push_str(name),
        Value::Std(std) => super::stdlib::repr::write(std, float_repr, out),
    }
}

/// `repr(float)`: the shortest digits that read back the same, in fixed notation for
/// exponents from -4 to 15 and scientific (`1e+16`, `1e-05`) beyond.
fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if f.is_zero() {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: `-1.2345e17`.
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an exponent");
    let exponent: i32 = exponent.parse().expect("an integer exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let text = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (whole, fraction) = digits.split_at(point as usize);
            format!("{whole}.{fraction}")
        };
        format!("{sign}{text}")
    } else {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{sign}{first}{fraction}e{exponent_sign}{:02}",
            exponent.abs()
        )
    }
}

/// A str or bytes literal as `repr` writes it: single quotes unless the text has a single
/// quote and no double quote; `\\`, the quote, `\t`, `\n`, `\r` escaped; other characters
/// Python does not print as `\xNN`, `\uNNNN` or `\UNNNNNNNN` (bytes: every byte outside
/// printable ASCII as `\xNN`).
fn quoted(chars: impl Iterator<Item = u32> + Clone, bytes: bool, out: &mut String) {
    let has = |wanted: char| chars.clone().any(|c| c == u32::from(wanted));
    let quote = if has('\'') && !has('"') { '"' } else { '\'' };
    out.push(quote);
    for code in chars {
        let Some(c) = char::from_u32(code) else {
            // A lone surrogate: Python writes it `\udXXX`.
            let _ = write!(out, "\\u{code:04x}");
            continue;
        };
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            _ if bytes && !(0x20..0x7f).contains(&code) => {
                let _ = write!(out, "\\x{code:02x}");
            }
            c if !bytes && !printable(c) => {
                let _ = match code {
                    0..=0xff => write!(out, "\\x{code:02x}"),
                    0x100..=0xffff => write!(out, "\\u{code:04x}"),
                    _ => write!(out, "\\U{code:08x}"),
                };
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// `str.isprintable()` for one character, for the characters whose category Python's
/// Unicode database makes non-printable and that a crate's data is likely to meet: controls,
/// separators other than the space, format characters, private use, noncharacters.
/// (Unassigned code points are printed here; Python escapes them.)
fn printable(c: char) -> bool {
    let code = u32::from(c);
    !matches!(code,
        0x00..=0x1f | 0x7f..=0xa0 | 0xad
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2 | 0x1680 | 0x180e
        | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064 | 0x2066..=0x206f | 0x3000
        | 0xd800..=0xf8ff | 0xfdd0..=0xfdef | 0xfeff | 0xfff9..=0xfffb | 0xfffe..=0xffff
        | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a
        | 0xe0001 | 0xe0020..=0xe007f | 0xf0000..=0x10ffff)
        && (code & 0xfffe) != 0xfffe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_equal_and_hashed_as_python_has_them() {
        let key = |v: Value| PyKey::new(v).unwrap();
        let hash = |k: &PyKey| {
            let mut hasher = DefaultHasher::new();
            k.hash(&mut hasher);
            hasher.finish()
        };
        let one = [Value::int(1), Value::Float(1.0), Value::Bool(true)].map(key);
        assert!(one.iter().all(|k| *k == one[0] && hash(k) == hash(&one[0])));
        assert_eq!(key(Value::Float(0.0)), key(Value::Float(-0.0)));
        assert_eq!(
            hash(&key(Value::Float(0.0))),
            hash(&key(Value::Float(-0.0)))
        );
        assert_ne!(key(Value::Float(f64::NAN)), key(Value::Float(f64::NAN)));
        assert_ne!(key(Value::str("1")), key(Value::int(1)));
        assert_ne!(key(Value::str("a")), key(Value::Bytes(b"a".to_vec())));
        let pair = |a, b| key(Value::FrozenSet(vec![a, b]));
        assert_eq!(
            pair(Value::int(1), Value::int(2)),
            pair(Value::int(2), Value::Float(1.0))
        );
        assert_eq!(
            PyKey::new(Value::Tuple(vec![Value::List(vec![])])).unwrap_err(),
            "unhashable type: 'list'"
        );
    }

    #[test]
    fn repr_is_what_python_prints() {
        let cases = [
            (Value::Float(1e16), "1e+16"),
            (Value::Float(1e-5), "1e-05"),
            (Value::Float(0.0001), "0.0001"),
            (Value::Float(123456789012345680.0), "1.2345678901234568e+17"),
            (Value::Float(1.5), "1.5"),
            (Value::Float(100.0), "100.0"),
            (Value::Float(-0.0), "-0.0"),
            (Value::Float(f64::NAN), "nan"),
            (Value::str("it's"), "\"it's\""),
            (Value::str("a\u{0}\u{a0}\u{2028}é"), "'a\\x00\\xa0\\u2028é'"),
            (Value::Bytes(b"\n'\x80".to_vec()), "b\"\\n'\\x80\""),
            (Value::Tuple(vec![Value::int(7)]), "(7,)"),
            (Value::Set(vec![]), "set()"),
        ];
        for (value, expected) in cases {
            assert_eq!(py_repr(&value), expected, "{value:?}");
        }
    }
}
