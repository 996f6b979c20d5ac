//! Dates, times, datetimes, durations and UTC offsets, as Python's `datetime` module holds them.
//!
//! The resolution is Python's, the microsecond: a canonical value is what a binding can hand to
//! Python, and PyO3's own conversions truncate Rust's nanoseconds (`conversions/chrono.rs`), so
//! the Rust conversions here truncate the same way rather than report a difference every
//! binding has. An aware value carries its UTC offset (what `utcoffset()` returns), not the
//! zone's name: two aware datetimes are canonically equal when both the wall time and the
//! offset agree, which is "same instant and same offset"; [`DateTime::instant`] is there for
//! the comparator's instants-only option. Text forms are ISO 8601 as `isoformat()` writes
//! them (seconds always written), with `" fold=1"` appended where `fold` is set.

use std::fmt;

use super::parse::Cursor;

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

/// A calendar date (`datetime.date`); years outside Python's 1–9999 are held, and refused only
/// on the way into Python.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year (proleptic Gregorian).
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31, valid for the month.
    pub day: u8,
}

/// A time of day (`datetime.time`), naive or aware.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
    /// 0–59.
    pub second: u8,
    /// 0–999999.
    pub microsecond: u32,
    /// The UTC offset of an aware time; `None` for a naive one.
    pub offset: Option<UtcOffset>,
    /// PEP 495's `fold`: which of two repeated wall times is meant.
    pub fold: bool,
}

/// A date and time (`datetime.datetime`), naive or aware.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// The date.
    pub date: Date,
    /// The time of day, with the offset and fold of the whole.
    pub time: Time,
}

/// A duration (`datetime.timedelta`), in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeDelta {
    /// The whole duration; negative durations are negative.
    pub microseconds: i128,
}

/// A fixed UTC offset (`datetime.timezone`, and what `utcoffset()` returns), strictly within
/// ±24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcOffset {
    /// East of UTC is positive.
    pub microseconds: i64,
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` of `year`.
pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// A date, where it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not within 1..12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(format!("day {day} is not in {year:04}-{month:02}"));
        }
        Ok(Self { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01 (`civil_from_days`), where its year fits.
    pub fn from_days_since_epoch(days: i64) -> Option<Self> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Some(Self {
            year: i32::try_from(year).ok()?,
            month,
            day,
        })
    }
}

impl Time {
    /// A naive time, where it exists.
    pub fn new(hour: u8, minute: u8, second: u8, microsecond: u32) -> Result<Self, String> {
        if hour > 23 || minute > 59 || second > 59 || microsecond > 999_999 {
            return Err(format!(
                "{hour:02}:{minute:02}:{second:02}.{microsecond:06} is not a time of day"
            ));
        }
        Ok(Self {
            hour,
            minute,
            second,
            microsecond,
            offset: None,
            fold: false,
        })
    }

    /// This time with a UTC offset.
    pub fn with_offset(self, offset: Option<UtcOffset>) -> Self {
        Self { offset, ..self }
    }

    /// Microseconds since midnight, wall time.
    pub fn micros_of_day(self) -> i64 {
        ((i64::from(self.hour) * 60 + i64::from(self.minute)) * 60 + i64::from(self.second))
            * MICROS_PER_SECOND
            + i64::from(self.microsecond)
    }

    fn from_micros_of_day(micros: i64) -> Self {
        let seconds = micros / MICROS_PER_SECOND;
        Self {
            hour: (seconds / 3600) as u8,
            minute: (seconds / 60 % 60) as u8,
            second: (seconds % 60) as u8,
            microsecond: (micros % MICROS_PER_SECOND) as u32,
            offset: None,
            fold: false,
        }
    }
}

impl DateTime {
    /// The instant an aware datetime stands for, in microseconds since the Unix epoch (UTC);
    /// `None` for a naive one.
    pub fn instant(self) -> Option<i128> {
        let offset = self.time.offset?;
        Some(self.local_micros() - i128::from(offset.microseconds))
    }

    /// The wall time as microseconds since 1970-01-01T00:00, ignoring the offset.
    pub fn local_micros(self) -> i128 {
        i128::from(self.date.days_since_epoch()) * i128::from(MICROS_PER_DAY)
            + i128::from(self.time.micros_of_day())
    }

    /// The naive datetime `micros` after 1970-01-01T00:00, where its year fits.
    pub fn from_local_micros(micros: i128) -> Option<Self> {
        let per_day = i128::from(MICROS_PER_DAY);
        let days = i64::try_from(micros.div_euclid(per_day)).ok()?;
        Some(Self {
            date: Date::from_days_since_epoch(days)?,
            time: Time::from_micros_of_day(micros.rem_euclid(per_day) as i64),
        })
    }
}

impl UtcOffset {
    /// An offset, where Python's `timezone` takes it (strictly within ±24 hours).
    pub fn new(microseconds: i64) -> Result<Self, String> {
        if microseconds.abs() >= MICROS_PER_DAY {
            return Err(format!(
                "a UTC offset must be strictly within ±24:00, got {}",
                Self { microseconds }
            ));
        }
        Ok(Self { microseconds })
    }

    /// UTC itself.
    pub const UTC: Self = Self { microseconds: 0 };
}

// ---- text ----

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (0..=9999).contains(&self.year) {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        } else {
            // ISO 8601's expanded years: always signed.
            write!(f, "{:+05}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

fn write_fraction(f: &mut fmt::Formatter<'_>, microsecond: u32) -> fmt::Result {
    if microsecond != 0 {
        write!(f, ".{microsecond:06}")?;
    }
    Ok(())
}

impl fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.microseconds < 0 { '-' } else { '+' };
        let micros = self.microseconds.unsigned_abs();
        let seconds = micros / 1_000_000;
        write!(f, "{sign}{:02}:{:02}", seconds / 3600, seconds / 60 % 60)?;
        if micros % 60_000_000 != 0 {
            write!(f, ":{:02}", seconds % 60)?;
            write_fraction(f, (micros % 1_000_000) as u32)?;
        }
        Ok(())
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        write_fraction(f, self.microsecond)?;
        if let Some(offset) = self.offset {
            write!(f, "{offset}")?;
        }
        if self.fold {
            f.write_str(" fold=1")?;
        }
        Ok(())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{}", self.date, self.time)
    }
}

impl fmt::Display for TimeDelta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.microseconds < 0 { "-" } else { "" };
        let micros = self.microseconds.unsigned_abs();
        write!(f, "{sign}{}", micros / 1_000_000)?;
        write_fraction(f, (micros % 1_000_000) as u32)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let mut cursor = Cursor::new(text);
        let date = cursor.date()?;
        cursor.end()?;
        Ok(date)
    }
}

impl std::str::FromStr for Time {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let mut cursor = Cursor::new(text);
        let time = cursor.time()?;
        cursor.end()?;
        Ok(time)
    }
}

impl std::str::FromStr for DateTime {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let mut cursor = Cursor::new(text);
        let date = cursor.date()?;
        cursor.expect(&['T', ' '])?;
        let time = cursor.time()?;
        cursor.end()?;
        Ok(Self { date, time })
    }
}

impl std::str::FromStr for UtcOffset {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        if text == "UTC" || text == "Z" {
            return Ok(Self::UTC);
        }
        let mut cursor = Cursor::new(text);
        let offset = cursor.offset()?.ok_or("a UTC offset starts with + or -")?;
        cursor.end()?;
        Ok(offset)
    }
}

impl std::str::FromStr for TimeDelta {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let mut cursor = Cursor::new(text);
        let negative = cursor.eat('-');
        let seconds = cursor.digits(1, 20)?;
        let micros = if cursor.eat('.') {
            cursor.fraction()?
        } else {
            0
        };
        cursor.end()?;
        let total = i128::from(seconds) * 1_000_000 + i128::from(micros);
        Ok(Self {
            microseconds: if negative { -total } else { total },
        })
    }
}

impl Cursor<'_> {
    fn date(&mut self) -> Result<Date, String> {
        let year = match self.peek() {
            Some(sign @ ('+' | '-')) => {
                self.next();
                let year = i64::try_from(self.digits(4, 9)?).map_err(|e| e.to_string())?;
                if sign == '-' { -year } else { year }
            }
            _ => i64::try_from(self.digits(4, 4)?).map_err(|e| e.to_string())?,
        };
        self.expect(&['-'])?;
        let month = self.digits(2, 2)? as u8;
        self.expect(&['-'])?;
        let day = self.digits(2, 2)? as u8;
        Date::new(i32::try_from(year).map_err(|e| e.to_string())?, month, day)
    }

    /// Up to six fractional digits, as microseconds: Python holds no finer time.
    fn fraction(&mut self) -> Result<u32, String> {
        let start = self.position();
        let digits = self.digits(1, 6)?;
        let width = self.position() - start;
        if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err("a fraction of a second has at most six digits (microseconds)".to_owned());
        }
        Ok(digits as u32 * 10u32.pow(6 - width as u32))
    }

    fn clock(&mut self) -> Result<(u8, u8, u8, u32), String> {
        let hour = self.digits(2, 2)? as u8;
        self.expect(&[':'])?;
        let minute = self.digits(2, 2)? as u8;
        let (mut second, mut micro) = (0, 0);
        if self.eat(':') {
            second = self.digits(2, 2)? as u8;
            if self.eat('.') {
                micro = self.fraction()?;
            }
        }
        Ok((hour, minute, second, micro))
    }

    fn offset(&mut self) -> Result<Option<UtcOffset>, String> {
        if self.eat('Z') {
            return Ok(Some(UtcOffset::UTC));
        }
        let negative = match self.peek() {
            Some('+') => false,
            Some('-') => true,
            _ => return Ok(None),
        };
        self.next();
        let (hours, minutes, seconds, micros) = self.clock()?;
        if minutes > 59 || seconds > 59 {
            return Err("a UTC offset's minutes and seconds are within 0..59".to_owned());
        }
        let total = ((i64::from(hours) * 60 + i64::from(minutes)) * 60 + i64::from(seconds))
            * MICROS_PER_SECOND
            + i64::from(micros);
        UtcOffset::new(if negative { -total } else { total }).map(Some)
    }

    fn time(&mut self) -> Result<Time, String> {
        let (hour, minute, second, micro) = self.clock()?;
        let time = Time::new(hour, minute, second, micro)?;
        let offset = self.offset()?;
        let fold = self.rest() == " fold=1";
        if fold {
            self.skip_rest();
        }
        Ok(Time {
            offset,
            fold,
            ..time
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip() {
        for text in [
            "2024-02-29T12:30:00",
            "2024-02-29T12:30:00.000001+05:30",
            "0001-01-01T00:00:00-23:59:59.999999",
            "2021-11-07T01:30:00-05:00 fold=1",
            "+10000-01-01T00:00:00",
            "-0001-12-31T23:59:59",
        ] {
            let value: DateTime = text.parse().unwrap();
            assert_eq!(value.to_string(), text);
        }
        assert_eq!("12:30".parse::<Time>().unwrap().to_string(), "12:30:00");
        assert_eq!("-0.5".parse::<TimeDelta>().unwrap().microseconds, -500_000);
        assert_eq!(
            "-0.5".parse::<TimeDelta>().unwrap().to_string(),
            "-0.500000"
        );
        assert_eq!("UTC".parse::<UtcOffset>().unwrap().to_string(), "+00:00");
    }

    #[test]
    fn impossible_values_are_refused() {
        assert!("2023-02-29T00:00:00".parse::<DateTime>().is_err());
        assert!("24:00:00".parse::<Time>().is_err());
        assert!("12:00:00.1234567".parse::<Time>().is_err());
        assert!("12:00:00+24:00".parse::<Time>().is_err());
    }

    #[test]
    fn days_since_epoch_round_trip_across_eras() {
        for days in [-1_000_000, -719_468, -1, 0, 1, 11_016, 2_932_896] {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
    }

    #[test]
    fn instants_ignore_the_offset_they_are_written_in() {
        let a: DateTime = "2024-01-01T01:00:00+01:00".parse().unwrap();
        let b: DateTime = "2024-01-01T00:00:00+00:00".parse().unwrap();
        assert_eq!(a.instant(), b.instant());
        assert_ne!(a, b);
        assert_eq!(
            "2024-01-01T00:00:00".parse::<DateTime>().unwrap().instant(),
            None
        );
    }
}
