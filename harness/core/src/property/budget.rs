//! How much a property run searches: a number of cases per target, a time for the whole run,
//! or both, whichever runs out first.
//!
//! A count is per target, as proptest's `PROPTEST_CASES` is per test: a component with more
//! targets searches longer. A time is for the whole run and split evenly over its targets,
//! because a CI job budgets minutes, not cases. Every report says how many cases each target
//! actually ran, so a time budget never hides how little was searched. The same knobs reach
//! every front end: `conformance prop --cases/--time`, `conformance gate --prop-cases/--prop-time`
//! and, for `cargo test`, the variables `PROPTEST_CASES` and `PYO3_CONFORMANCE_PROP_TIME`.

use std::time::Duration;

/// The variable that gives `cargo test`'s property runs a time budget (`30s`, `2m`).
pub const TIME_VARIABLE: &str = "PYO3_CONFORMANCE_PROP_TIME";

/// What a property run may spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Cases per target (`None`: as many as the time allows).
    pub cases: Option<u32>,
    /// Time for the whole run, split evenly over its targets.
    pub time: Option<Duration>,
}

impl Budget {
    /// `cases` cases per target, no time limit.
    pub fn cases(cases: u32) -> Self {
        Self {
            cases: Some(cases),
            time: None,
        }
    }

    /// A budget from a count and a time, either optional; with neither, `default_cases`.
    pub fn new(cases: Option<u32>, time: Option<Duration>, default_cases: u32) -> Self {
        match (cases, time) {
            (None, None) => Self::cases(default_cases),
            (cases, time) => Self { cases, time },
        }
    }

    /// One target's share of the budget, out of `targets`.
    pub(crate) fn per_target(self, targets: usize) -> Self {
        Self {
            cases: self.cases,
            time: self
                .time
                .map(|time| time / u32::try_from(targets.max(1)).unwrap_or(u32::MAX)),
        }
    }

    /// The budget in words, for reports: `256 cases per target`, `30s split over targets`.
    pub fn describe(self) -> String {
        let time = self
            .time
            .map(|time| format!("{} split over targets", humantime::format_duration(time)));
        match (self.cases, time) {
            (Some(cases), None) => format!("{cases} cases per target"),
            (None, Some(time)) => time,
            (Some(cases), Some(time)) => format!("{cases} cases per target or {time}"),
            (None, None) => "no budget".to_owned(),
        }
    }
}

/// Reads a duration as people write it: `30s`, `2m`, `1m 30s`, `500ms`.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|error| format!("bad duration {text:?} ({error}); write it as 30s, 2m or 500ms"))
}

/// The time budget `cargo test` gives property runs, from `PYO3_CONFORMANCE_PROP_TIME`.
pub(crate) fn time_from_env() -> Result<Option<Duration>, String> {
    match std::env::var(TIME_VARIABLE) {
        Ok(text) if !text.trim().is_empty() => parse_duration(&text)
            .map(Some)
            .map_err(|error| format!("{TIME_VARIABLE}: {error}")),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_is_split_over_targets_and_a_count_is_not() {
        let budget = Budget::new(Some(100), Some(Duration::from_secs(30)), 256);
        let share = budget.per_target(3);
        assert_eq!(share.cases, Some(100));
        assert_eq!(share.time, Some(Duration::from_secs(10)));
        assert_eq!(Budget::new(None, None, 256), Budget::cases(256));
    }

    #[test]
    fn durations_read_as_people_write_them_and_bad_ones_say_how() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1m 30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        let error = parse_duration("thirty").unwrap_err();
        assert!(error.contains("30s, 2m or 500ms"), "{error}");
    }
}
