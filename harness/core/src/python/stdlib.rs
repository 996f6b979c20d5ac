//! Standard-library objects ↔ canonical values: `datetime`, `date`, `time`, `timedelta`,
//! `timezone`, `Decimal`, `UUID`, `pathlib` paths and `complex`.
//!
//! Read through attributes and constructors (`dt.utcoffset()`, `Decimal(text)`), not
//! PyO3's `PyDateTime` accessors, which the limited API (abi3 builds of the harness's Python
//! package) does not have. Classes are imported once per process. Instances of subclasses
//! count as their standard class (a pendulum `DateTime` is a `datetime`), as an `int`
//! subclass counts as an `int`; `datetime` is tested before `date`, its base.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyComplex, PyDict, PyTuple};
use pyo3_conformance_model::stdlib::{
    Complex, Date, DateTime, Path, StdValue, Time, TimeDelta, UtcOffset, Uuid,
};

/// The standard classes, imported once.
struct Classes {
    datetime: Py<PyAny>,
    date: Py<PyAny>,
    time: Py<PyAny>,
    timedelta: Py<PyAny>,
    timezone: Py<PyAny>,
    decimal: Py<PyAny>,
    uuid: Py<PyAny>,
    pure_path: Py<PyAny>,
    path: Py<PyAny>,
    /// All of the above as one tuple: one `isinstance` tells any other object apart.
    any: Py<PyTuple>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let datetime = py.import("datetime")?;
        let pathlib = py.import("pathlib")?;
        let class = |module: &Bound<'_, PyModule>, name: &str| -> PyResult<Py<PyAny>> {
            Ok(module.getattr(name)?.unbind())
        };
        let (datetime, date, time, timedelta, timezone) = (
            class(&datetime, "datetime")?,
            class(&datetime, "date")?,
            class(&datetime, "time")?,
            class(&datetime, "timedelta")?,
            class(&datetime, "timezone")?,
        );
        let decimal = class(&py.import("decimal")?, "Decimal")?;
        let uuid = class(&py.import("uuid")?, "UUID")?;
        let pure_path = class(&pathlib, "PurePath")?;
        let any = PyTuple::new(
            py,
            [
                &date, &time, &timedelta, &timezone, &decimal, &uuid, &pure_path,
            ],
        )?
        .unbind();
        Ok(Classes {
            datetime,
            date,
            time,
            timedelta,
            timezone,
            decimal,
            uuid,
            pure_path,
            path: class(&pathlib, "Path")?,
            any,
        })
    })
}

fn invalid(message: String) -> PyErr {
    pyo3::exceptions::PyValueError::new_err(message)
}

/// A `timedelta` (or what `utcoffset()` returns) in microseconds.
fn micros_of(delta: &Bound<'_, PyAny>) -> PyResult<i128> {
    let days: i128 = delta.getattr("days")?.extract::<i64>()?.into();
    let seconds: i128 = delta.getattr("seconds")?.extract::<i64>()?.into();
    let micros: i128 = delta.getattr("microseconds")?.extract::<i64>()?.into();
    Ok((days * 86_400 + seconds) * 1_000_000 + micros)
}

/// The UTC offset of an aware `datetime`/`time` (what `utcoffset()` says), `None` if naive.
fn offset_of(object: &Bound<'_, PyAny>) -> PyResult<Option<UtcOffset>> {
    let offset = object.call_method0("utcoffset")?;
    if offset.is_none() {
        return Ok(None);
    }
    let micros = i64::try_from(micros_of(&offset)?).map_err(|e| invalid(e.to_string()))?;
    UtcOffset::new(micros).map(Some).map_err(invalid)
}

fn clock(object: &Bound<'_, PyAny>) -> PyResult<Time> {
    let field = |name: &str| -> PyResult<u8> { object.getattr(name)?.extract() };
    let time = Time::new(
        field("hour")?,
        field("minute")?,
        field("second")?,
        object.getattr("microsecond")?.extract()?,
    )
    .map_err(invalid)?;
    Ok(Time {
        offset: offset_of(object)?,
        fold: field("fold")? == 1,
        ..time
    })
}

fn calendar(object: &Bound<'_, PyAny>) -> PyResult<Date> {
    Date::new(
        object.getattr("year")?.extract()?,
        object.getattr("month")?.extract()?,
        object.getattr("day")?.extract()?,
    )
    .map_err(invalid)
}

/// The canonical value of a standard-library object; `None` for any other object.
pub(crate) fn to_value(object: &Bound<'_, PyAny>) -> PyResult<Option<StdValue>> {
    let py = object.py();
    if let Ok(complex) = object.cast::<PyComplex>() {
        return Ok(Some(StdValue::Complex(Complex {
            re: complex.real(),
            im: complex.imag(),
        })));
    }
    let classes = classes(py)?;
    if !object.is_instance(classes.any.bind(py))? {
        return Ok(None);
    }
    let is = |class: &Py<PyAny>| object.is_instance(class.bind(py));
    Ok(Some(if is(&classes.datetime)? {
        StdValue::DateTime(DateTime {
            date: calendar(object)?,
            time: clock(object)?,
        })
    } else if is(&classes.date)? {
        StdValue::Date(calendar(object)?)
    } else if is(&classes.time)? {
        StdValue::Time(clock(object)?)
    } else if is(&classes.timedelta)? {
        StdValue::TimeDelta(TimeDelta {
            microseconds: micros_of(object)?,
        })
    } else if is(&classes.timezone)? {
        let offset = object.call_method1("utcoffset", (py.None(),))?;
        let micros = i64::try_from(micros_of(&offset)?).map_err(|e| invalid(e.to_string()))?;
        StdValue::TimeZone(UtcOffset::new(micros).map_err(invalid)?)
    } else if is(&classes.decimal)? {
        StdValue::Decimal(object.str()?.to_cow()?.parse().map_err(invalid)?)
    } else if is(&classes.uuid)? {
        StdValue::Uuid(Uuid(object.getattr("int")?.extract()?))
    } else if is(&classes.pure_path)? {
        StdValue::Path(Path(object.str()?.to_cow()?.into_owned()))
    } else {
        return Ok(None);
    }))
}

fn timezone<'py>(py: Python<'py>, offset: UtcOffset) -> PyResult<Bound<'py, PyAny>> {
    let classes = classes(py)?;
    let delta = classes
        .timedelta
        .bind(py)
        .call((0, 0, offset.microseconds), None)?;
    classes.timezone.bind(py).call1((delta,))
}

/// The keyword arguments `tzinfo=` and `fold=` of a clock reading.
fn zone_and_fold<'py>(py: Python<'py>, time: &Time) -> PyResult<Bound<'py, PyDict>> {
    let keywords = PyDict::new(py);
    if let Some(offset) = time.offset {
        keywords.set_item("tzinfo", timezone(py, offset)?)?;
    }
    keywords.set_item("fold", u8::from(time.fold))?;
    Ok(keywords)
}

/// The Python object of a standard-library value.
pub(crate) fn to_python<'py>(py: Python<'py>, value: &StdValue) -> PyResult<Bound<'py, PyAny>> {
    let classes = classes(py)?;
    match value {
        StdValue::DateTime(DateTime { date, time }) => classes.datetime.bind(py).call(
            (
                date.year,
                date.month,
                date.day,
                time.hour,
                time.minute,
                time.second,
                time.microsecond,
            ),
            Some(&zone_and_fold(py, time)?),
        ),
        StdValue::Date(date) => classes
            .date
            .bind(py)
            .call1((date.year, date.month, date.day)),
        StdValue::Time(time) => classes.time.bind(py).call(
            (time.hour, time.minute, time.second, time.microsecond),
            Some(&zone_and_fold(py, time)?),
        ),
        StdValue::TimeDelta(delta) => {
            // timedelta(days, seconds, microseconds) normalises; split so each part fits.
            let per_day = 86_400_000_000i128;
            let days = delta.microseconds.div_euclid(per_day);
            let micros = delta.microseconds.rem_euclid(per_day);
            classes.timedelta.bind(py).call1((days, 0, micros))
        }
        StdValue::TimeZone(offset) => timezone(py, *offset),
        StdValue::Decimal(decimal) => classes.decimal.bind(py).call1((decimal.to_string(),)),
        StdValue::Uuid(Uuid(bits)) => {
            let keywords = PyDict::new(py);
            keywords.set_item("int", bits)?;
            classes.uuid.bind(py).call((), Some(&keywords))
        }
        StdValue::Path(Path(text)) => classes.path.bind(py).call1((text,)),
        StdValue::Complex(Complex { re, im }) => {
            Ok(PyComplex::from_doubles(py, *re, *im).into_any())
        }
    }
}
