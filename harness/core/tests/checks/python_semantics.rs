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
use pyo3_conformance::__private::{prepare, value_to_python};
use pyo3_conformance::Value;
use pyo3_conformance::model::{PyKey, py_repr};

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
        std_scalar(),
    ]
}

/// Standard-library values, written as fixtures write them, with the collisions Python's
/// equality has: `Decimal("1.5") == 1.5`, `Decimal("2") == 2`, `complex(1, 0) == 1`, an aware
/// datetime equal to another at the same instant, `timezone.utc` and `+00:00`.
fn std_scalar() -> impl Strategy<Value = Value> {
    let tagged = |tag: &'static str, texts: &'static [&'static str]| {
        proptest::sample::select(texts).prop_map(move |text| {
            serde_json::from_str::<Value>(&format!(r#"{{"{tag}": "{text}"}}"#)).unwrap()
        })
    };
    prop_oneof![
        tagged(
            "$decimal",
            &[
                "1.5",
                "1.50",
                "2",
                "2.0",
                "-0",
                "0E+3",
                "0.1",
                "NaN",
                "-Infinity",
                "1E+1",
                "1.10"
            ]
        ),
        tagged(
            "$datetime",
            &[
                "2024-01-01T01:00:00+01:00",
                "2024-01-01T00:00:00+00:00",
                "2024-01-01T00:00:00",
                "2024-01-01T00:00:00 fold=1",
                "2024-02-29T12:30:00.000001-09:30",
            ]
        ),
        tagged("$date", &["2024-02-29", "0001-01-01"]),
        tagged(
            "$time",
            &[
                "12:30:00",
                "12:30:00+01:00",
                "11:30:00+00:00",
                "12:30:00.5 fold=1"
            ]
        ),
        tagged("$timedelta", &["0", "-0.000001", "86400", "1.5"]),
        tagged("$timezone", &["+00:00", "-05:30", "+05:30:15.000001"]),
        tagged(
            "$uuid",
            &[
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                "00000000-0000-0000-0000-000000000000"
            ]
        ),
        tagged("$path", &["a/b", "/", ".", "é ü/x.txt"]),
        proptest::sample::select(vec![
            (1.0, 0.0),
            (1.5, -0.0),
            (0.0, 1.0),
            (-0.0, 2.5),
            (f64::NAN, 1.0),
            (1e16, -1e-5),
            (0.0, -0.0)
        ])
        .prop_map(
            |(re, im)| Value::Std(pyo3_conformance::model::StdValue::Complex(
                pyo3_conformance::model::stdlib::Complex { re, im },
            ))
        ),
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
