//! Judging one step: do the two outcomes (and the fixture's expectation) agree?
//!
//! The Rust side is the reference. Values must be canonically equal; errors must agree through
//! the error contract (Rust kind K ⇒ Python raised K's declared class, with a conforming
//! message); a `PanicException` in Python and a panic in Rust are always failures; a member
//! absent at runtime is `missing`. Each disagreement becomes one [`Failure`].

use pyo3_conformance_model::{
    CallbackCall, CallsRule, CompareOptions, Failure, FailureKind, Manifest, MessageRule, Observed,
    Outcome, Value, compare, is_instance, kind_family, kind_is,
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
        expected: None,
        operation: None,
    }
}

fn sides(mut failure: Failure, rust: &Outcome, python: &Outcome) -> Failure {
    failure.rust = Some(rust.describe());
    failure.python = Some(python.describe());
    failure
}

/// Whether a step did not run on this side because an object it needed was not made.
pub(crate) fn is_unbound(outcome: &Outcome) -> bool {
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
    // Whether the two sides agree under the step's own comparison (under `dict_order`, dicts
    // in two orders do not): they then share a verdict on the expectation.
    let mut agree = python == rust;
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
        (_, Outcome::Unrepresentable { message }) => found.push(sides(
            failure(
                FailureKind::Output,
                index,
                format!("{label}: Python gave {message}, which no canonical value can hold"),
            ),
            rust,
            python,
        )),
        (Outcome::Unrepresentable { message }, _) => found.push(sides(
            failure(
                FailureKind::Output,
                index,
                format!("{label}: Rust gave {message}, which no canonical value can hold"),
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
            let parted = differences(
                index,
                label,
                &ordered_as(step, left),
                &ordered_as(step, right),
                &manifest.compare,
                ("rust", "python"),
            );
            agree = parted.is_empty();
            found.extend(parted);
        }
        (Outcome::Raised { .. }, Outcome::Raised { .. }) => {
            found.extend(
                contract(index, (label, step.signature), rust, python, manifest)
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
    if agree {
        found.extend(expectation(index, step, rust, "rust and python", manifest));
    } else {
        found.extend(expectation(index, step, rust, "rust", manifest));
        found.extend(expectation(index, step, python, "python", manifest));
    }
    for failure in &mut found {
        failure.operation = Some(step.action.operation().into_owned());
    }
    found
}

/// The calls the code under test made to the step's callbacks: the same callbacks, in the same
/// order, with canonically equal arguments, on both sides (an `output` failure otherwise: the
/// binding computes something else than the crate, even where the results agree).
pub(crate) fn judge_calls(
    index: usize,
    step: &PlannedStep,
    (rust, python): (&Observed, &Observed),
    manifest: &Manifest,
) -> Vec<Failure> {
    if is_unbound(&rust.outcome) || is_unbound(&python.outcome) {
        return Vec::new();
    }
    if rust.calls.is_empty() && python.calls.is_empty() {
        return Vec::new();
    }
    let (rust, python) = (
        &comparable_calls(&rust.calls, manifest),
        &comparable_calls(&python.calls, manifest),
    );
    let as_value = |call: &CallbackCall| {
        Value::Tuple(vec![
            Value::Str(call.callback.clone()),
            Value::Tuple(call.args.clone()),
            Value::Dict(
                call.kwargs
                    .iter()
                    .map(|(name, value)| (Value::Str(name.clone()), value.clone()))
                    .collect(),
            ),
        ])
    };
    let options = CompareOptions::default();
    let differs = |(a, b): &(&CallbackCall, &CallbackCall)| {
        !compare(&as_value(a), &as_value(b), &options, ("rust", "python")).is_empty()
    };
    let first_difference = rust
        .iter()
        .zip(python.iter())
        .position(|pair| differs(&pair));
    let label = &step.label;
    let message = match first_difference {
        Some(at) => format!(
            "{label}: callback call {} differs: Rust called {}, Python called {}",
            at + 1,
            rust[at].describe(),
            python[at].describe()
        ),
        None if rust.len() != python.len() => format!(
            "{label}: the code under test called back {} in Rust, {} in Python",
            times(rust.len()),
            times(python.len())
        ),
        None => return Vec::new(),
    };
    let at = first_difference.unwrap_or(rust.len().min(python.len()));
    vec![Failure {
        kind: FailureKind::Output,
        step: Some(index),
        message,
        path: Some(format!("calls[{at}]")),
        rust: Some(describe_calls(rust)),
        python: Some(describe_calls(python)),
        expected: None,
        operation: None,
    }]
}

/// The calls as their callbacks' `calls` rules compare them: those of `exact` callbacks in
/// order, then those of `unordered` ones sorted, then the distinct calls of `distinct` ones.
fn comparable_calls(calls: &[CallbackCall], manifest: &Manifest) -> Vec<CallbackCall> {
    let rule = |call: &CallbackCall| {
        manifest
            .callbacks
            .get(&call.callback)
            .map(|spec| spec.calls)
            .unwrap_or_default()
    };
    let key = |call: &CallbackCall| {
        (
            call.callback.clone(),
            call.args.clone(),
            call.kwargs.clone(),
        )
    };
    let of = |wanted: CallsRule| calls.iter().filter(move |c| rule(c) == wanted).cloned();
    let mut unordered: Vec<CallbackCall> = of(CallsRule::Unordered).collect();
    unordered.sort_by_key(key);
    let mut distinct: Vec<CallbackCall> = of(CallsRule::Distinct).collect();
    distinct.sort_by_key(key);
    distinct.dedup_by_key(|call| key(call));
    of(CallsRule::Exact)
        .chain(unordered)
        .chain(distinct)
        .collect()
}

fn times(count: usize) -> String {
    match count {
        1 => "once".to_owned(),
        n => format!("{n} times"),
    }
}

/// Calls in one line, as Python would write them; long records are cut.
fn describe_calls(calls: &[CallbackCall]) -> String {
    const SHOWN: usize = 8;
    if calls.is_empty() {
        return "no callback calls".to_owned();
    }
    let mut text: Vec<String> = calls
        .iter()
        .take(SHOWN)
        .map(CallbackCall::describe)
        .collect();
    if calls.len() > SHOWN {
        text.push(format!("… {} more", calls.len() - SHOWN));
    }
    format!("calls {}", text.join(", "))
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
            expected: None,
            operation: None,
        })
        .collect()
}

/// Rust failed with `kind`; Python raised `class`: does the contract agree?
/// Classes that catch everything: raising one where the contract names a specific class is
/// the "generic error" drift, worth saying so.
const CATCH_ALL: [&str; 3] = [
    "builtins.Exception",
    "builtins.RuntimeError",
    "builtins.BaseException",
];

/// Rust failed and Python raised: does the contract agree? (Both outcomes are `Raised`.)
fn contract(
    index: usize,
    (label, signature): (&str, Option<&pyo3_conformance_model::Signature>),
    rust: &Outcome,
    python: &Outcome,
    manifest: &Manifest,
) -> Vec<Failure> {
    let (
        Outcome::Raised {
            kind,
            message,
            attributes: details,
            ..
        },
        Outcome::Raised {
            kind: class,
            message: py_message,
            bases,
            attributes,
        },
    ) = (rust, python)
    else {
        return Vec::new();
    };
    let fail =
        |message: String| failure(FailureKind::Exception, index, format!("{label}: {message}"));
    let Some(mapping) = manifest.error_mapping_in(signature, kind) else {
        return vec![fail(format!(
            "Rust error kind '{kind}' is not in the error contract (Python raised {class})"
        ))];
    };
    let mut found = Vec::new();
    let is_a = |wanted: &str| is_instance(class, bases, wanted);
    let right_class = is_a(&mapping.exception);
    if !right_class {
        let what = if CATCH_ALL.contains(&class.as_str()) {
            "the catch-all "
        } else {
            ""
        };
        found.push(fail(format!(
            "Rust error {kind} must raise {}, but Python raised {what}{class}",
            mapping.exception
        )));
    } else {
        for base in mapping.bases.iter().filter(|base| !is_a(base)) {
            found.push(fail(format!(
                "{class} (for Rust error {kind}) does not derive from the contracted base {base}"
            )));
        }
    }
    // An exception of another class fails on its class alone: the entry's message rules and
    // attributes are the contracted class's (Python reads `args` and the attributes only of
    // the classes whose entries name them). PyO3 words its own refusal of an argument; Rust's
    // is serde's: no default rule can hold, so an `ArgumentError` entry compares messages
    // only where it says how.
    let worded_by_pyo3 = kind_family(kind) == crate::ARGUMENT_ERROR
        && mapping.message == pyo3_conformance_model::MessageRules::default();
    let compare_message = right_class && !worded_by_pyo3;
    for rule in mapping.message.rules().iter().filter(|_| compare_message) {
        if let Some(wanted) = message_rule(rule, (message, details), (py_message, attributes)) {
            found.push(fail(format!(
                "the {class} message {py_message:?} does not conform: the contract wants {wanted}"
            )));
        }
    }
    for name in mapping.attributes.iter().filter(|_| right_class) {
        match (attributes.get(name), details.get(name)) {
            (None, _) => found.push(fail(format!(
                "{class} has no attribute '{name}', which the contract requires"
            ))),
            (Some(actual), Some(expected))
                if actual != expected || actual.type_name() != expected.type_name() =>
            {
                found.push(fail(format!(
                    "{class}.{name} is {actual} in Python, {expected} in Rust"
                )));
            }
            _ => {}
        }
    }
    found
}

/// What `rule` wants where the Python exception does not meet it; `None` where it does.
/// Arguments are compared as canonical values: the Rust error's `args` detail where the
/// adapter gives one (`KeyError(7)` has the int 7), else its message.
fn message_rule(
    rule: &MessageRule,
    (message, details): (&str, &std::collections::BTreeMap<String, Value>),
    (py_message, attributes): (&str, &std::collections::BTreeMap<String, Value>),
) -> Option<String> {
    // Made only for a rule that compares arguments (the usual rule compares messages).
    let rust_args = || -> std::borrow::Cow<'_, [Value]> {
        match details.get("args") {
            Some(Value::Tuple(items) | Value::List(items)) => items.as_slice().into(),
            Some(single) => vec![single.clone()].into(),
            None => vec![Value::str(message)].into(),
        }
    };
    let py_args = match attributes.get("args") {
        Some(Value::Tuple(args)) => args.as_slice(),
        _ => &[],
    };
    let equal = |a: &[Value], b: &[Value]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x == y && x.type_name() == y.type_name())
    };
    let first_arg = || {
        let rust_args = rust_args();
        equal(
            &py_args[..py_args.len().min(1)],
            &rust_args[..rust_args.len().min(1)],
        )
    };
    let conforms = match rule {
        MessageRule::Display => py_message == message,
        MessageRule::Ignore => true,
        MessageRule::Pattern(pattern) => {
            regex::Regex::new(pattern).is_ok_and(|re| re.is_match(py_message))
        }
        // Python's repr decides which characters it escapes (str.isprintable), so Python
        // tells whether str(e) is repr(e.args[0]); the judge checks what e.args[0] is.
        MessageRule::Repr => {
            first_arg() && attributes.get("$str_is_repr_of_first_arg") == Some(&Value::Bool(true))
        }
        MessageRule::FirstArg => first_arg(),
        MessageRule::Args => equal(py_args, &rust_args()),
    };
    if conforms {
        return None;
    }
    // Worded only for a failure: most exceptions conform, and a case should not pay for it.
    let shown = || {
        rust_args()
            .first()
            .map(Value::to_json_string)
            .unwrap_or_default()
    };
    Some(match rule {
        MessageRule::Display => format!("str(e) to equal Rust's {message:?}"),
        MessageRule::Ignore => String::new(),
        MessageRule::Pattern(pattern) => format!("str(e) to match /{pattern}/"),
        MessageRule::Repr => format!(
            "str(e) to be the repr of e.args[0], and e.args[0] to be {}",
            shown()
        ),
        MessageRule::FirstArg => format!("e.args[0] to be {}", shown()),
        MessageRule::Args => format!(
            "e.args to be {}",
            Value::Tuple(rust_args().into_owned()).to_json_string()
        ),
    })
}

fn what_it_did(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Returned { value } => format!("returned {value}"),
        other => other.describe(),
    }
}

/// A result as the step compares it: with `unordered`, a top-level list or tuple in canonical
/// order, so two sequences are equal when they hold the same items as often (a multiset).
fn ordered_as<'a>(step: &PlannedStep, value: &'a Value) -> std::borrow::Cow<'a, Value> {
    use std::borrow::Cow;
    match value {
        Value::List(items) if step.unordered => Cow::Owned(Value::List(sorted(items))),
        Value::Tuple(items) if step.unordered => Cow::Owned(Value::Tuple(sorted(items))),
        other => Cow::Borrowed(other),
    }
}

fn sorted(items: &[Value]) -> Vec<Value> {
    let mut items = items.to_vec();
    items.sort();
    items
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
                    &ordered_as(step, expected),
                    &ordered_as(step, value),
                    &manifest.compare,
                    ("expected", side),
                );
                let actual = Some(value.to_json_string());
                for failure in &mut found {
                    failure.expected = Some(expected.to_json_string());
                    failure.rust = side.starts_with("rust").then(|| actual.clone()).flatten();
                    failure.python = side.ends_with("python").then(|| actual.clone()).flatten();
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
        let class = &manifest
            .error_mapping_in(step.signature, kind)
            .expect("the plan checks `raises` against the contract")
            .exception;
        let raised = match outcome {
            // By instance, as the contract check: a subclass of the contracted class passes.
            Outcome::Raised {
                kind: actual,
                bases,
                ..
            } => kind_is(actual, kind) || is_instance(actual, bases, class),
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
