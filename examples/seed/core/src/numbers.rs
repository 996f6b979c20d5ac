//! Free functions, one per value kind the harness must carry faithfully: big and fixed-width
//! integers, IEEE floats with their special values, bytes, tuples, sets and non-string keys.

use std::collections::{BTreeMap, BTreeSet};

use num_bigint::BigUint;

use crate::SeedError;

/// `a * b` on 64-bit integers, failing instead of wrapping.
pub fn checked_mul(a: i64, b: i64) -> Result<i64, SeedError> {
    a.checked_mul(b).ok_or(SeedError::Overflow {
        operation: "checked_mul",
    })
}

/// The `n`th Fibonacci number, exact at any size.
pub fn fibonacci(n: u32) -> BigUint {
    let (mut current, mut next) = (BigUint::from(0u32), BigUint::from(1u32));
    for _ in 0..n {
        let sum = &current + &next;
        current = std::mem::replace(&mut next, sum);
    }
    current
}

/// Multiplies each value by `factor`, then rounds to `digits` decimal places if given.
///
/// NaN, infinities and the sign of zero pass through untouched when no rounding is asked for.
pub fn scale(values: &[f64], factor: f64, digits: Option<i32>) -> Vec<f64> {
    values
        .iter()
        .map(|value| {
            let scaled = value * factor;
            match digits {
                Some(digits) => {
                    let unit = 10f64.powi(digits);
                    (scaled * unit).round() / unit
                }
                None => scaled,
            }
        })
        .collect()
}

/// A word for the IEEE class of `x`: `nan`, `inf`, `-inf`, `-zero`, `zero`, `subnormal`, `normal`.
pub fn classify_float(x: f64) -> &'static str {
    match x {
        x if x.is_nan() => "nan",
        f64::INFINITY => "inf",
        f64::NEG_INFINITY => "-inf",
        0.0 if x.is_sign_negative() => "-zero",
        0.0 => "zero",
        x if x.is_subnormal() => "subnormal",
        _ => "normal",
    }
}

/// Decodes UTF-8, reporting the offset of the first invalid byte.
pub fn decode_utf8(data: &[u8]) -> Result<String, SeedError> {
    std::str::from_utf8(data)
        .map(str::to_owned)
        .map_err(|error| SeedError::InvalidUtf8 {
            position: error.valid_up_to(),
        })
}

/// The entries of an int-keyed map as `(key, value)` pairs, sorted by key.
pub fn pairs(map: &BTreeMap<i64, String>) -> Vec<(i64, String)> {
    map.iter()
        .map(|(key, value)| (*key, value.clone()))
        .collect()
}

/// Swaps keys and values: each value maps to the sorted keys that held it.
pub fn invert(map: &BTreeMap<String, i64>) -> BTreeMap<i64, Vec<String>> {
    let mut inverted: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (key, value) in map {
        inverted.entry(*value).or_default().push(key.clone());
    }
    inverted
}

/// Groups words by their length in characters (code points, as Python's `len`).
pub fn group_by_length(words: &[String]) -> BTreeMap<usize, BTreeSet<String>> {
    let mut groups: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for word in words {
        groups
            .entry(word.chars().count())
            .or_default()
            .insert(word.clone());
    }
    groups
}

/// The distinct items.
pub fn unique(items: &[i64]) -> BTreeSet<i64> {
    items.iter().copied().collect()
}

/// The distinct items, as an immutable set on the Python side.
pub fn unique_frozen(items: &[String]) -> BTreeSet<String> {
    items.iter().cloned().collect()
}
