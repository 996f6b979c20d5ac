//! chrono ↔ canonical, as PyO3's `chrono` feature converts: `NaiveDate` is a `date`,
//! `NaiveTime` a naive `time`, `NaiveDateTime` a naive `datetime`, `DateTime<FixedOffset>`
//! an aware one at its offset, `DateTime<Utc>` an aware one at `+00:00` (any aware datetime
//! is taken at its instant), `TimeDelta` a `timedelta`, `FixedOffset` and `Utc` a `timezone`.

use chrono::{
    Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta as ChronoDelta, TimeZone,
    Timelike, Utc,
};

use crate::value::ValueError;
use crate::value::canonical::{Canonical, mismatch};
use crate::value::stdlib::{Date, DateTime, StdValue, Time, TimeDelta, UtcOffset};

fn date(value: NaiveDate) -> Result<Date, ValueError> {
    Date::new(value.year(), value.month() as u8, value.day() as u8).map_err(ValueError::new)
}

fn time(value: NaiveTime) -> Result<Time, ValueError> {
    Time::from_nanos(
        value.hour(),
        value.minute(),
        value.second(),
        value.nanosecond(),
    )
}

fn naive_date(value: Date) -> Result<NaiveDate, ValueError> {
    NaiveDate::from_ymd_opt(value.year, value.month.into(), value.day.into())
        .ok_or_else(|| ValueError::new(format!("chrono cannot hold {value}")))
}

fn naive_time(value: Time) -> Result<NaiveTime, ValueError> {
    NaiveTime::from_hms_micro_opt(
        value.hour.into(),
        value.minute.into(),
        value.second.into(),
        value.microsecond,
    )
    .ok_or_else(|| ValueError::new(format!("chrono cannot hold the time {value}")))
}

fn fixed(offset: UtcOffset) -> Result<FixedOffset, ValueError> {
    if offset.microseconds % 1_000_000 != 0 {
        return Err(ValueError::new(format!(
            "chrono's FixedOffset cannot hold {offset} (whole seconds only)"
        )));
    }
    FixedOffset::east_opt((offset.microseconds / 1_000_000) as i32)
        .ok_or_else(|| ValueError::new(format!("chrono cannot hold the offset {offset}")))
}

fn offset(value: FixedOffset) -> UtcOffset {
    UtcOffset {
        microseconds: i64::from(value.local_minus_utc()) * 1_000_000,
    }
}

fn naive_datetime(value: DateTime) -> Result<NaiveDateTime, ValueError> {
    Ok(NaiveDateTime::new(
        naive_date(value.date)?,
        naive_time(value.time)?,
    ))
}

fn datetime(value: NaiveDateTime, offset: Option<UtcOffset>) -> Result<DateTime, ValueError> {
    Ok(DateTime {
        date: date(value.date())?,
        time: time(value.time())?.with_offset(offset),
    })
}

impl Canonical for NaiveDate {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        date(*self).map(StdValue::Date)
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::Date(value) => naive_date(value),
            other => Err(mismatch("date", &other)),
        }
    }
}

impl Canonical for NaiveTime {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        time(*self).map(StdValue::Time)
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::Time(value) if value.offset.is_none() => naive_time(value),
            StdValue::Time(value) => Err(ValueError::new(format!(
                "expected a naive time for NaiveTime, got the aware {value}"
            ))),
            other => Err(mismatch("time", &other)),
        }
    }
}

impl Canonical for NaiveDateTime {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        datetime(*self, None).map(StdValue::DateTime)
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::DateTime(value) => {
                value.naive("NaiveDateTime")?;
                naive_datetime(value)
            }
            other => Err(mismatch("datetime", &other)),
        }
    }
}

impl Canonical for chrono::DateTime<FixedOffset> {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        datetime(self.naive_local(), Some(offset(*self.offset()))).map(StdValue::DateTime)
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::DateTime(value) => {
                let zone = fixed(value.aware_offset("DateTime<FixedOffset>")?)?;
                zone.from_local_datetime(&naive_datetime(value)?)
                    .single()
                    .ok_or_else(|| ValueError::new(format!("chrono cannot hold {value}")))
            }
            other => Err(mismatch("datetime", &other)),
        }
    }
}

impl Canonical for chrono::DateTime<Utc> {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        datetime(self.naive_utc(), Some(UtcOffset::UTC)).map(StdValue::DateTime)
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        chrono::DateTime::<FixedOffset>::from_canonical(value).map(|at| at.with_timezone(&Utc))
    }
}

impl Canonical for ChronoDelta {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        // Microseconds, truncated toward zero in the sub-second part as PyO3 does.
        let seconds = i128::from(self.num_seconds());
        let micros = i128::from(self.subsec_nanos() / 1000);
        Ok(StdValue::TimeDelta(TimeDelta {
            microseconds: seconds * 1_000_000 + micros,
        }))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::TimeDelta(delta) => i64::try_from(delta.microseconds.div_euclid(1_000_000))
                .ok()
                .and_then(|seconds| {
                    let micros = delta.microseconds.rem_euclid(1_000_000) as u32;
                    ChronoDelta::new(seconds, micros * 1000)
                })
                .ok_or_else(|| {
                    ValueError::new(format!("chrono cannot hold a timedelta of {delta} s"))
                }),
            other => Err(mismatch("timedelta", &other)),
        }
    }
}

impl Canonical for FixedOffset {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::TimeZone(offset(*self)))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::TimeZone(value) => fixed(value),
            other => Err(mismatch("timezone", &other)),
        }
    }
}

impl Canonical for Utc {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::TimeZone(UtcOffset::UTC))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::TimeZone(UtcOffset::UTC) => Ok(Utc),
            StdValue::TimeZone(value) => Err(ValueError::new(format!(
                "expected the UTC timezone, got {value}"
            ))),
            other => Err(mismatch("timezone", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Std;

    #[test]
    fn chrono_values_keep_offset_and_truncate_nanoseconds() {
        let at = FixedOffset::east_opt(5 * 3600 + 1800)
            .unwrap()
            .with_ymd_and_hms(2024, 2, 29, 12, 30, 5)
            .unwrap()
            + ChronoDelta::nanoseconds(1_999);
        let value = crate::to_value(&Std(at)).unwrap();
        assert_eq!(
            value.to_json_string(),
            r#"{"$datetime":"2024-02-29T12:30:05.000001+05:30"}"#
        );
        let back: Std<chrono::DateTime<FixedOffset>> = crate::from_value(value).unwrap();
        assert_eq!(back.0, at - ChronoDelta::nanoseconds(999));
        let naive: Result<Std<NaiveDateTime>, _> =
            crate::from_value(crate::to_value(&Std(at)).unwrap());
        assert!(naive.unwrap_err().to_string().contains("naive"));
    }

    #[test]
    fn chrono_deltas_are_timedeltas() {
        let delta = -ChronoDelta::microseconds(1_500_001);
        let value = crate::to_value(&Std(delta)).unwrap();
        assert_eq!(value.to_json_string(), r#"{"$timedelta":"-1.500001"}"#);
        assert_eq!(
            crate::from_value::<Std<ChronoDelta>>(value).unwrap().0,
            delta
        );
    }
}
