//! The Rust adapter of the toml crate 1.1.8, checked against the `rtoml` 0.14.0 wheel (import
//! `rtoml`), which is built from it: TOML's datetimes are Python's `datetime`, `date` and
//! `time` on one side and `toml_datetime::Datetime` on the other, so this pair is where the
//! standard-library values of the canonical model meet a real binding.
//!
//! `loads` parses with `toml::Table`'s `FromStr`; `dumps` hands the value to
//! `toml::to_string` (or `to_string_pretty`) through serde, as rtoml hands it Python objects. What is rtoml's own, the adapter does as
//! rtoml documents it, and no more: `none_value` (a string that stands for `None`), nanoseconds
//! cut to Python's microseconds, a UTC datetime written with TOML's `Z` (Python's `datetime`
//! has one UTC, TOML two spellings of it: `Z` is the one rtoml writes).

use pyo3_conformance::model::stdlib::{Date, DateTime, StdValue, Time, UtcOffset};
use pyo3_conformance::serde::ser::{self, SerializeMap, SerializeSeq};
use pyo3_conformance::serde::{Serialize, Serializer};
use pyo3_conformance::{Adapter, RustError, Std, Value};
use toml_datetime::{Date as TomlDate, Datetime, Offset, Time as TomlTime};

/// The adapter, with every operation of `fixtures/rtoml/manifest.json`.
pub fn adapter() -> Adapter {
    Adapter::new("rtoml")
        .cargo_test("rtoml-conformance", "scenarios")
        .error_kinds(&["TomlParsingError", "TomlSerializationError"])
        .try_function("loads", |(text, none_value): (String, Option<String>)| {
            loads(&text, none_value.as_deref())
        })
        // `load` takes a str as `loads` does, or a path it reads first.
        .try_function(
            "load",
            |(source, none_value): (Value, Option<String>)| match source {
                Value::Std(StdValue::Path(path)) => {
                    let text = std::fs::read_to_string(&path.0)
                        .map_err(|e| RustError::new("OSError", e.to_string()))?;
                    loads(&text, none_value.as_deref())
                }
                Value::Str(text) => loads(&text, none_value.as_deref()),
                other => Err(RustError::new(
                    "TypeError",
                    format!("cannot load TOML from {}", other.type_name()),
                )),
            },
        )
        .try_function(
            "dumps",
            |(obj, pretty, none_value): (Value, bool, Option<String>)| {
                dumps(&obj, pretty, none_value.as_deref())
            },
        )
        // `dump` writes what `dumps` returns and returns how many characters it wrote.
        .try_function(
            "dump",
            |(obj, Std(file), pretty, none_value): (
                Value,
                Std<std::path::PathBuf>,
                bool,
                Option<String>,
            )| {
                let text = dumps(&obj, pretty, none_value.as_deref())?;
                std::fs::write(&file, &text)
                    .map_err(|e| RustError::new("OSError", e.to_string()))?;
                Ok::<_, RustError>(text.chars().count())
            },
        )
}

fn loads(text: &str, none_value: Option<&str>) -> Result<Value, RustError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| RustError::new("TomlParsingError", e.to_string()))?;
    Ok(canonical(&toml::Value::Table(table), none_value))
}

fn dumps(obj: &Value, pretty: bool, none_value: Option<&str>) -> Result<String, RustError> {
    let document = Toml {
        value: obj,
        none_value,
    };
    let written = if pretty {
        toml::to_string_pretty(&document)
    } else {
        toml::to_string(&document)
    };
    written.map_err(|e| RustError::new("TomlSerializationError", e.to_string()))
}

/// A parsed TOML value as a canonical one, as rtoml converts it: tables are dicts in document
/// order, datetimes the standard-library values Python has for them, and a string equal to
/// `none_value` is `None`.
fn canonical(value: &toml::Value, none_value: Option<&str>) -> Value {
    match value {
        toml::Value::String(text) if Some(text.as_str()) == none_value => Value::Null,
        toml::Value::String(text) => Value::str(text),
        toml::Value::Integer(int) => Value::int(*int),
        toml::Value::Float(float) => Value::Float(*float),
        toml::Value::Boolean(flag) => Value::Bool(*flag),
        toml::Value::Datetime(datetime) => datetime_value(datetime),
        toml::Value::Array(items) => Value::List(
            items
                .iter()
                .map(|item| canonical(item, none_value))
                .collect(),
        ),
        toml::Value::Table(table) => Value::Dict(
            table
                .iter()
                .map(|(key, value)| (Value::str(key), canonical(value, none_value)))
                .collect(),
        ),
    }
}

/// A TOML datetime as Python's value: an offset datetime is aware, a local one naive; a local
/// date is a `date`, a local time a naive `time`; nanoseconds are cut to microseconds.
fn datetime_value(datetime: &Datetime) -> Value {
    let clock = |time: &TomlTime| Time {
        hour: time.hour,
        minute: time.minute,
        second: time.second.unwrap_or(0),
        microsecond: time.nanosecond.unwrap_or(0) / 1000,
        offset: datetime.offset.map(|offset| UtcOffset {
            microseconds: match offset {
                Offset::Z => 0,
                Offset::Custom { minutes } => i64::from(minutes) * 60_000_000,
            },
        }),
        fold: false,
    };
    let day = |date: &TomlDate| Date {
        year: i32::from(date.year),
        month: date.month,
        day: date.day,
    };
    Value::Std(match (&datetime.date, &datetime.time) {
        (Some(date), Some(time)) => StdValue::DateTime(DateTime {
            date: day(date),
            time: clock(time),
        }),
        (Some(date), None) => StdValue::Date(day(date)),
        (None, Some(time)) => StdValue::Time(clock(time)),
        (None, None) => unreachable!("a TOML datetime has a date or a time"),
    })
}

/// A canonical value handed to toml's serde serializer as rtoml hands it a Python object:
/// dicts as maps in their order, lists and tuples as sequences, datetimes as TOML's, `None` as
/// `none_value` (left out where there is none), a dict's entries in rtoml's order.
struct Toml<'a> {
    value: &'a Value,
    none_value: Option<&'a str>,
}

impl Toml<'_> {
    fn of<'a>(&self, value: &'a Value) -> Toml<'a>
    where
        Self: 'a,
    {
        Toml {
            value,
            none_value: self.none_value,
        }
    }

    /// Whether this value is left out (a `None` with no `none_value`).
    fn left_out(&self) -> bool {
        matches!(self.value, Value::Null) && self.none_value.is_none()
    }
}

impl Serialize for Toml<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Null => match self.none_value {
                Some(text) => serializer.serialize_str(text),
                None => serializer.serialize_none(),
            },
            Value::Bool(flag) => serializer.serialize_bool(*flag),
            Value::Int(int) => {
                serializer.serialize_i64(i64::try_from(int.clone()).map_err(|_| {
                    ser::Error::custom(format!("{int} does not fit a TOML integer"))
                })?)
            }
            Value::Float(float) => serializer.serialize_f64(*float),
            Value::Str(text) => serializer.serialize_str(text),
            Value::List(items) | Value::Tuple(items) => {
                let kept: Vec<Toml<'_>> = items
                    .iter()
                    .map(|item| self.of(item))
                    .filter(|item| !item.left_out())
                    .collect();
                let mut seq = serializer.serialize_seq(Some(kept.len()))?;
                for item in &kept {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Dict(entries) => {
                // As rtoml orders a dict for the serializer: plain values, then arrays, then
                // tables (TOML writes a table's values before its subtables).
                let rank = |value: &Value| match value {
                    Value::Dict(_) => 2,
                    Value::List(_) | Value::Tuple(_) => 1,
                    _ => 0,
                };
                let mut map = serializer.serialize_map(None)?;
                for group in 0..3 {
                    for (key, item) in entries.iter().filter(|(_, item)| rank(item) == group) {
                        let Value::Str(key) = key else {
                            return Err(ser::Error::custom(format!(
                                "a TOML key is a str, not {}",
                                key.type_name()
                            )));
                        };
                        let item = self.of(item);
                        if !item.left_out() {
                            map.serialize_entry(key, &item)?;
                        }
                    }
                }
                map.end()
            }
            Value::Std(std) => toml_datetime(std)
                .map_err(ser::Error::custom)?
                .serialize(serializer),
            other => Err(ser::Error::custom(format!(
                "{} cannot be written as TOML",
                other.type_name()
            ))),
        }
    }
}

/// A Python datetime, date or time as TOML's: seconds always written, microseconds where
/// there are any, a UTC offset of zero as `Z`.
fn toml_datetime(value: &StdValue) -> Result<Datetime, String> {
    let clock = |time: &Time| TomlTime {
        hour: time.hour,
        minute: time.minute,
        second: Some(time.second),
        nanosecond: (time.microsecond != 0).then_some(time.microsecond * 1000),
    };
    // TOML offsets are whole minutes; one with seconds has no TOML form.
    let offset = |time: &Time| -> Result<Option<Offset>, String> {
        time.offset
            .map(|offset| match offset.microseconds {
                0 => Ok(Offset::Z),
                micros if micros % 60_000_000 == 0 => Ok(Offset::Custom {
                    minutes: (micros / 60_000_000) as i16,
                }),
                _ => Err(format!(
                    "the UTC offset {offset} is not a whole number of minutes"
                )),
            })
            .transpose()
    };
    let day = |date: &Date| -> Result<TomlDate, String> {
        Ok(TomlDate {
            year: u16::try_from(date.year)
                .map_err(|_| format!("year {} is not a TOML year", date.year))?,
            month: date.month,
            day: date.day,
        })
    };
    Ok(match value {
        StdValue::DateTime(at) => Datetime {
            date: Some(day(&at.date)?),
            time: Some(clock(&at.time)),
            offset: offset(&at.time)?,
        },
        StdValue::Date(date) => Datetime {
            date: Some(day(date)?),
            time: None,
            offset: None,
        },
        StdValue::Time(time) => Datetime {
            date: None,
            time: Some(clock(time)),
            offset: None,
        },
        other => return Err(format!("{} cannot be written as TOML", other.type_name())),
    })
}
