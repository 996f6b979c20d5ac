//! The data contract of pyo3-conformance, shared by the Rust harness, its Python package and CI.
//!
//! Everything here is plain data with a JSON encoding and no PyO3: the canonical [`Value`] both
//! languages map into, the [`Manifest`] that describes a component, the [`Scenario`] fixture
//! format, and the [`ScenarioVerdict`] a run produces. Keeping it in its own small crate (as nextest
//! keeps `nextest-metadata` apart from its runner) lets tools read fixtures and reports without
//! pulling in the runner or an interpreter.
//!
//! Conversions between Rust values and canonical values go through serde: [`to_value`] turns
//! anything `Serialize` into a [`Value`], and [`from_value`] reads a [`Value`] back into any
//! `Deserialize` type, which is how adapters receive their arguments.

#![warn(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

mod compare;
mod manifest;
mod report;
mod scenario;
pub mod schema;
mod surface;
mod value;
mod verdict;

pub use compare::{Difference, compare};
pub use manifest::{
    Attribute, CallbackSpec, CallsRule, Class, CompareOptions, Constraints, DatetimeComparison,
    DecimalComparison, ErrorMapping, FALLBACK_ERROR, Manifest, MessageRule, MessageRules,
    MethodKind, Param, ParamKind, Property, Signature, ValueProjection, kind_family, kind_is,
};
pub use report::{
    CaseReport, CaseStatus, Interpreter, Ledger, LedgerEntry, Report, ReportFailure, Rerun,
    Selector, Summary,
};
pub use scenario::{Collect, Scenario, Step, StepAction};
pub use surface::{Callable, DefaultValue, Member, ParamView, Surface, python_repr, str_repr};
pub use value::{
    Bytes, CALLBACK_MARKER, Canonical, FrozenSet, MAX_DEPTH, OBJ_MARKER, Object, PyKey, Set, Std,
    StdValue, Tuple, Value, ValueDeserializer, ValueError, from_args, from_value, py_repr, stdlib,
    to_value, value_type_name,
};
pub use verdict::{
    CallbackCall, CapturedOutput, Failure, FailureKind, Observed, Outcome, ScenarioVerdict,
    StepReport, is_instance, labelled_sides,
};
