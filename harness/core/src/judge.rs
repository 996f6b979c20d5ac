//! Judging one step: do the two outcomes (and the fixture's expectation) agree?
//!
//! The Rust side is the reference. Values must be canonically equal; errors must agree through
//! the error contract (Rust kind K ⇒ Python raised K's declared class, with a conforming
//! message); a `PanicException` in Python and a panic in Rust are always failures; a member
//! absent at runtime is `missing`. Each disagreement becomes one [`Failure`].

use pyo3_conformance_model::{
    CompareOptions, Failure, FailureKind, Manifest, MessageRule, Outcome, Value, compare,
};

use crate::plan::PlannedStep;

const UNBOUND: &str = "pyo3_conformance.Unbound";

fn failure(kind: FailureKind, step: usize, message: String) -> Failure {
    Failure {
        kind,
        step: Some(step),
        message,
        path: None,
        rust: None,
        python: None,
    }
}

fn sides(mut failure: Failure, rust: &Outcome, python: &Outcome) -> Failure {
    failure.rust = Some(rust.describe());
    failure.python = Some(python.describe());
    failure
}

fn is_unbound(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Raised { kind, .. } if kind == UNBOUND)
}

/// Every failure of one step.
pub(crate) fn judge(
    index: usize,
    step: &PlannedStep,
    rust: &Outcome,
    python: &Outcome,
    manifest: &Manifest,
) -> Vec<Failure> {
    let mut found = Vec::new();
    if is_unbound(rust) || is_unbound(python) {
        // The step could not run on one side because an earlier constructor failed there; that
        // constructor's step already carries the failure.
        return found;
    }
    let label = &step.label;
    match (rust, python) {
        (_, Outcome::Panicked { message }) => found.push(sides(
            failure(
                FailureKind::Panic,
                index,
                format!("{label}: a Rust panic reached Python as PanicException: {message}"),
            ),
            rust,
            python,
        )),
        (Outcome::Panicked { message }, _) => found.push(sides(
            failure(
                FailureKind::Panic,
                index,
                format!("{label}: the Rust API panicked: {message}"),
            ),
            rust,
            python,
        )),
        (_, Outcome::Missing { message }) => found.push(sides(
            failure(FailureKind::Missing, index, format!("{label}: {message}")),
            rust,
            python,
        )),
        (Outcome::Missing { message }, _) => found.push(sides(
            failure(FailureKind::Missing, index, format!("{label}: {message}")),
            rust,
            python,
        )),
        (Outcome::Returned { value: left }, Outcome::Returned { value: right }) => {
            found.extend(differences(
                index,
                label,
                left,
                right,
                &manifest.compare,
                ("rust", "python"),
            ));
        }
        (
            Outcome::Raised { kind, message },
            Outcome::Raised {
                kind: class,
                message: py_message,
            },
        ) => {
            found.extend(
                contract(index, label, kind, message, class, py_message, manifest)
                    .into_iter()
                    .map(|f| sides(f, rust, python)),
            );
        }
        (Outcome::Returned { .. }, Outcome::Raised { kind: class, .. }) => found.push(sides(
            failure(
                FailureKind::Exception,
                index,
                format!("{label}: Python raised {class} where Rust returned a value"),
            ),
            rust,
            python,
        )),
        (Outcome::Raised { kind, .. }, Outcome::Returned { .. }) => found.push(sides(
            failure(
                FailureKind::Exception,
                index,
                format!("{label}: Python returned a value where Rust failed with {kind}"),
            ),
            rust,
            python,
        )),
    }
    if python == rust {
        found.extend(expectation(index, step, rust, "rust and python", manifest));
    } else {
        found.extend(expectation(index, step, rust, "rust", manifest));
        found.extend(expectation(index, step, python, "python", manifest));
    }
    found
}

fn differences(
    index: usize,
    label: &str,
    left: &Value,
    right: &Value,
    options: &CompareOptions,
    names: (&str, &str),
) -> Vec<Failure> {
    compare(left, right, options, names)
        .into_iter()
        .map(|difference| Failure {
            kind: FailureKind::Output,
            step: Some(index),
            message: format!("{label}: at {}: {}", difference.path, difference.reason),
            path: Some(difference.path),
            rust: Some(left.to_json_string()),
            python: Some(right.to_json_string()),
        })
        .collect()
}

/// Rust failed with `kind`; Python raised `class`: does the contract agree?
fn contract(
    index: usize,
    label: &str,
    kind: &str,
    message: &str,
    class: &str,
    py_message: &str,
    manifest: &Manifest,
) -> Vec<Failure> {
    let Some(mapping) = manifest.errors.get(kind) else {
        return vec![failure(
            FailureKind::Exception,
            index,
            format!(
                "{label}: Rust error kind '{kind}' is not in the error contract (Python raised {class})"
            ),
        )];
    };
    let mut found = Vec::new();
    if mapping.exception != class {
        found.push(failure(
            FailureKind::Exception,
            index,
            format!(
                "{label}: Rust error {kind} must raise {}, but Python raised {class}",
                mapping.exception
            ),
        ));
    }
    let conforms = match &mapping.message {
        MessageRule::Display => py_message == message,
        MessageRule::Ignore => true,
        MessageRule::Pattern(pattern) => {
            regex::Regex::new(pattern).is_ok_and(|re| re.is_match(py_message))
        }
    };
    if !conforms {
        let rule = match &mapping.message {
            MessageRule::Pattern(pattern) => format!("to match /{pattern}/"),
            _ => format!("to equal Rust's {message:?}"),
        };
        found.push(failure(
            FailureKind::Exception,
            index,
            format!("{label}: the {class} message {py_message:?} was expected {rule}"),
        ));
    }
    found
}

fn what_it_did(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Returned { value } => format!("returned {value}"),
        other => other.describe(),
    }
}

/// The fixture's own expectation, checked on one side.
fn expectation(
    index: usize,
    step: &PlannedStep,
    outcome: &Outcome,
    side: &str,
    manifest: &Manifest,
) -> Vec<Failure> {
    let label = &step.label;
    if let Some(expected) = &step.expect {
        return match outcome {
            Outcome::Returned { value } => {
                let mut found = differences(
                    index,
                    label,
                    expected,
                    value,
                    &manifest.compare,
                    ("expected", side),
                );
                for failure in &mut found {
                    failure.rust = Some(expected.to_json_string());
                    failure.python = Some(value.to_json_string());
                    failure.message = format!("{} (the fixture's `expect`)", failure.message);
                }
                found
            }
            other => vec![failure(
                FailureKind::Exception,
                index,
                format!(
                    "{label}: expected {}, but {side} {}",
                    expected.to_json_string(),
                    what_it_did(other)
                ),
            )],
        };
    }
    if let Some(kind) = &step.raises {
        let class = &manifest.errors[kind].exception;
        let raised = match outcome {
            Outcome::Raised { kind: actual, .. } => actual == kind || actual == class,
            _ => false,
        };
        if !raised {
            return vec![failure(
                FailureKind::Exception,
                index,
                format!(
                    "{label}: expected error {kind} ({class}), but {side} {}",
                    what_it_did(outcome)
                ),
            )];
        }
    }
    Vec::new()
}
