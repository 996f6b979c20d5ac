//! Strategies over standard-library values, within what both sides can hold by default:
//! years 1–9999 (Python's `datetime`), UTC offsets in whole minutes within ±23:59 (chrono's
//! and time's offsets hold whole seconds, Python's any), microseconds (Python's resolution),
//! timedeltas within Python's ±999,999,999 days, decimals of at most 18 digits (rust_decimal
//! holds 28) with exponents −18 to +3, plus the specials (`NaN`, `-Infinity`, `-0`) a decimal
//! type may refuse. Each always tries its edges: leap days, the first and last day, midnight,
//! the largest offsets, zero durations. A manifest narrows them with `range` (two canonical
//! values of the type) and `aware` (`datetime`/`time`); `one_of` and custom strategies as for
//! any type.

use proptest::prelude::*;
use proptest::sample::select;
use pyo3_conformance_model::stdlib::{
    Complex, Date, DateTime, Decimal, DecimalForm, Path, StdValue, Time, TimeDelta, UtcOffset, Uuid,
};
use pyo3_conformance_model::{Constraints, Value};

use super::types::StdTy;

const MICROS_PER_DAY: i128 = 86_400_000_000;
/// Python's `timedelta.max`, in microseconds.
const TIMEDELTA_MAX: i128 = 999_999_999 * MICROS_PER_DAY + MICROS_PER_DAY - 1;
const OFFSET_MAX_MINUTES: i64 = 23 * 60 + 59;

fn std(value: StdValue) -> Value {
    Value::Std(value)
}

/// The `range` constraint, read as two values of one kind through `read`.
fn range_of<T>(
    constraints: &Constraints,
    what: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Result<Option<(T, T)>, String> {
    let Some((low, high)) = &constraints.range else {
        return Ok(None);
    };
    match (read(low), read(high)) {
        (Some(low), Some(high)) => Ok(Some((low, high))),
        _ => Err(format!(
            "`range` of a {what} parameter takes two {what} values"
        )),
    }
}

fn first_date() -> Date {
    Date::new(1, 1, 1).expect("a date")
}

fn last_date() -> Date {
    Date::new(9999, 12, 31).expect("a date")
}

fn days(range: (Date, Date)) -> BoxedStrategy<Date> {
    let (low, high) = (range.0.days_since_epoch(), range.1.days_since_epoch());
    let edges: Vec<Date> = ["2000-02-29", "1900-02-28", "2024-02-29", "1970-01-01"]
        .iter()
        .map(|text| text.parse().expect("an edge date"))
        .chain([range.0, range.1])
        .filter(|date: &Date| (low..=high).contains(&date.days_since_epoch()))
        .collect();
    prop_oneof![
        6 => (low..=high).prop_map(|days| Date::from_days_since_epoch(days).expect("in range")),
        1 => select(edges),
    ]
    .boxed()
}

fn offsets() -> BoxedStrategy<UtcOffset> {
    prop_oneof![
        6 => (-OFFSET_MAX_MINUTES..=OFFSET_MAX_MINUTES)
            .prop_map(|minutes| UtcOffset { microseconds: minutes * 60_000_000 }),
        1 => select(vec![0, OFFSET_MAX_MINUTES, -OFFSET_MAX_MINUTES, 330, -570])
            .prop_map(|minutes| UtcOffset { microseconds: minutes * 60_000_000 }),
    ]
    .boxed()
}

/// An offset, or none, as `aware` allows.
fn maybe_offset(aware: Option<bool>) -> BoxedStrategy<Option<UtcOffset>> {
    match aware {
        Some(true) => offsets().prop_map(Some).boxed(),
        Some(false) => Just(None).boxed(),
        None => prop_oneof![Just(None), offsets().prop_map(Some)].boxed(),
    }
}

fn clock(low: i64, high: i64, aware: Option<bool>) -> BoxedStrategy<Time> {
    let micros = prop_oneof![
        6 => (low..=high).boxed(),
        1 => select(vec![low, high]).boxed(),
        1 => (low / 1_000_000..=high / 1_000_000).prop_map(|seconds| seconds * 1_000_000).boxed(),
    ];
    (micros, maybe_offset(aware), proptest::bool::weighted(0.1))
        .prop_map(|(micros, offset, fold)| {
            let midnight = DateTime::from_local_micros(i128::from(micros)).expect("one day");
            Time {
                offset,
                fold,
                ..midnight.time
            }
        })
        .boxed()
}

fn decimals() -> BoxedStrategy<Decimal> {
    let finite = (any::<bool>(), 0u64..1_000_000_000_000_000_000, -18i64..=3).prop_map(
        |(negative, coefficient, exponent)| Decimal::finite(negative, coefficient, exponent),
    );
    let edges: Vec<Decimal> = [
        "0",
        "-0",
        "1.10",
        "0E-8",
        "1E+3",
        "-0.000001",
        "999999999999999999",
    ]
    .iter()
    .map(|text| text.parse().expect("an edge decimal"))
    .collect();
    let specials: Vec<Decimal> = ["NaN", "-Infinity", "Infinity"]
        .iter()
        .map(|text| text.parse().expect("a special decimal"))
        .collect();
    prop_oneof![8 => finite, 2 => select(edges), 1 => select(specials)].boxed()
}

fn decimals_between(low: Decimal, high: Decimal) -> Result<BoxedStrategy<Decimal>, String> {
    // Between two finite decimals, at the finer of their two exponents.
    let parts = |decimal: &Decimal| match &decimal.form {
        DecimalForm::Finite {
            coefficient,
            exponent,
        } => {
            let magnitude = i128::try_from(coefficient.clone()).ok()?;
            Some((
                if decimal.negative {
                    -magnitude
                } else {
                    magnitude
                },
                *exponent,
            ))
        }
        _ => None,
    };
    let ((low_units, low_exp), (high_units, high_exp)) = parts(&low)
        .zip(parts(&high))
        .ok_or("`range` of a Decimal takes two finite decimals of at most 38 digits")?;
    let exponent = low_exp.min(high_exp);
    let scale = |units: i128, from: i64| {
        10i128
            .checked_pow(u32::try_from(from - exponent).unwrap_or(u32::MAX))
            .and_then(|factor| units.checked_mul(factor))
    };
    let (low, high) = scale(low_units, low_exp)
        .zip(scale(high_units, high_exp))
        .ok_or("`range` of a Decimal spans more digits than 38")?;
    Ok((low..=high)
        .prop_map(move |units| Decimal::finite(units < 0, units.unsigned_abs(), exponent))
        .boxed())
}

fn paths() -> BoxedStrategy<Path> {
    let part = prop_oneof![
        4 => "[a-z0-9_]{1,8}",
        1 => "[a-z]{1,4}\\.[a-z]{1,3}",
        1 => Just("..".to_owned()),
        1 => "[é😀 -]{1,3}",
    ];
    (any::<bool>(), proptest::collection::vec(part, 0..4))
        .prop_map(|(absolute, parts)| {
            Path::from_posix_text(&format!(
                "{}{}",
                if absolute { "/" } else { "" },
                parts.join("/")
            ))
        })
        .boxed()
}

fn floats() -> BoxedStrategy<f64> {
    prop_oneof![
        4 => proptest::num::f64::ANY,
        1 => select(vec![0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
    ]
    .boxed()
}

/// A strategy for values of the standard-library type `ty`.
pub(crate) fn values(ty: StdTy, constraints: &Constraints) -> Result<BoxedStrategy<Value>, String> {
    let aware = constraints.aware;
    Ok(match ty {
        StdTy::Date => {
            let range = range_of(constraints, "date", |value| match value {
                Value::Std(StdValue::Date(date)) => Some(*date),
                _ => None,
            })?;
            days(range.unwrap_or((first_date(), last_date())))
                .prop_map(|date| std(StdValue::Date(date)))
                .boxed()
        }
        StdTy::Time => {
            let range = range_of(constraints, "time", |value| match value {
                Value::Std(StdValue::Time(time)) => Some(time.micros_of_day()),
                _ => None,
            })?;
            let (low, high) = range.unwrap_or((0, MICROS_PER_DAY as i64 - 1));
            clock(low, high, aware)
                .prop_map(|time| std(StdValue::Time(time)))
                .boxed()
        }
        StdTy::DateTime => {
            let range = range_of(constraints, "datetime", |value| match value {
                Value::Std(StdValue::DateTime(at)) => Some(*at),
                _ => None,
            })?;
            let (low, high) = range.map_or((first_date(), last_date()), |(low, high)| {
                (low.date, high.date)
            });
            let bounds = range.map(|(low, high)| (low.local_micros(), high.local_micros()));
            (
                days((low, high)),
                clock(0, MICROS_PER_DAY as i64 - 1, aware),
            )
                .prop_filter("within `range`", move |(date, time)| {
                    let at = DateTime {
                        date: *date,
                        time: *time,
                    }
                    .local_micros();
                    bounds.is_none_or(|(low, high)| (low..=high).contains(&at))
                })
                .prop_map(|(date, time)| std(StdValue::DateTime(DateTime { date, time })))
                .boxed()
        }
        StdTy::TimeDelta => {
            let range = range_of(constraints, "timedelta", |value| match value {
                Value::Std(StdValue::TimeDelta(delta)) => Some(delta.microseconds),
                _ => None,
            })?;
            let (low, high) = range.unwrap_or((-TIMEDELTA_MAX - 1 + MICROS_PER_DAY, TIMEDELTA_MAX));
            let near = (-10 * MICROS_PER_DAY).max(low)..=(10 * MICROS_PER_DAY).min(high);
            let edges: Vec<i128> = [0, 1, -1, low, high]
                .into_iter()
                .filter(|micros| (low..=high).contains(micros))
                .collect();
            prop_oneof![
                4 => near.boxed(),
                2 => (low..=high).boxed(),
                1 => select(edges).boxed(),
            ]
            .prop_map(|microseconds| std(StdValue::TimeDelta(TimeDelta { microseconds })))
            .boxed()
        }
        StdTy::TimeZone => offsets()
            .prop_map(|offset| std(StdValue::TimeZone(offset)))
            .boxed(),
        StdTy::Decimal => {
            let range = range_of(constraints, "Decimal", |value| match value {
                Value::Std(StdValue::Decimal(decimal)) => Some(decimal.clone()),
                _ => None,
            })?;
            match range {
                Some((low, high)) => decimals_between(low, high)?,
                None => decimals(),
            }
            .prop_map(|decimal| std(StdValue::Decimal(decimal)))
            .boxed()
        }
        StdTy::Uuid => prop_oneof![
            6 => any::<u128>().boxed(),
            1 => select(vec![0, u128::MAX]).boxed(),
        ]
        .prop_map(|bits| std(StdValue::Uuid(Uuid(bits))))
        .boxed(),
        StdTy::Path => paths().prop_map(|path| std(StdValue::Path(path))).boxed(),
        StdTy::Complex => (floats(), floats())
            .prop_map(|(re, im)| std(StdValue::Complex(Complex { re, im })))
            .boxed(),
    })
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;

    fn sample(ty: StdTy, constraints: &Constraints, count: usize) -> Vec<StdValue> {
        let strategy = values(ty, constraints).unwrap();
        let mut runner = TestRunner::deterministic();
        (0..count)
            .map(
                |_| match strategy.new_tree(&mut runner).unwrap().current() {
                    Value::Std(value) => value,
                    other => panic!("not a standard-library value: {other:?}"),
                },
            )
            .collect()
    }

    fn parse(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn datetimes_stay_within_range_and_awareness_and_reach_the_edges() {
        let constraints = Constraints {
            range: Some((
                parse(r#"{"$datetime": "2024-02-28T00:00:00"}"#),
                parse(r#"{"$datetime": "2024-03-01T12:00:00"}"#),
            )),
            aware: Some(true),
            ..Constraints::default()
        };
        let drawn = sample(StdTy::DateTime, &constraints, 500);
        let (low, high) = match (
            &constraints.range.as_ref().unwrap().0,
            &constraints.range.as_ref().unwrap().1,
        ) {
            (Value::Std(StdValue::DateTime(low)), Value::Std(StdValue::DateTime(high))) => {
                (*low, *high)
            }
            _ => unreachable!(),
        };
        for value in &drawn {
            let StdValue::DateTime(at) = value else {
                panic!("{value:?}")
            };
            assert!(at.time.offset.is_some(), "{at}");
            assert!(
                (low.local_micros()..=high.local_micros()).contains(&at.local_micros()),
                "{at}"
            );
        }
        assert!(
            drawn
                .iter()
                .any(|value| matches!(value, StdValue::DateTime(at) if at.date.day == 29))
        );
        let dates = sample(StdTy::Date, &Constraints::default(), 2_000);
        assert!(dates.iter().any(|value| value.to_string() == "2000-02-29"));
    }

    #[test]
    fn decimals_within_a_range_keep_the_finer_exponent() {
        let constraints = Constraints {
            range: Some((
                parse(r#"{"$decimal": "-1.5"}"#),
                parse(r#"{"$decimal": "2.25"}"#),
            )),
            ..Constraints::default()
        };
        for value in sample(StdTy::Decimal, &constraints, 300) {
            let StdValue::Decimal(decimal) = &value else {
                panic!("{value:?}")
            };
            let number: f64 = decimal.to_string().parse().unwrap();
            assert!((-1.5..=2.25).contains(&number), "{decimal}");
            assert!(
                matches!(decimal.form, DecimalForm::Finite { exponent: -2, .. }),
                "{decimal}"
            );
        }
        let wrong = Constraints {
            range: Some((parse("1"), parse("2"))),
            ..Constraints::default()
        };
        assert!(
            values(StdTy::Decimal, &wrong)
                .err()
                .unwrap()
                .contains("two Decimal values")
        );
    }
}
