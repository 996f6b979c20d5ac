//! Standard-library values: what PyO3 converts chrono, time, rust_decimal, uuid, `PathBuf`
//! and num-complex values to (`datetime`, `date`, `time`, `timedelta`, `timezone`, `Decimal`,
//! `UUID`, `pathlib.Path`, `complex`), each one canonical value with a tag of its own.
//!
//! They live in one [`StdValue`] behind one `Value::Std` variant, so the rest of the model
//! (comparator, encodings, Python conversion) dispatches once to this module instead of
//! growing an arm per type everywhere. Each type keeps Python's observable state and no more:
//! microsecond resolution, an aware value's UTC offset (not its zone's name), a decimal's
//! exponent, a path's text. Submodules: `temporal` (dates and times), `decimal`, `parse` (the
//! text cursor both use).

mod decimal;
mod parse;
pub(crate) mod repr;
mod temporal;

use std::cmp::Ordering;
use std::fmt;

pub use decimal::{Decimal, DecimalForm};
pub use temporal::{Date, DateTime, Time, TimeDelta, UtcOffset};

use super::cmp_float;

/// A standard-library value.
#[derive(Debug, Clone)]
pub enum StdValue {
    /// `datetime.datetime`.
    DateTime(DateTime),
    /// `datetime.date`.
    Date(Date),
    /// `datetime.time`.
    Time(Time),
    /// `datetime.timedelta`.
    TimeDelta(TimeDelta),
    /// `datetime.timezone` (a fixed offset).
    TimeZone(UtcOffset),
    /// `decimal.Decimal`.
    Decimal(Decimal),
    /// `uuid.UUID`.
    Uuid(Uuid),
    /// `pathlib.Path` (or any `PurePath`).
    Path(Path),
    /// `complex`.
    Complex(Complex),
}

/// `uuid.UUID`: its 128 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uuid(pub u128);

/// `pathlib.Path`: its text (`str(path)`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Path(pub String);

/// `complex`: two floats, compared bit for bit like any float (so `-0.0` is not `0.0`).
#[derive(Debug, Clone, Copy)]
pub struct Complex {
    /// The real part.
    pub re: f64,
    /// The imaginary part.
    pub im: f64,
}

impl PartialEq for Complex {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Complex {}
impl PartialOrd for Complex {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Complex {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_float(self.re, other.re).then(cmp_float(self.im, other.im))
    }
}

impl StdValue {
    /// The JSON tag of this kind (`$datetime`, ...).
    pub fn tag(&self) -> &'static str {
        match self {
            Self::DateTime(_) => "$datetime",
            Self::Date(_) => "$date",
            Self::Time(_) => "$time",
            Self::TimeDelta(_) => "$timedelta",
            Self::TimeZone(_) => "$timezone",
            Self::Decimal(_) => "$decimal",
            Self::Uuid(_) => "$uuid",
            Self::Path(_) => "$path",
            Self::Complex(_) => "$complex",
        }
    }

    /// The Python name of this kind, as reports write it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::DateTime(_) => "datetime",
            Self::Date(_) => "date",
            Self::Time(_) => "time",
            Self::TimeDelta(_) => "timedelta",
            Self::TimeZone(_) => "timezone",
            Self::Decimal(_) => "Decimal",
            Self::Uuid(_) => "UUID",
            Self::Path(_) => "Path",
            Self::Complex(_) => "complex",
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Self::DateTime(_) => 0,
            Self::Date(_) => 1,
            Self::Time(_) => 2,
            Self::TimeDelta(_) => 3,
            Self::TimeZone(_) => 4,
            Self::Decimal(_) => 5,
            Self::Uuid(_) => 6,
            Self::Path(_) => 7,
            Self::Complex(_) => 8,
        }
    }

    /// Reads the text of the tag `tag` (every kind but `$complex`, whose content is a pair of
    /// floats); `None` when `tag` is no standard-library tag.
    pub fn from_tagged_text(tag: &str, text: &str) -> Option<Result<Self, String>> {
        Some(match tag {
            "$datetime" => text.parse().map(Self::DateTime),
            "$date" => text.parse().map(Self::Date),
            "$time" => text.parse().map(Self::Time),
            "$timedelta" => text.parse().map(Self::TimeDelta),
            "$timezone" => text.parse().map(Self::TimeZone),
            "$decimal" => text.parse().map(Self::Decimal),
            "$uuid" => text.parse().map(Self::Uuid),
            "$path" => Ok(Self::Path(Path(text.to_owned()))),
            _ => return None,
        })
    }
}

/// The tags of standard-library values, for the JSON reader.
pub(crate) const STD_TAGS: [&str; 9] = [
    "$datetime",
    "$date",
    "$time",
    "$timedelta",
    "$timezone",
    "$decimal",
    "$uuid",
    "$path",
    "$complex",
];

impl fmt::Display for StdValue {
    /// The tag's text (a complex as `re, im`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DateTime(value) => value.fmt(f),
            Self::Date(value) => value.fmt(f),
            Self::Time(value) => value.fmt(f),
            Self::TimeDelta(value) => value.fmt(f),
            Self::TimeZone(value) => value.fmt(f),
            Self::Decimal(value) => value.fmt(f),
            Self::Uuid(value) => value.fmt(f),
            Self::Path(value) => f.write_str(&value.0),
            Self::Complex(value) => write!(f, "{:?}, {:?}", value.re, value.im),
        }
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }
}

impl std::str::FromStr for Uuid {
    type Err = String;
    /// The hyphenated form or 32 hex digits, in either case.
    fn from_str(text: &str) -> Result<Self, String> {
        let hex: String = text.chars().filter(|c| *c != '-').collect();
        let hyphens_in_place = text.len() == 32
            || (text.len() == 36 && [8, 13, 18, 23].iter().all(|&at| &text[at..=at] == "-"));
        if hex.len() != 32 || !hyphens_in_place || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "not a UUID (32 hex digits, hyphenated 8-4-4-4-12 or not): {text:?}"
            ));
        }
        u128::from_str_radix(&hex, 16)
            .map(Uuid)
            .map_err(|e| e.to_string())
    }
}

impl Ord for StdValue {
    fn cmp(&self, other: &Self) -> Ordering {
        use StdValue::*;
        match (self, other) {
            (DateTime(a), DateTime(b)) => a.cmp(b),
            (Date(a), Date(b)) => a.cmp(b),
            (Time(a), Time(b)) => a.cmp(b),
            (TimeDelta(a), TimeDelta(b)) => a.cmp(b),
            (TimeZone(a), TimeZone(b)) => a.cmp(b),
            (Decimal(a), Decimal(b)) => a.cmp(b),
            (Uuid(a), Uuid(b)) => a.cmp(b),
            (Path(a), Path(b)) => a.cmp(b),
            (Complex(a), Complex(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for StdValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for StdValue {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for StdValue {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_read_both_forms_and_write_the_hyphenated_one() {
        let text = "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11";
        let uuid: Uuid = text.parse().unwrap();
        assert_eq!(uuid.to_string(), text.to_lowercase());
        assert_eq!(
            "a0eebc999c0b4ef8bb6d6bb9bd380a11".parse::<Uuid>().unwrap(),
            uuid
        );
        assert!(
            "a0eebc99-9c0b4ef8-bb6d-6bb9bd380a11x"
                .parse::<Uuid>()
                .is_err()
        );
        assert!("not-a-uuid".parse::<Uuid>().is_err());
    }

    #[test]
    fn complex_parts_compare_bit_for_bit() {
        let c = |re, im| StdValue::Complex(Complex { re, im });
        assert_ne!(c(1.0, 0.0), c(1.0, -0.0));
        assert_eq!(c(f64::NAN, 1.0), c(f64::NAN, 1.0));
    }
}
