//! Strategies over canonical values of the builtin types, built from a parameter's type and
//! constraints, that always reach the edges where divergences live.
//!
//! Random draws rarely hit the values bindings get wrong, so every strategy mixes in a fixed
//! list of edges (about one case in ten): ints at 0, ±1, the 64- and 128-bit bounds and
//! beyond them; floats at NaN, ±inf, -0.0, subnormals and the extremes; strings empty,
//! non-ASCII, astral, with a NUL, and shaped like the tagged encoding's keys (`$int`), which
//! also makes dict keys start with `$`. Constraints narrow the edges with the values: a
//! `min`/`max` keeps the edges within them (and drops NaN and the infinities), `finite` drops
//! NaN and the infinities, `min_len`/`max_len` the strings of other lengths, `regex` and
//! `one_of` replace them. Standard-library types live in `stdlib`.

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{Just, Union};
use pyo3_conformance_model::{Constraints, Value};

use super::types::Ty;

/// Default collection sizes and string lengths.
const DEFAULT_LEN: (usize, usize) = (0, 8);

/// Integers a property run always tries that fit 64 bits: the edges of fixed widths.
fn edge_ints() -> Vec<i64> {
    vec![
        0,
        1,
        -1,
        i64::MAX,
        i64::MIN,
        i32::MAX.into(),
        i32::MIN.into(),
        u32::MAX.into(),
    ]
}

/// Integers a property run always tries beyond 64 bits, either side: unsigned 64-bit and
/// 128-bit bounds, one past the signed bounds, and beyond 128 bits.
fn edge_ints_beyond_64_bits() -> Vec<Value> {
    let big = |text: &str| Value::Int(text.parse().expect("a valid integer"));
    let mut edges = vec![
        Value::int(u64::MAX),
        Value::int(i128::MAX),
        Value::int(i128::MIN),
        Value::int(u128::MAX),
    ];
    edges.extend(
        [
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "340282366920938463463374607431768211456",
            "-170141183460469231731687303715884105729",
            "-1000000000000000000000000000000",
        ]
        .into_iter()
        .map(big),
    );
    edges
}

/// Floats a property run always tries.
fn edge_floats() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        f64::EPSILON,
        // Subnormals: the smallest, and the largest.
        f64::from_bits(1),
        -f64::from_bits(1),
        f64::from_bits(0x000F_FFFF_FFFF_FFFF),
        // The first integer a float cannot hold exactly, and a float that prints as an int.
        9_007_199_254_740_993.0,
        1e16,
        0.1,
    ]
}

/// Strings a property run always tries.
fn edge_strings() -> Vec<&'static str> {
    vec![
        "",
        " ",
        "a",
        "é",
        "naïve",
        "日本語",
        "😀",
        "\u{10FFFF}",
        "e\u{301}",
        "\u{FEFF}",
        "\0",
        "line\nbreak",
        "$",
        "$int",
        "$bytes",
        "$ref",
    ]
}

fn lengths(constraints: &Constraints) -> std::ops::RangeInclusive<usize> {
    let min = constraints.min_len.unwrap_or(DEFAULT_LEN.0);
    min..=constraints.max_len.unwrap_or(DEFAULT_LEN.1.max(min))
}

/// One of `parts`, chosen by weight. Unlike `prop_oneof!`, every part draws a value and a
/// roll picks one: proptest's unions keep a lazily generated tree per other branch, each with
/// a clone of the runner and a fresh RNG, which cost more than drawing a number or two. The
/// roll shrinks toward the first part, whose value then shrinks as usual.
fn weighted(parts: Vec<(u32, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let total: u32 = parts.iter().map(|(weight, _)| weight).sum();
    let (weights, strategies): (Vec<u32>, Vec<BoxedStrategy<Value>>) = parts.into_iter().unzip();
    (0..total, strategies)
        .prop_map(move |(roll, mut drawn)| {
            let mut left = roll;
            let chosen = weights
                .iter()
                .position(|weight| {
                    let here = left < *weight;
                    left = left.saturating_sub(*weight);
                    here
                })
                .unwrap_or(0);
            drawn.swap_remove(chosen)
        })
        .boxed()
}

/// Random draws, with the edges that fit mixed in (one in ten) where any fit.
fn with_edges(random: BoxedStrategy<Value>, edges: Vec<Value>) -> BoxedStrategy<Value> {
    if edges.is_empty() {
        return random;
    }
    weighted(vec![(9, random), (1, select(edges).boxed())])
}

fn ints(constraints: &Constraints) -> BoxedStrategy<Value> {
    let (min, max) = (constraints.min, constraints.max);
    if min.is_none() && max.is_none() {
        return Ints::new(i64::MIN, i64::MAX, edge_ints(), edge_ints_beyond_64_bits()).boxed();
    }
    // Bounds are written as JSON numbers; beyond ±2**53 they are approximate.
    let (low, high) = (
        min.unwrap_or(i64::MIN as f64) as i64,
        max.unwrap_or(i64::MAX as f64) as i64,
    );
    let edges = vec![
        0,
        1,
        -1,
        low,
        high,
        low.saturating_add(1),
        high.saturating_sub(1),
    ];
    Ints::new(low, high, edges, Vec::new()).boxed()
}

/// Ints of `low..=high`: six draws in ten uniform, two near zero, two an edge (0, ±1, the
/// bounds of fixed widths, the range's own ends, and ints beyond 64 bits where the range is
/// unbounded). Whatever it starts from, a draw shrinks by binary search toward the value of
/// the range nearest zero, so a failing edge shrinks to the smallest failing value as a
/// random draw does. One tree of plain numbers per value: no union of boxed trees.
#[derive(Debug, Clone)]
struct Ints {
    low: i64,
    high: i64,
    edges: std::sync::Arc<[i64]>,
    beyond: std::sync::Arc<[Value]>,
}

impl Ints {
    fn new(low: i64, high: i64, edges: Vec<i64>, beyond: Vec<Value>) -> Self {
        let edges: Vec<i64> = edges
            .into_iter()
            .filter(|n| (low..=high).contains(n))
            .collect();
        Self {
            low,
            high,
            edges: edges.into(),
            beyond: beyond.into(),
        }
    }

    /// The value of the range nearest zero, where every draw shrinks to.
    fn anchor(&self) -> i64 {
        0.clamp(self.low, self.high)
    }
}

impl Strategy for Ints {
    type Tree = IntTree;
    type Value = Value;

    fn new_tree(
        &self,
        runner: &mut proptest::test_runner::TestRunner,
    ) -> proptest::strategy::NewTree<Self> {
        use proptest::prelude::RngExt;
        let rng = runner.rng();
        let edge_count = self.edges.len() + self.beyond.len();
        let start = match rng.random_range(0u8..10) {
            6..=7 => rng.random_range(-100i64..100).clamp(self.low, self.high),
            8..=9 if edge_count > 0 => {
                let pick = rng.random_range(0..edge_count);
                match self.edges.get(pick) {
                    Some(edge) => *edge,
                    None => {
                        return Ok(IntTree::Beyond(
                            self.beyond[pick - self.edges.len()].clone(),
                        ));
                    }
                }
            }
            _ => rng.random_range(self.low..=self.high),
        };
        let anchor = self.anchor();
        Ok(IntTree::Searching {
            anchor,
            // Both on the anchor's side of zero: the difference fits.
            search: proptest::num::i64::BinarySearch::new(start - anchor),
        })
    }
}

/// A drawn int and how it shrinks.
#[derive(Debug, Clone)]
enum IntTree {
    Searching {
        anchor: i64,
        search: proptest::num::i64::BinarySearch,
    },
    /// An int beyond 64 bits: kept as drawn.
    Beyond(Value),
}

impl proptest::strategy::ValueTree for IntTree {
    type Value = Value;

    fn current(&self) -> Value {
        match self {
            Self::Searching { anchor, search } => Value::int(anchor + search.current()),
            Self::Beyond(value) => value.clone(),
        }
    }

    fn simplify(&mut self) -> bool {
        match self {
            Self::Searching { search, .. } => search.simplify(),
            Self::Beyond(_) => false,
        }
    }

    fn complicate(&mut self) -> bool {
        match self {
            Self::Searching { search, .. } => search.complicate(),
            Self::Beyond(_) => false,
        }
    }
}

fn floats(constraints: &Constraints) -> BoxedStrategy<Value> {
    let (min, max) = (constraints.min, constraints.max);
    let finite = constraints.finite || min.is_some() || max.is_some();
    let (low, high) = (min.unwrap_or(f64::MIN), max.unwrap_or(f64::MAX));
    let edges: Vec<Value> = edge_floats()
        .into_iter()
        .chain([low, high])
        .filter(|x| {
            if x.is_finite() {
                (low..=high).contains(x)
            } else {
                !finite
            }
        })
        .map(Value::Float)
        .collect();
    let (wide, near): (BoxedStrategy<Value>, BoxedStrategy<Value>) = if finite {
        (
            (low..=high).prop_map(Value::Float).boxed(),
            (low.max(-1000.0)..=high.min(1000.0).max(low.max(-1000.0)))
                .prop_map(Value::Float)
                .boxed(),
        )
    } else {
        (
            proptest::num::f64::ANY.prop_map(Value::Float).boxed(),
            (-1000.0f64..1000.0).prop_map(Value::Float).boxed(),
        )
    };
    weighted(vec![(6, wide), (2, near), (2, select(edges).boxed())])
}

fn strings(constraints: &Constraints) -> Result<BoxedStrategy<Value>, String> {
    if let Some(regex) = &constraints.regex {
        return Ok(proptest::string::string_regex(regex)
            .map_err(|e| format!("bad regex {regex:?}: {e}"))?
            .prop_map(Value::Str)
            .boxed());
    }
    let len = lengths(constraints);
    let edges = edge_strings()
        .into_iter()
        .filter(|s| len.contains(&s.chars().count()))
        .map(Value::str)
        .collect();
    let random = prop_oneof![
        // Any code point, astral ones included.
        1 => proptest::collection::vec(any::<char>(), len.clone())
            .prop_map(|chars| Value::Str(chars.into_iter().collect())),
        // Mostly ASCII, as keys and names usually are.
        1 => proptest::collection::vec(proptest::char::range(' ', '~'), len)
            .prop_map(|chars| Value::Str(chars.into_iter().collect())),
    ]
    .boxed();
    Ok(with_edges(random, edges))
}

/// A strategy for values of `ty`; `constraints` apply at the top level.
pub(crate) fn values(ty: &Ty, constraints: &Constraints) -> Result<BoxedStrategy<Value>, String> {
    if let Some(options) = &constraints.one_of {
        if options.is_empty() {
            return Err("`one_of` is empty".to_owned());
        }
        return Ok(select(options.clone()).boxed());
    }
    let none = Constraints::default();
    let len = lengths(constraints);
    Ok(match ty {
        Ty::None => Just(Value::Null).boxed(),
        Ty::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Ty::Int => ints(constraints),
        Ty::Float => floats(constraints),
        Ty::Str => strings(constraints)?,
        Ty::Bytes => with_edges(
            proptest::collection::vec(any::<u8>(), len.clone())
                .prop_map(Value::Bytes)
                .boxed(),
            [&b""[..], b"\0", b"\xff\xfe", b"\x80"]
                .into_iter()
                .filter(|b| len.contains(&b.len()))
                .map(|b| Value::Bytes(b.to_vec()))
                .collect(),
        ),
        Ty::List(item) => proptest::collection::vec(values(item, &none)?, len)
            .prop_map(Value::List)
            .boxed(),
        Ty::Set(item) => proptest::collection::vec(values(item, &none)?, len)
            .prop_map(|v| Value::Set(dedup(v)))
            .boxed(),
        Ty::FrozenSet(item) => proptest::collection::vec(values(item, &none)?, len)
            .prop_map(|v| Value::FrozenSet(dedup(v)))
            .boxed(),
        Ty::TupleOf(item) => proptest::collection::vec(values(item, &none)?, len)
            .prop_map(Value::Tuple)
            .boxed(),
        Ty::Tuple(items) => {
            let parts = items
                .iter()
                .map(|item| values(item, &none))
                .collect::<Result<Vec<_>, _>>()?;
            parts.prop_map(Value::Tuple).boxed()
        }
        Ty::Dict(key, value) => {
            proptest::collection::vec((values(key, &none)?, values(value, &none)?), len)
                .prop_map(|entries| {
                    let mut unique: Vec<(Value, Value)> = Vec::with_capacity(entries.len());
                    for (key, value) in entries {
                        if !unique.iter().any(|(k, _)| *k == key) {
                            unique.push((key, value));
                        }
                    }
                    Value::Dict(unique)
                })
                .boxed()
        }
        Ty::Union(options) => {
            let strategies = options
                .iter()
                .map(|option| values(option, &none))
                .collect::<Result<Vec<_>, _>>()?;
            Union::new(strategies).boxed()
        }
        Ty::Std(ty) => super::stdlib::values(*ty, constraints)?,
    })
}

fn dedup(items: Vec<Value>) -> Vec<Value> {
    let mut unique: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;

    fn sample(ty: Ty, constraints: &Constraints, n: usize) -> Vec<Value> {
        let strategy = values(&ty, constraints).expect("a strategy");
        let mut runner = TestRunner::deterministic();
        (0..n)
            .map(|_| strategy.new_tree(&mut runner).expect("a value").current())
            .collect()
    }

    #[test]
    fn floats_reach_nan_infinities_negative_zero_subnormals_and_extremes() {
        let drawn = sample(Ty::Float, &Constraints::default(), 3000);
        let has =
            |f: &dyn Fn(f64) -> bool| drawn.iter().any(|v| matches!(v, Value::Float(x) if f(*x)));
        assert!(has(&|x| x.is_nan()));
        assert!(has(&|x| x == f64::INFINITY) && has(&|x| x == f64::NEG_INFINITY));
        assert!(has(&|x| x == 0.0 && x.is_sign_negative()));
        assert!(has(&|x| x != 0.0 && x.is_subnormal()));
        assert!(has(&|x| x == f64::MAX) && has(&|x| x == f64::MIN));
    }

    #[test]
    fn float_constraints_exclude_the_edges_they_rule_out() {
        let finite = Constraints {
            finite: true,
            ..Constraints::default()
        };
        let drawn = sample(Ty::Float, &finite, 2000);
        assert!(
            drawn
                .iter()
                .all(|v| matches!(v, Value::Float(x) if x.is_finite()))
        );
        let ranged = Constraints {
            min: Some(0.0),
            max: Some(1.0),
            ..Constraints::default()
        };
        let drawn = sample(Ty::Float, &ranged, 2000);
        assert!(
            drawn
                .iter()
                .all(|v| matches!(v, Value::Float(x) if (0.0..=1.0).contains(x)))
        );
        assert!(drawn.contains(&Value::Float(1.0)));
    }

    #[test]
    fn ints_reach_the_64_and_128_bit_bounds_and_beyond() {
        let drawn = sample(Ty::Int, &Constraints::default(), 3000);
        for edge in [
            "0",
            "1",
            "-1",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            assert!(drawn.contains(&Value::Int(edge.parse().unwrap())), "{edge}");
        }
        let beyond_128: num_bigint::BigInt = u128::MAX.into();
        assert!(drawn.contains(&Value::Int(i128::MAX.into())));
        assert!(
            drawn
                .iter()
                .any(|v| matches!(v, Value::Int(n) if *n > beyond_128))
        );
    }

    #[test]
    fn strings_reach_empty_non_ascii_astral_and_dollar_keys() {
        let drawn = sample(Ty::Str, &Constraints::default(), 3000);
        let has =
            |f: &dyn Fn(&str) -> bool| drawn.iter().any(|v| matches!(v, Value::Str(s) if f(s)));
        assert!(has(&|s| s.is_empty()));
        assert!(has(&|s| !s.is_ascii()));
        assert!(has(&|s| s.chars().any(|c| u32::from(c) > 0xFFFF)));
        let dicts = sample(
            Ty::Dict(Box::new(Ty::Str), Box::new(Ty::Int)),
            &Constraints::default(),
            3000,
        );
        assert!(dicts.iter().any(|v| matches!(v, Value::Dict(entries)
            if entries.iter().any(|(k, _)| matches!(k, Value::Str(s) if s.starts_with('$'))))));
    }
}
