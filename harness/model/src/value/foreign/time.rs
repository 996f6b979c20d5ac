//! time ↔ canonical, as PyO3's `time` feature converts: `Date` is a `date`, `Time` a naive
//! `time`, `PrimitiveDateTime` a naive `datetime`, `OffsetDateTime` an aware one at its
//! offset, `Duration` a `timedelta`, `UtcOffset` a `timezone`.

use time::{
    Date as TimeDate, Duration, Month, OffsetDateTime, PrimitiveDateTime, UtcOffset as TimeOffset,
};

use crate::value::ValueError;
use crate::value::canonical::{Canonical, mismatch};
use crate::value::stdlib::{Date, DateTime, StdValue, Time, TimeDelta, UtcOffset};

fn out_of_range(what: impl std::fmt::Display) -> ValueError {
    ValueError::new(format!("the time crate cannot hold {what}"))
}

fn date(value: TimeDate) -> Result<Date, ValueError> {
    Date::new(value.year(), u8::from(value.month()), value.day()).map_err(ValueError::new)
}

fn clock(value: time::Time) -> Result<Time, ValueError> {
    Time::from_nanos(
        value.hour().into(),
        value.minute().into(),
        value.second().into(),
        value.nanosecond(),
    )
}

fn time_date(value: Date) -> Result<TimeDate, ValueError> {
    let month = Month::try_from(value.month).map_err(|_| out_of_range(value))?;
    TimeDate::from_calendar_date(value.year, month, value.day).map_err(|_| out_of_range(value))
}

fn time_clock(value: Time) -> Result<time::Time, ValueError> {
    time::Time::from_hms_micro(value.hour, value.minute, value.second, value.microsecond)
        .map_err(|_| out_of_range(value))
}

fn offset(value: TimeOffset) -> UtcOffset {
    UtcOffset {
        microseconds: i64::from(value.whole_seconds()) * 1_000_000,
    }
}

fn time_offset(value: UtcOffset) -> Result<TimeOffset, ValueError> {
    if value.microseconds % 1_000_000 != 0 {
        return Err(ValueError::new(format!(
            "the time crate's UtcOffset cannot hold {value} (whole seconds only)"
        )));
    }
    TimeOffset::from_whole_seconds((value.microseconds / 1_000_000) as i32)
        .map_err(|_| out_of_range(value))
}

fn primitive(value: DateTime) -> Result<PrimitiveDateTime, ValueError> {
    Ok(PrimitiveDateTime::new(
        time_date(value.date)?,
        time_clock(value.time)?,
    ))
}

impl Canonical for TimeDate {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        date(*self).map(StdValue::Date)
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::Date(value) => time_date(value),
            other => Err(mismatch("date", &other)),
        }
    }
}

impl Canonical for time::Time {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        clock(*self).map(StdValue::Time)
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::Time(value) if value.offset.is_none() => time_clock(value),
            StdValue::Time(value) => Err(ValueError::new(format!(
                "expected a naive time for time::Time, got the aware {value}"
            ))),
            other => Err(mismatch("time", &other)),
        }
    }
}

impl Canonical for PrimitiveDateTime {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::DateTime(DateTime {
            date: date(self.date())?,
            time: clock(self.time())?,
        }))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::DateTime(value) => {
                value.naive("PrimitiveDateTime")?;
                primitive(value)
            }
            other => Err(mismatch("datetime", &other)),
        }
    }
}

impl Canonical for OffsetDateTime {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::DateTime(DateTime {
            date: date(self.date())?,
            time: clock(self.time())?.with_offset(Some(offset(self.offset()))),
        }))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::DateTime(value) => {
                let zone = time_offset(value.aware_offset("OffsetDateTime")?)?;
                Ok(primitive(value)?.assume_offset(zone))
            }
            other => Err(mismatch("datetime", &other)),
        }
    }
}

impl Canonical for Duration {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::TimeDelta(TimeDelta {
            microseconds: self.whole_microseconds(),
        }))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::TimeDelta(delta) => {
                let seconds = i64::try_from(delta.microseconds.div_euclid(1_000_000))
                    .map_err(|_| out_of_range(delta))?;
                let micros = delta.microseconds.rem_euclid(1_000_000) as i32;
                Ok(Duration::new(seconds, micros * 1000))
            }
            other => Err(mismatch("timedelta", &other)),
        }
    }
}

impl Canonical for TimeOffset {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::TimeZone(offset(*self)))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::TimeZone(value) => time_offset(value),
            other => Err(mismatch("timezone", &other)),
        }
    }
}
