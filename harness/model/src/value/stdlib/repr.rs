//! What Python's `repr()` prints for standard-library values (CPython's `datetime`, `decimal`,
//! `uuid`, `pathlib` and `complex` reprs, checked against the embedded interpreter in
//! `harness/core/tests/checks/python_semantics.rs`): the text a `KeyError(dt)` message quotes.

use std::fmt::Write as _;

use super::{Complex, Date, StdValue, Time, TimeDelta, UtcOffset};

/// Appends `repr(value)`; `float_repr` is `repr(float)`.
pub(crate) fn write(value: &StdValue, float_repr: fn(f64) -> String, out: &mut String) {
    match value {
        StdValue::DateTime(dt) => {
            let Date { year, month, day } = dt.date;
            let _ = write!(out, "datetime.datetime({year}, {month}, {day}, ");
            clock(&dt.time, out);
            out.push(')');
        }
        StdValue::Date(Date { year, month, day }) => {
            let _ = write!(out, "datetime.date({year}, {month}, {day})");
        }
        StdValue::Time(time) => {
            out.push_str("datetime.time(");
            clock(time, out);
            out.push(')');
        }
        StdValue::TimeDelta(delta) => timedelta(*delta, out),
        StdValue::TimeZone(offset) => timezone(*offset, out),
        StdValue::Decimal(decimal) => {
            let _ = write!(out, "Decimal('{decimal}')");
        }
        StdValue::Uuid(uuid) => {
            let _ = write!(out, "UUID('{uuid}')");
        }
        StdValue::Path(path) => {
            let _ = write!(
                out,
                "PosixPath({})",
                super::super::py_repr(&super::super::Value::str(&path.0))
            );
        }
        StdValue::Complex(complex) => complex_repr(*complex, float_repr, out),
    }
}

/// `hour, minute[, second[, microsecond]][, fold=1][, tzinfo=...]`, as `datetime_repr` and
/// `time_repr` write them.
fn clock(time: &Time, out: &mut String) {
    let _ = write!(out, "{}, {}", time.hour, time.minute);
    if time.second != 0 || time.microsecond != 0 {
        let _ = write!(out, ", {}", time.second);
    }
    if time.microsecond != 0 {
        let _ = write!(out, ", {}", time.microsecond);
    }
    if time.fold {
        out.push_str(", fold=1");
    }
    if let Some(offset) = time.offset {
        out.push_str(", tzinfo=");
        timezone(offset, out);
    }
}

fn timezone(offset: UtcOffset, out: &mut String) {
    if offset == UtcOffset::UTC {
        out.push_str("datetime.timezone.utc");
    } else {
        out.push_str("datetime.timezone(");
        timedelta(
            TimeDelta {
                microseconds: i128::from(offset.microseconds),
            },
            out,
        );
        out.push(')');
    }
}

/// `datetime.timedelta(days=-1, seconds=86399, microseconds=999999)`: Python's normal form
/// (seconds and microseconds never negative), zero fields left out.
fn timedelta(delta: TimeDelta, out: &mut String) {
    let per_day = 86_400_000_000i128;
    let days = delta.microseconds.div_euclid(per_day);
    let rest = delta.microseconds.rem_euclid(per_day);
    let (seconds, micros) = (rest / 1_000_000, rest % 1_000_000);
    let fields: Vec<String> = [
        ("days", days),
        ("seconds", seconds),
        ("microseconds", micros),
    ]
    .into_iter()
    .filter(|(_, value)| *value != 0)
    .map(|(name, value)| format!("{name}={value}"))
    .collect();
    if fields.is_empty() {
        out.push_str("datetime.timedelta(0)");
    } else {
        let _ = write!(out, "datetime.timedelta({})", fields.join(", "));
    }
}

/// `complex.__repr__`: parts written as `repr(float)` without a forced `.0`; a real part that
/// is `+0.0` is left out, as are the parentheses then.
fn complex_repr(Complex { re, im }: Complex, float_repr: fn(f64) -> String, out: &mut String) {
    let part = |f: f64| {
        let text = float_repr(f);
        text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
    };
    let imaginary = part(im);
    if re == 0.0 && re.is_sign_positive() {
        let _ = write!(out, "{imaginary}j");
    } else {
        let sign = if imaginary.starts_with('-') { "" } else { "+" };
        let _ = write!(out, "({}{sign}{imaginary}j)", part(re));
    }
}
