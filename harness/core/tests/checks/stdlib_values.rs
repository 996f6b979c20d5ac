//! Standard-library values against the embedded interpreter, on generated values: every
//! value makes the same trip Python → canonical → Python and canonical → JSON → canonical
//! unchanged; its canonical text is what Python writes (`isoformat()`, `str(Decimal)`,
//! `str(UUID)`, `str(Path)`); a value read into a chrono, time, rust_decimal or uuid type
//! through `Std<T>` and back is the same value (where the type holds it); and the seed's
//! seeded-fault shapes (an offset dropped, microseconds cut, an exponent normalised) are
//! divergences the comparator reports.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use pyo3::prelude::*;
use pyo3_conformance::__private::{prepare, python_to_value, value_to_python};
use pyo3_conformance::model::stdlib::{
    Complex, Date, DateTime, Decimal, Path, StdValue, Time, TimeDelta, UtcOffset, Uuid,
};
use pyo3_conformance::model::{CompareOptions, compare, from_value, to_value};
use pyo3_conformance::{Std, Value};

const MICROS_PER_DAY: i64 = 86_400_000_000;

fn offset() -> impl Strategy<Value = Option<UtcOffset>> {
    prop_oneof![
        Just(None),
        (-MICROS_PER_DAY + 1..MICROS_PER_DAY)
            .prop_map(|microseconds| Some(UtcOffset { microseconds })),
        (-1439i64..=1439).prop_map(|minutes| Some(UtcOffset {
            microseconds: minutes * 60_000_000
        })),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    let first = Date::new(1, 1, 1).unwrap().days_since_epoch();
    let last = Date::new(9999, 12, 31).unwrap().days_since_epoch();
    (first..=last).prop_map(|days| Date::from_days_since_epoch(days).unwrap())
}

fn time() -> impl Strategy<Value = Time> {
    (0..MICROS_PER_DAY, offset(), any::<bool>()).prop_map(|(micros, offset, fold)| {
        let clock = DateTime::from_local_micros(i128::from(micros))
            .unwrap()
            .time;
        Time {
            offset,
            fold,
            ..clock
        }
    })
}

fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        4 => (any::<bool>(), any::<u128>(), -40i64..40)
            .prop_map(|(negative, coefficient, exponent)| Decimal::finite(negative, coefficient, exponent)),
        1 => (any::<bool>(), 0u8..3, 0u32..1000).prop_map(|(negative, kind, payload)| {
            let text = match kind {
                0 => "Infinity".to_owned(),
                1 => format!("NaN{payload}"),
                _ => format!("sNaN{payload}"),
            };
            let mut decimal: Decimal = text.parse().unwrap();
            decimal.negative = negative;
            decimal
        }),
    ]
}

fn path() -> impl Strategy<Value = Path> {
    (
        any::<bool>(),
        proptest::collection::vec("[a-z.é_ -]{1,5}", 0..4),
    )
        .prop_map(|(absolute, parts)| {
            Path::from_posix_text(&format!(
                "{}{}",
                if absolute { "/" } else { "" },
                parts.join("/")
            ))
        })
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(-0.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(1e16)
    ]
}

/// Every standard-library kind, over Python's whole range.
fn std_value() -> impl Strategy<Value = StdValue> {
    let timedelta_max = 999_999_999 * i128::from(MICROS_PER_DAY) + i128::from(MICROS_PER_DAY) - 1;
    prop_oneof![
        (date(), time()).prop_map(|(date, time)| StdValue::DateTime(DateTime { date, time })),
        date().prop_map(StdValue::Date),
        time().prop_map(StdValue::Time),
        (-timedelta_max + i128::from(MICROS_PER_DAY) - 1..=timedelta_max)
            .prop_map(|microseconds| StdValue::TimeDelta(TimeDelta { microseconds })),
        offset().prop_map(|offset| StdValue::TimeZone(offset.unwrap_or(UtcOffset::UTC))),
        decimal().prop_map(StdValue::Decimal),
        any::<u128>().prop_map(|bits| StdValue::Uuid(Uuid(bits))),
        path().prop_map(StdValue::Path),
        (float(), float()).prop_map(|(re, im)| StdValue::Complex(Complex { re, im })),
    ]
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    )
}

/// What Python itself writes for the value: the text our tag carries.
fn python_text(object: &Bound<'_, PyAny>, value: &StdValue) -> Option<String> {
    let text = |method: &str| -> String { object.call_method0(method).unwrap().extract().unwrap() };
    Some(match value {
        StdValue::DateTime(at) => {
            // isoformat() with seconds always written, as the canonical text has them.
            let iso: String = object
                .call_method1("isoformat", ("T", "seconds"))
                .unwrap()
                .extract()
                .unwrap();
            let micro = if at.time.microsecond != 0 {
                text("isoformat")
            } else {
                iso
            };
            let fold = if at.time.fold { " fold=1" } else { "" };
            format!("{micro}{fold}")
        }
        StdValue::Date(_) => text("isoformat"),
        StdValue::Decimal(_) | StdValue::Uuid(_) | StdValue::Path(_) => {
            object.str().unwrap().to_string()
        }
        _ => return None,
    })
}

#[test]
fn standard_library_values_round_trip_through_python_and_json_and_read_as_python_writes_them() {
    prepare(None).unwrap();
    Python::attach(|py| {
        runner(4_000)
            .run(&std_value(), |std| {
                let value = Value::Std(std.clone());
                let object = value_to_python(py, &value).unwrap();
                let back = python_to_value(&object).unwrap();
                prop_assert_eq!(&back, &value);
                // And again from the object Python made of it: Python → canonical → Python.
                let again = value_to_python(py, &back).unwrap();
                let same_repr =
                    object.repr().unwrap().to_string() == again.repr().unwrap().to_string();
                prop_assert!(
                    same_repr,
                    "{} vs {}",
                    object.repr().unwrap(),
                    again.repr().unwrap()
                );
                let json: Value = serde_json::from_str(&value.to_json_string()).unwrap();
                prop_assert_eq!(&json, &value);
                if let Some(python) = python_text(&object, &std) {
                    prop_assert_eq!(std.to_string(), python);
                }
                Ok(())
            })
            .unwrap();
    });
}

/// `value` read into `T` and written back, where `T` holds it.
fn through<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> Option<Value> {
    let rust: T = from_value(value.clone()).ok()?;
    Some(to_value(&rust).unwrap())
}

#[test]
fn rust_types_read_and_write_canonical_values_unchanged() {
    let read = std::cell::Cell::new(0usize);
    runner(4_000)
        .run(&std_value(), |std| {
            let value = Value::Std(std.clone());
            let trips = match &std {
                StdValue::DateTime(at) if at.time.offset.is_some() && !at.time.fold => vec![
                    through::<Std<chrono::DateTime<chrono::FixedOffset>>>(&value),
                    through::<Std<time::OffsetDateTime>>(&value),
                ],
                StdValue::DateTime(at) if !at.time.fold => vec![
                    through::<Std<chrono::NaiveDateTime>>(&value),
                    through::<Std<time::PrimitiveDateTime>>(&value),
                ],
                StdValue::Date(_) => vec![
                    through::<Std<chrono::NaiveDate>>(&value),
                    through::<Std<time::Date>>(&value),
                ],
                StdValue::TimeDelta(_) => vec![
                    through::<Std<chrono::TimeDelta>>(&value),
                    through::<Std<time::Duration>>(&value),
                ],
                StdValue::Decimal(_) => vec![through::<Std<rust_decimal::Decimal>>(&value)],
                StdValue::Uuid(_) => vec![through::<Std<uuid::Uuid>>(&value)],
                StdValue::Path(_) => vec![through::<Std<std::path::PathBuf>>(&value)],
                StdValue::Complex(_) => vec![through::<Std<num_complex::Complex64>>(&value)],
                _ => vec![],
            };
            for (index, trip) in trips.into_iter().enumerate() {
                if let Some(back) = trip {
                    if index == 0 {
                        read.set(read.get() + 1);
                    }
                    prop_assert_eq!(&back, &value);
                }
            }
            Ok(())
        })
        .unwrap();
    // Most values fit: the round trips above are not vacuous.
    assert!(read.get() > 1_000, "{}", read.get());
}

fn diverges(left: &str, right: &str) -> Vec<String> {
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    compare(
        &parse(left),
        &parse(right),
        &CompareOptions::default(),
        ("rust", "python"),
    )
    .into_iter()
    .map(|difference| difference.reason)
    .collect()
}

#[test]
fn the_seeded_fault_shapes_are_divergences() {
    let at = r#"{"$datetime": "2024-02-29T00:15:00.000001+05:30"}"#;
    assert_eq!(
        diverges(at, r#"{"$datetime": "2024-02-28T18:45:00.000001+00:00"}"#),
        [
            "2024-02-29T00:15:00.000001+05:30 on rust, 2024-02-28T18:45:00.000001+00:00 on python \
          (the same instant at another UTC offset)"
        ]
    );
    assert_eq!(
        diverges(at, r#"{"$datetime": "2024-02-29T00:15:00+05:30"}"#).len(),
        1
    );
    assert_eq!(
        diverges(r#"{"$decimal": "1.10"}"#, r#"{"$decimal": "1.1"}"#),
        ["1.10 on rust, 1.1 on python (the same number, written with another exponent)"]
    );
    // Leap days and complex zeros are values like any other.
    assert!(diverges(r#"{"$date": "2024-02-29"}"#, r#"{"$date": "2024-02-29"}"#).is_empty());
    assert_eq!(
        diverges(
            r#"{"$complex": [1.0, 0.0]}"#,
            r#"{"$complex": [1.0, -0.0]}"#
        )
        .len(),
        1
    );
}
