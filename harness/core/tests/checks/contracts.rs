//! Error-contract checks. The Rust side is a handful of std operations with typed errors; the
//! correct stand-in binding raises each contracted exception faithfully, and each faulty one
//! breaks the contract one way: (a) a variant mapped to the wrong class, (b) a lost message,
//! (c) a panic, (d) an exception where Rust succeeds, (e) a value where Rust fails, (f) an
//! exception class without its contracted base, (g) an attribute that disagrees with Rust
//! (1-based where Rust is 0-based), (h) an attribute the exception lacks.

use std::fmt;

use pyo3_conformance::__private::{contract_verdict, load_component};
use pyo3_conformance::model::FailureKind;
use pyo3_conformance::{Adapter, detailed};
use serde::Serialize;

use crate::support::{on_python_path, run_component, write_component};

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum DemoError {
    DivisionByZero,
    NegationOverflow,
    Missing(String),
    NonAscii { position: usize },
    Negative { value: i64 },
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DivisionByZero => f.write_str("division by zero"),
            Self::NegationOverflow => f.write_str("negation overflows"),
            Self::Missing(key) => write!(f, "missing {key}"),
            Self::NonAscii { position } => write!(f, "non-ASCII character at {position}"),
            Self::Negative { value } => write!(f, "{value} is negative"),
        }
    }
}

fn adapter() -> Adapter {
    Adapter::new("errs")
        .error_kinds(&[
            "DivisionByZero",
            "NegationOverflow",
            "Missing",
            "NonAscii",
            "Negative",
            "ParseIntError",
        ])
        .try_function("divide", |(a, b): (i64, i64)| {
            a.checked_div(b).ok_or(DemoError::DivisionByZero)
        })
        .try_function("parse", |(text,): (String,)| text.parse::<i64>())
        .try_function("negate", |(x,): (i64,)| {
            x.checked_neg().ok_or(DemoError::NegationOverflow)
        })
        .try_function("lookup", |(key,): (String,)| {
            if key == "one" {
                Ok(1)
            } else {
                Err(DemoError::Missing(key))
            }
        })
        .function("halve", |(x,): (i64,)| x / 2)
        .try_function("root", |(x,): (i64,)| {
            if x < 0 {
                Err(DemoError::Negative { value: x })
            } else {
                Ok((x as f64).sqrt())
            }
        })
        .try_function("ascii_len", |(text,): (String,)| {
            match text.chars().position(|c| !c.is_ascii()) {
                Some(position) => Err(detailed(DemoError::NonAscii { position })),
                None => Ok(text.len()),
            }
        })
}

const MANIFEST: &str = r#"{
  "component": "errs",
  "module": "MODULE",
  "functions": {
    "divide": {"params": [{"name": "a"}, {"name": "b"}]},
    "parse": {"params": [{"name": "text"}]},
    "negate": {"params": [{"name": "x"}]},
    "lookup": {"params": [{"name": "key"}]},
    "halve": {"params": [{"name": "x"}]},
    "root": {"params": [{"name": "x"}]},
    "ascii_len": {"params": [{"name": "text"}]}
  },
  "errors": {
    "DivisionByZero": {"exception": "builtins.ZeroDivisionError", "bases": ["builtins.ArithmeticError"]},
    "ParseIntError": {"exception": "MODULE.ParseError", "bases": ["builtins.ValueError"]},
    "NegationOverflow": {"exception": "MODULE.NegationOverflow", "bases": ["builtins.ArithmeticError"]},
    "Missing": {"exception": "builtins.KeyError", "message": "repr"},
    "Negative": {"exception": "builtins.ValueError", "message": {"pattern": "is negative$"}},
    "NonAscii": {"exception": "MODULE.NonAsciiError", "attributes": ["position"], "message": "first_arg"}
  }
}"#;

const GOOD: &str = r#"
class ParseError(ValueError): pass
class NegationOverflow(ArithmeticError): pass
class NonAsciiError(ValueError):
    def __init__(self, message, position):
        super().__init__(message)
        self.position = position

def divide(a, b):
    if b == 0: raise ZeroDivisionError("division by zero")
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q
def parse(text):
    try: return int(text)
    except ValueError: raise ParseError("invalid digit found in string") from None
def negate(x):
    if x == -2**63: raise NegationOverflow("negation overflows")
    return -x
def lookup(key):
    if key == "one": return 1
    raise KeyError(f"missing {key}")
def halve(x): return int(x / 2)
def root(x):
    if x < 0: raise ValueError(f"{x} is negative")
    return x ** 0.5
def ascii_len(text):
    for i, c in enumerate(text):
        if ord(c) > 127: raise NonAsciiError(f"non-ASCII character at {i}", i)
    return len(text)
"#;

/// Each fault as an edit of the correct module: (what to find, what to put instead).
const FAULTS: &[(&str, (&str, &str), FailureKind, &str)] = &[
    (
        "a_wrong_class",
        (
            "raise ZeroDivisionError(\"division by zero\")",
            "raise ValueError(\"division by zero\")",
        ),
        FailureKind::Exception,
        "divide(): Rust error DivisionByZero must raise builtins.ZeroDivisionError, but Python raised builtins.ValueError",
    ),
    (
        "b_lost_message",
        (
            "raise ParseError(\"invalid digit found in string\")",
            "raise ParseError()",
        ),
        FailureKind::Exception,
        "parse(): the MODULE.ParseError message \"\" does not conform: the contract wants str(e) to equal Rust's \"invalid digit found in string\"",
    ),
    (
        "c_panics",
        (
            "    raise KeyError(f\"missing {key}\")",
            "    raise PanicException(\"called `Option::unwrap()` on a `None` value\")",
        ),
        FailureKind::Panic,
        "lookup(): a Rust panic reached Python as PanicException: called `Option::unwrap()` on a `None` value",
    ),
    (
        "d_raises_where_rust_succeeds",
        (
            "def halve(x): return int(x / 2)",
            "def halve(x):\n    if x % 2: raise ValueError('odd')\n    return x // 2",
        ),
        FailureKind::Exception,
        "halve(): Python raised builtins.ValueError where Rust returned a value",
    ),
    (
        "e_succeeds_where_rust_fails",
        (
            "    if x < 0: raise ValueError(f\"{x} is negative\")",
            "    if x < 0: return float('nan')",
        ),
        FailureKind::Exception,
        "root(): Python returned a value where Rust failed with Negative",
    ),
    (
        "f_missing_base",
        (
            "class NegationOverflow(ArithmeticError): pass",
            "class NegationOverflow(Exception): pass",
        ),
        FailureKind::Exception,
        "negate(): MODULE.NegationOverflow (for Rust error NegationOverflow) does not derive from the contracted base builtins.ArithmeticError",
    ),
    (
        "g_attribute_differs",
        (
            "raise NonAsciiError(f\"non-ASCII character at {i}\", i)",
            "raise NonAsciiError(f\"non-ASCII character at {i}\", i + 1)",
        ),
        FailureKind::Exception,
        "ascii_len(): MODULE.NonAsciiError.position is 2 in Python, 1 in Rust",
    ),
    (
        "h_attribute_missing",
        ("        self.position = position\n", ""),
        FailureKind::Exception,
        "ascii_len(): MODULE.NonAsciiError has no attribute 'position', which the contract requires",
    ),
];

/// Every scenario, each exercising one operation: together they reach every contract entry.
const SCENARIOS: &[(&str, &str)] = &[
    (
        "divide",
        r#"[{"call": "divide", "args": [7, 2]}, {"call": "divide", "args": [1, 0], "raises": "DivisionByZero"}]"#,
    ),
    (
        "parse",
        r#"[{"call": "parse", "args": ["42"]}, {"call": "parse", "args": ["4x2"], "raises": "ParseIntError"}]"#,
    ),
    (
        "negate",
        r#"[{"call": "negate", "args": [5]}, {"call": "negate", "args": [-9223372036854775808]}]"#,
    ),
    (
        "lookup",
        r#"[{"call": "lookup", "args": ["one"]}, {"call": "lookup", "args": ["two"]}]"#,
    ),
    (
        "halve",
        r#"[{"call": "halve", "args": [8]}, {"call": "halve", "args": [7]}]"#,
    ),
    (
        "root",
        r#"[{"call": "root", "args": [16]}, {"call": "root", "args": [-4]}]"#,
    ),
    (
        "ascii_len",
        r#"[{"call": "ascii_len", "args": ["abc"]}, {"call": "ascii_len", "args": ["aé!"]}]"#,
    ),
];

const PANIC: &str =
    "class PanicException(BaseException): pass\nPanicException.__module__ = 'pyo3_runtime'\n";

/// Writes the module `name` (the correct one with `edit` applied) and its component, and
/// returns the component directory.
fn write(dir: &std::path::Path, name: &str, edit: (&str, &str)) -> std::path::PathBuf {
    assert!(
        edit.0.is_empty() || GOOD.contains(edit.0),
        "the edit must apply: {}",
        edit.0
    );
    let source = format!(
        "{PANIC}{}",
        if edit.0.is_empty() {
            GOOD.to_owned()
        } else {
            GOOD.replacen(edit.0, edit.1, 1)
        }
    );
    std::fs::write(dir.join(format!("{name}.py")), source).unwrap();
    let component = dir.join(name).join("errs");
    write_component(&component, &MANIFEST.replace("MODULE", name), SCENARIOS);
    component
}

#[test]
fn the_faithful_binding_keeps_the_contract_and_covers_it() {
    let dir = tempfile::tempdir().unwrap();
    let component = write(dir.path(), "errs_good", ("", ""));
    on_python_path(dir.path());
    for verdict in run_component(&adapter(), &component) {
        assert!(
            verdict.passed(),
            "false alarm on {}: {:#?}",
            verdict.id,
            verdict.failures
        );
    }
    let verdict = contract_verdict(&adapter(), &load_component(&component).unwrap()).unwrap();
    assert!(verdict.passed(), "{:#?}", verdict.failures);
    assert_eq!(
        verdict.notes[0],
        "error coverage: 6 of 6 contract entries exercised (DivisionByZero ×1, Missing ×1, \
         NegationOverflow ×1, Negative ×1, NonAscii ×1, ParseIntError ×1)"
    );
}

#[test]
fn each_broken_contract_is_caught_with_its_kind_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut components = Vec::new();
    for (name, edit, _, _) in FAULTS {
        let module = format!("errs_{name}");
        components.push((module.clone(), write(dir.path(), &module, *edit)));
    }
    on_python_path(dir.path());
    for ((name, _, kind, message), (module, component)) in FAULTS.iter().zip(&components) {
        let failures: Vec<_> = run_component(&adapter(), component)
            .into_iter()
            .flat_map(|v| v.failures)
            .collect();
        let expected = message.replace("MODULE", module);
        assert!(
            failures
                .iter()
                .any(|f| f.kind == *kind && f.message == expected),
            "{name}: expected a {kind:?} failure {expected:?}, got {:#?}",
            failures
                .iter()
                .map(|f| (&f.kind, &f.message))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_wrong_class_fails_on_its_class_alone() {
    // The contracted class names an attribute and a message rule (`first_arg`); a plain
    // ValueError, which lacks the attribute and words its message otherwise, is one failure
    // (its class), not more about an attribute and a message it was never meant to carry.
    let dir = tempfile::tempdir().unwrap();
    let component = write(
        dir.path(),
        "errs_class_alone",
        (
            "raise NonAsciiError(f\"non-ASCII character at {i}\", i)",
            "raise ValueError(f\"not ASCII: {c!r}\")",
        ),
    );
    on_python_path(dir.path());
    let messages: Vec<String> = run_component(&adapter(), &component)
        .into_iter()
        .flat_map(|v| v.failures)
        .map(|f| f.message)
        .collect();
    assert_eq!(
        messages,
        [
            "ascii_len(): Rust error NonAscii must raise errs_class_alone.NonAsciiError, but Python raised builtins.ValueError"
        ]
    );
}

#[test]
fn the_contract_case_checks_classes_bases_and_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let component = write(dir.path(), "errs_whole", FAULTS[5].1);
    // One contract entry that no scenario reaches, and one the module does not define.
    let manifest = std::fs::read_to_string(component.join("manifest.json")).unwrap();
    let manifest = manifest.replace(
        r#""errors": {"#,
        r#""errors": {"Unreached": {"exception": "errs_whole.NoSuchError"},"#,
    );
    std::fs::write(component.join("manifest.json"), manifest).unwrap();
    on_python_path(dir.path());
    let verdict = contract_verdict(
        &adapter().error_kinds(&["DivisionByZero", "Timeout"]),
        &load_component(&component).unwrap(),
    )
    .unwrap();
    let messages: Vec<&str> = verdict
        .failures
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "NegationOverflow: errs_whole.NegationOverflow does not derive from the contracted base builtins.ArithmeticError",
            "Unreached: errs_whole.NoSuchError does not exist",
            "contract entry Unreached → errs_whole.NoSuchError is exercised by no scenario",
            "Rust error kind Timeout (declared by the adapter) is not in the error contract",
        ]
    );
}
