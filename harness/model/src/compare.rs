//! The structured comparator: where two canonical values part, and how.
//!
//! It walks both values together and reports each place they differ with a JSONPath-like path
//! (`$.items[3].name`, `$[{"$int": "7"}]` for a non-str dict key), both sides, and a reason a
//! person can act on ("int on one side, float on the other"). Sets and dicts are matched by
//! canonical equality, not position; the walk stops after [`LIMIT`] differences so one broken
//! list does not bury the report.

use crate::value::cmp_float;
use crate::value::stdlib::StdValue;
use crate::{CompareOptions, DatetimeComparison, DecimalComparison, Value};

/// The most differences one comparison reports.
pub(crate) const LIMIT: usize = 10;

/// One place where two values differ.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Difference {
    /// Where, from the root `$`.
    pub path: String,
    /// What differs there.
    pub reason: String,
}

/// The differences between `left` and `right` (empty when they are canonically equal).
/// `left_name` and `right_name` name the sides in reasons ("rust", "python", "expected").
pub fn compare(
    left: &Value,
    right: &Value,
    options: &CompareOptions,
    names: (&str, &str),
) -> Vec<Difference> {
    let mut walk = Walk {
        options,
        names,
        found: Vec::new(),
    };
    walk.values("$".to_owned(), left, right);
    walk.found
}

struct Walk<'a> {
    options: &'a CompareOptions,
    names: (&'a str, &'a str),
    found: Vec<Difference>,
}

fn key_path(path: &str, key: &Value) -> String {
    match key {
        Value::Str(s) if !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_') => {
            format!("{path}.{s}")
        }
        other => format!("{path}[{}]", other.to_json_string()),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_json_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(79).collect::<String>())
    } else {
        text
    }
}

impl Walk<'_> {
    fn push(&mut self, path: &str, reason: String) {
        if self.found.len() < LIMIT {
            self.found.push(Difference {
                path: path.to_owned(),
                reason,
            });
        }
    }

    fn values(&mut self, path: String, left: &Value, right: &Value) {
        if self.found.len() >= LIMIT {
            return;
        }
        let (l, r) = self.names;
        match (left, right) {
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => {
                for (index, (x, y)) in a.iter().zip(b).enumerate() {
                    self.values(format!("{path}[{index}]"), x, y);
                }
                if a.len() != b.len() {
                    self.push(
                        &path,
                        format!("length {} on {l}, {} on {r}", a.len(), b.len()),
                    );
                }
            }
            (Value::Set(a), Value::Set(b)) | (Value::FrozenSet(a), Value::FrozenSet(b)) => {
                let only = |xs: &[Value], ys: &[Value]| -> Vec<String> {
                    xs.iter().filter(|x| !ys.contains(x)).map(short).collect()
                };
                let (only_left, only_right) = (only(a, b), only(b, a));
                if !only_left.is_empty() || !only_right.is_empty() {
                    self.push(
                        &path,
                        format!(
                            "set elements differ: only on {l} [{}], only on {r} [{}]",
                            only_left.join(", "),
                            only_right.join(", ")
                        ),
                    );
                }
            }
            (Value::Dict(a), Value::Dict(b)) => self.dicts(&path, a, b),
            (Value::Object(a), Value::Object(b)) => {
                if a.class != b.class {
                    self.push(
                        &path,
                        format!("class {} on {l}, {} on {r}", a.class, b.class),
                    );
                    return;
                }
                let left_state = Value::Dict(
                    a.state
                        .iter()
                        .map(|(k, v)| (Value::str(k), v.clone()))
                        .collect(),
                );
                let right_state = Value::Dict(
                    b.state
                        .iter()
                        .map(|(k, v)| (Value::str(k), v.clone()))
                        .collect(),
                );
                self.values(path, &left_state, &right_state);
            }
            (Value::Std(a), Value::Std(b)) if a.type_name() == b.type_name() => {
                if let Some(reason) = self.std_values(a, b) {
                    self.push(&path, reason);
                }
            }
            (Value::Float(a), Value::Float(b)) if cmp_float(*a, *b).is_ne() => {
                self.push(
                    &path,
                    format!("{} on {l}, {} on {r}", short(left), short(right)),
                );
            }
            _ if left.type_name() != right.type_name() => {
                self.push(
                    &path,
                    format!(
                        "{} {} on {l}, {} {} on {r}",
                        left.type_name(),
                        short(left),
                        right.type_name(),
                        short(right)
                    ),
                );
            }
            _ if left != right => {
                self.push(
                    &path,
                    format!("{} on {l}, {} on {r}", short(left), short(right)),
                );
            }
            _ => {}
        }
    }

    /// Why two standard-library values of one kind differ under the options, if they do, with
    /// what they still share (an instant, a number) where that is the telling part.
    fn std_values(&self, a: &StdValue, b: &StdValue) -> Option<String> {
        let (l, r) = self.names;
        let hint = match (a, b) {
            (StdValue::DateTime(x), StdValue::DateTime(y)) => {
                let same_instant = x.instant().is_some() && x.instant() == y.instant();
                if same_instant && self.options.datetimes == DatetimeComparison::Instant {
                    return None;
                }
                match (x.time.offset, y.time.offset) {
                    (Some(_), Some(_)) if same_instant => {
                        " (the same instant at another UTC offset)"
                    }
                    (None, Some(_)) => " (naive on one side, aware on the other)",
                    (Some(_), None) => " (aware on one side, naive on the other)",
                    _ => "",
                }
            }
            (StdValue::Decimal(x), StdValue::Decimal(y)) => {
                let same_number = x.numeric_key() == y.numeric_key();
                if same_number && self.options.decimals == DecimalComparison::Numeric {
                    return None;
                }
                if same_number {
                    " (the same number, written with another exponent)"
                } else {
                    ""
                }
            }
            _ => "",
        };
        (a != b).then(|| format!("{a} on {l}, {b} on {r}{hint}"))
    }

    fn dicts(&mut self, path: &str, a: &[(Value, Value)], b: &[(Value, Value)]) {
        let (l, r) = self.names;
        for (key, value) in a {
            match b.iter().find(|(other, _)| other == key) {
                Some((_, other)) => self.values(key_path(path, key), value, other),
                None => self.push(
                    &key_path(path, key),
                    format!("key present on {l}, missing on {r}"),
                ),
            }
        }
        for (key, _) in b {
            if !a.iter().any(|(other, _)| other == key) {
                self.push(
                    &key_path(path, key),
                    format!("key missing on {l}, present on {r}"),
                );
            }
        }
        if self.options.dict_order && self.found.is_empty() {
            let order = |entries: &[(Value, Value)]| {
                entries.iter().map(|(k, _)| short(k)).collect::<Vec<_>>()
            };
            if order(a) != order(b) {
                self.push(
                    path,
                    format!(
                        "key order [{}] on {l}, [{}] on {r}",
                        order(a).join(", "),
                        order(b).join(", ")
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn diff(left: &str, right: &str) -> Vec<Difference> {
        compare(
            &json(left),
            &json(right),
            &CompareOptions::default(),
            ("rust", "python"),
        )
    }

    #[test]
    fn equal_values_have_no_difference() {
        assert!(
            diff(
                r#"{"a": [1, {"$float": "nan"}]}"#,
                r#"{"a": [1, {"$float": "nan"}]}"#
            )
            .is_empty()
        );
        assert!(diff(r#"{"$set": [1, 2]}"#, r#"{"$set": [2, 1]}"#).is_empty());
    }

    #[test]
    fn the_path_names_where_values_part() {
        let found = diff(
            r#"{"items": [1, 2, {"name": "a"}]}"#,
            r#"{"items": [1, 2, {"name": "b"}]}"#,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "$.items[2].name");
        assert_eq!(found[0].reason, r#""a" on rust, "b" on python"#);
    }

    #[test]
    fn kinds_are_named_when_they_differ() {
        let found = diff("[1]", r#"{"$tuple": [1]}"#);
        assert_eq!(
            found[0].reason,
            "list [1] on rust, tuple {\"$tuple\":[1]} on python"
        );
        assert_eq!(
            diff("1", "1.0")[0].reason,
            "int 1 on rust, float 1.0 on python"
        );
        assert_eq!(diff("-0.0", "0.0")[0].reason, "-0.0 on rust, 0.0 on python");
    }

    #[test]
    fn aware_datetimes_compare_instant_and_offset_unless_told_otherwise() {
        let (paris, utc) = (
            r#"{"$datetime": "2024-01-01T01:00:00+01:00"}"#,
            r#"{"$datetime": "2024-01-01T00:00:00+00:00"}"#,
        );
        let found = diff(paris, utc);
        assert_eq!(
            found[0].reason,
            "2024-01-01T01:00:00+01:00 on rust, 2024-01-01T00:00:00+00:00 on python \
             (the same instant at another UTC offset)"
        );
        let instants = CompareOptions {
            datetimes: DatetimeComparison::Instant,
            ..CompareOptions::default()
        };
        assert!(compare(&json(paris), &json(utc), &instants, ("rust", "python")).is_empty());
        let later = r#"{"$datetime": "2024-01-01T00:00:01+00:00"}"#;
        assert_eq!(
            compare(&json(paris), &json(later), &instants, ("rust", "python")).len(),
            1
        );
        let naive = r#"{"$datetime": "2024-01-01T00:00:00"}"#;
        assert!(
            diff(naive, utc)[0]
                .reason
                .ends_with("(naive on one side, aware on the other)")
        );
        let folded = diff(
            r#"{"$datetime": "2021-11-07T01:30:00 fold=1"}"#,
            r#"{"$datetime": "2021-11-07T01:30:00"}"#,
        );
        assert_eq!(folded.len(), 1);
        assert_eq!(
            diff(r#"{"$date": "2024-02-29"}"#, naive)[0].reason,
            "date {\"$date\":\"2024-02-29\"} on rust, datetime {\"$datetime\":\"2024-01-01T00:00:00\"} on python"
        );
    }

    #[test]
    fn decimals_compare_exactly_unless_told_to_compare_numbers() {
        let (a, b) = (r#"{"$decimal": "1.10"}"#, r#"{"$decimal": "1.1"}"#);
        assert_eq!(
            diff(a, b)[0].reason,
            "1.10 on rust, 1.1 on python (the same number, written with another exponent)"
        );
        let numeric = CompareOptions {
            decimals: DecimalComparison::Numeric,
            ..CompareOptions::default()
        };
        assert!(compare(&json(a), &json(b), &numeric, ("rust", "python")).is_empty());
        let nan = r#"{"$decimal": "NaN"}"#;
        assert!(diff(nan, nan).is_empty());
        assert_eq!(diff(nan, r#"{"$decimal": "sNaN"}"#).len(), 1);
        assert_eq!(
            diff(
                r#"{"$complex": [0.0, 1.0]}"#,
                r#"{"$complex": [-0.0, 1.0]}"#
            )
            .len(),
            1
        );
    }

    #[test]
    fn dict_keys_and_set_members_are_matched_not_positioned() {
        let found = diff(
            r#"{"$dict": [[1, "a"], [2, "b"]]}"#,
            r#"{"$dict": [[2, "b"]]}"#,
        );
        assert_eq!(found[0].path, "$[1]");
        assert!(found[0].reason.contains("missing on python"));
        let found = diff(r#"{"$set": [1, 2]}"#, r#"{"$set": [2, 3]}"#);
        assert!(
            found[0]
                .reason
                .contains("only on rust [1], only on python [3]"),
            "{}",
            found[0].reason
        );
    }
}
