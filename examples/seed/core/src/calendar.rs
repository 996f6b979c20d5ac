//! Datetimes, durations and decimals: values that PyO3's `chrono` and `rust_decimal` features
//! convert to `datetime`, `date`, `timedelta` and `Decimal`, so the binding has conversions the
//! harness's standard-library values must agree with (an offset kept, microseconds kept, a
//! decimal's exponent kept). Results stay within Python's years 1–9999: a result beyond them
//! is an `Overflow`, as it would be unrepresentable on the Python side.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, TimeDelta};
use rust_decimal::Decimal;

use crate::SeedError;

fn within_python_years<T: Datelike>(value: T, operation: &'static str) -> Result<T, SeedError> {
    if (1..=9999).contains(&value.year()) {
        Ok(value)
    } else {
        Err(SeedError::Overflow { operation })
    }
}

/// `moment` moved by `minutes`, at the same UTC offset.
pub fn shift(
    moment: DateTime<FixedOffset>,
    minutes: i64,
) -> Result<DateTime<FixedOffset>, SeedError> {
    let overflow = SeedError::Overflow { operation: "shift" };
    let delta = TimeDelta::try_minutes(minutes).ok_or(overflow.clone())?;
    let shifted = moment.checked_add_signed(delta).ok_or(overflow)?;
    within_python_years(shifted, "shift")
}

/// The time from `start` to `end` (negative when `end` is earlier).
pub fn elapsed(start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> TimeDelta {
    end - start
}

/// `day` moved by `days` calendar days.
pub fn add_days(day: NaiveDate, days: i64) -> Result<NaiveDate, SeedError> {
    let moved = if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    within_python_years(
        moved.ok_or(SeedError::Overflow {
            operation: "add_days",
        })?,
        "add_days",
    )
}

/// `amount` rounded half to even to `places` decimal places; fewer places than `amount` has
/// are kept as they are (`1.10` stays `1.10` at 3 places).
pub fn round_price(amount: Decimal, places: u32) -> Decimal {
    amount.round_dp(places)
}
