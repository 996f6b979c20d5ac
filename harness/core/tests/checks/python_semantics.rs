//! `PyKey` and `py_repr` against the embedded interpreter, on generated values: two keys are
//! equal exactly where Python's `==` says so (and then hash alike), and `py_repr(v)` is
//! `repr(v)`. Strings are drawn from controls, printable ASCII, Latin-1, some other scripts
//! and the separators and format characters Python escapes; unassigned code points, whose
//! printability depends on Python's Unicode version, are left out. Sets are left out of the
//! `repr` half (Python writes them in hash order).

use std::hash::{DefaultHasher, Hash, Hasher};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use pyo3::prelude::*;
use pyo3_conformance::model::{PyKey, py_repr};
use pyo3_conformance::{Value, prepare, value_to_python};

fn text() -> impl Strategy<Value = String> {
    "[\\x00-\\x1f a-z'\"\\\\\\x7f-\\xff\u{0100}-\u{024f}\u{0391}-\u{03a1}\u{03a3}-\u{03c9}\u{4e00}-\u{4e10}\u{2000}-\u{2030}\u{feff}]{0,6}"
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(Value::int),
        any::<i64>().prop_map(Value::int),
        (-3i64..3).prop_map(|i| Value::Float(i as f64)),
        prop_oneof![
            Just(-0.0),
            Just(f64::INFINITY),
            Just(1e16),
            Just(1e-5),
            Just(0.1),
            any::<f64>()
        ]
        .prop_map(Value::Float),
        text().prop_map(Value::Str),
        proptest::collection::vec(any::<u8>(), 0..4).prop_map(Value::Bytes),
    ]
}

/// Hashable values: scalars, tuples and frozensets of them.
fn hashable() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Tuple),
            proptest::collection::vec(inner, 0..3).prop_map(Value::FrozenSet),
        ]
    })
}

/// Values whose `repr` Python writes in a fixed order: no sets.
fn ordered() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::List),
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Tuple),
            proptest::collection::vec((text(), inner), 0..3).prop_map(|entries| {
                let mut seen = std::collections::BTreeSet::new();
                Value::Dict(
                    entries
                        .into_iter()
                        .filter(|(key, _)| seen.insert(key.clone()))
                        .map(|(key, value)| (Value::Str(key), value))
                        .collect(),
                )
            }),
        ]
    })
}

fn runner() -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases: 2_000,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    )
}

fn hash(key: &PyKey) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

#[test]
fn keys_are_equal_where_python_says_so_and_then_hash_alike() {
    prepare(None).unwrap();
    Python::attach(|py| {
        runner()
            .run(&(hashable(), hashable()), |(a, b)| {
                let python = value_to_python(py, &a)
                    .unwrap()
                    .eq(value_to_python(py, &b).unwrap())
                    .unwrap();
                let (x, y) = (
                    PyKey::new(a.clone()).unwrap(),
                    PyKey::new(b.clone()).unwrap(),
                );
                prop_assert_eq!(x == y, python, "{:?} == {:?}", a, b);
                if python {
                    prop_assert_eq!(hash(&x), hash(&y), "{:?} and {:?}", a, b);
                }
                // And each key equals itself where Python's does (all but NaN inside).
                let same = value_to_python(py, &a).unwrap();
                let reflexive =
                    same.eq(&same).unwrap() && same.eq(value_to_python(py, &a).unwrap()).unwrap();
                prop_assert_eq!(x == PyKey::new(a.clone()).unwrap(), reflexive, "{:?}", a);
                Ok(())
            })
            .unwrap();
    });
}

#[test]
fn repr_is_what_python_prints() {
    prepare(None).unwrap();
    Python::attach(|py| {
        runner()
            .run(&ordered(), |value| {
                let python: String = value_to_python(py, &value)
                    .unwrap()
                    .repr()
                    .unwrap()
                    .extract()
                    .unwrap();
                prop_assert_eq!(py_repr(&value), python, "{:?}", value);
                Ok(())
            })
            .unwrap();
    });
}
