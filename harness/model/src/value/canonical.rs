//! Rust types that stand for standard-library values, and the marker that carries them
//! through an adapter: [`Std<T>`].
//!
//! serde cannot tell that a `chrono::DateTime` means a Python `datetime` (chrono serializes
//! a string), so an adapter names the conversion: `|(Std(at), minutes): (Std<DateTime<FixedOffset>>,
//! i64)| Std(at + Duration::minutes(minutes))`. `Std<T>` serializes through [`Canonical`]
//! into a [`Value::Std`], and deserializes from one. The conversions do what PyO3's own do
//! (`pyo3/src/conversions/`), so a binding that uses PyO3's conversions agrees with its
//! adapter: nanoseconds are truncated to microseconds, a leap second is folded into the second
//! before it, a `DateTime<Utc>` takes any aware datetime at its instant, a `PathBuf` is
//! written as `pathlib` writes it (`a//b/./c/` is `a/b/c`). The foreign crates' conversions
//! sit behind cargo features (`chrono`, `time`, `rust_decimal`, `uuid`, `num-complex`) in
//! `foreign/`, so an adopter who uses none of them builds none of them.

use serde::{Deserialize, Deserializer, Serialize, Serializer, de, ser};

use super::stdlib::{
    Complex, Date, DateTime, Decimal, Path, StdValue, Time, TimeDelta, UtcOffset, Uuid,
};
use super::{Value, ValueError};

/// A Rust type that stands for one kind of standard-library value.
pub trait Canonical: Sized {
    /// The canonical value of `self`, as PyO3 would convert it.
    fn to_canonical(&self) -> Result<StdValue, ValueError>;
    /// `Self` from a canonical value, or why it does not fit (as PyO3 would refuse it).
    fn from_canonical(value: StdValue) -> Result<Self, ValueError>;
}

/// Marks a Rust value that Python sees as a standard-library object (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Std<T>(pub T);

impl<T: Canonical> Serialize for Std<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0.to_canonical().map_err(ser::Error::custom)?;
        Value::Std(value).serialize(serializer)
    }
}

impl<'de, T: Canonical> Deserialize<'de> for Std<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Std(value) => T::from_canonical(value).map(Std).map_err(de::Error::custom),
            other => Err(de::Error::custom(format!(
                "expected a standard-library value, got {}",
                other.type_name()
            ))),
        }
    }
}

/// Implements `Canonical` (identity) and serde for one canonical type (`$python`: its Python
/// name, for errors).
macro_rules! canonical_type {
    ($ty:ty, $variant:ident, $python:literal) => {
        impl Canonical for $ty {
            fn to_canonical(&self) -> Result<StdValue, ValueError> {
                Ok(StdValue::$variant(self.clone()))
            }
            fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
                match value {
                    StdValue::$variant(value) => Ok(value),
                    other => Err(mismatch($python, &other)),
                }
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                Std(self.clone()).serialize(serializer)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Std::<$ty>::deserialize(deserializer).map(|std| std.0)
            }
        }
    };
}
canonical_type!(DateTime, DateTime, "datetime");
canonical_type!(Date, Date, "date");
canonical_type!(Time, Time, "time");
canonical_type!(TimeDelta, TimeDelta, "timedelta");
canonical_type!(UtcOffset, TimeZone, "timezone");
canonical_type!(Decimal, Decimal, "Decimal");
canonical_type!(Uuid, Uuid, "UUID");
canonical_type!(Path, Path, "Path");
canonical_type!(Complex, Complex, "complex");

/// The error for a value of another kind than the Rust type stands for (`wanted`: the Python
/// name of the kind it stands for).
pub(crate) fn mismatch(wanted: &str, found: &StdValue) -> ValueError {
    ValueError::new(format!("expected {wanted}, got {}", found.type_name()))
}

impl Path {
    /// The text `pathlib.PurePosixPath(text)` keeps: repeated and trailing slashes and `.`
    /// components dropped (a leading `//` kept, as POSIX allows), the empty path as `.`.
    pub fn from_posix_text(text: &str) -> Self {
        let leading = if text.starts_with("//") && !text.starts_with("///") {
            "//"
        } else if text.starts_with('/') {
            "/"
        } else {
            ""
        };
        let parts: Vec<&str> = text
            .split('/')
            .filter(|part| !part.is_empty() && *part != ".")
            .collect();
        let joined = format!("{leading}{}", parts.join("/"));
        Self(if joined.is_empty() {
            ".".to_owned()
        } else {
            joined
        })
    }
}

impl Canonical for std::path::PathBuf {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        let text = self.to_str().ok_or_else(|| {
            ValueError::new(format!(
                "the path {self:?} is not UTF-8, which no str holds"
            ))
        })?;
        Ok(StdValue::Path(Path::from_posix_text(text)))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::Path(path) => Ok(path.0.into()),
            other => Err(mismatch("Path", &other)),
        }
    }
}

/// `std::time::Duration` is a `timedelta` (never negative; nanoseconds truncated).
impl Canonical for std::time::Duration {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::TimeDelta(TimeDelta {
            microseconds: i128::try_from(self.as_micros())
                .map_err(|e| ValueError::new(e.to_string()))?,
        }))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::TimeDelta(delta) => u64::try_from(delta.microseconds)
                .map(std::time::Duration::from_micros)
                .map_err(|_| {
                    ValueError::new(format!(
                        "std::time::Duration cannot hold a timedelta of {delta} s"
                    ))
                }),
            other => Err(mismatch("timedelta", &other)),
        }
    }
}

impl Time {
    /// A naive time from a Rust clock reading, as PyO3 converts one: nanoseconds truncated to
    /// microseconds, a leap second (nanoseconds ≥ 10⁹) folded into the second before.
    pub fn from_nanos(
        hour: u32,
        minute: u32,
        second: u32,
        nanosecond: u32,
    ) -> Result<Self, ValueError> {
        let nanosecond = nanosecond.checked_sub(1_000_000_000).unwrap_or(nanosecond);
        let narrow = |n: u32| u8::try_from(n).unwrap_or(u8::MAX);
        Time::new(
            narrow(hour),
            narrow(minute),
            narrow(second),
            nanosecond / 1000,
        )
        .map_err(ValueError::new)
    }
}

impl DateTime {
    /// This datetime's offset, or an error naming `rust_type` for a naive one.
    pub fn aware_offset(&self, rust_type: &str) -> Result<UtcOffset, ValueError> {
        self.time.offset.ok_or_else(|| {
            ValueError::new(format!(
                "expected an aware datetime (with tzinfo) for {rust_type}, got the naive {self}"
            ))
        })
    }

    /// An error naming `rust_type` for an aware datetime where a naive one is wanted.
    pub fn naive(&self, rust_type: &str) -> Result<(), ValueError> {
        match self.time.offset {
            None => Ok(()),
            Some(_) => Err(ValueError::new(format!(
                "expected a naive datetime (no tzinfo) for {rust_type}, got the aware {self}"
            ))),
        }
    }
}
