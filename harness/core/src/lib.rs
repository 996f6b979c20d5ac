//! pyo3-conformance: run the same scenarios through a Rust crate and through its PyO3 binding,
//! and compare them value by value and exception by exception.
//!
//! # Shape
//!
//! A user writes one [`Adapter`] per component (one closure per operation) and a manifest and
//! scenarios as JSON fixtures. The harness does the rest, in stages that each own one concern:
//!
//! 1. `fixtures` finds and reads fixture files, with errors that name file and line;
//! 2. `plan` checks a scenario against its manifest and adapter before anything runs;
//! 3. `runner` runs the plan on the Rust side (panics caught) and, through `python`, in the
//!    embedded interpreter, then `judge` compares the outcomes step by step; `objects` keeps
//!    what steps bind (the scenario's bundle) and passes it back as `Obj<T>` arguments;
//!    `callbacks` hands the adapter's closures to the code under test as `Callback`
//!    arguments and records every call, on both sides, for the judge;
//! 4. `signature` compares the API surface three ways: the manifest, the runtime (`inspect`)
//!    and the stub (`ast`), through `python::inspect`;
//!    `contract` checks the error contract as a whole (classes, bases, coverage);
//!    `property` generates scenarios from the manifest's types and shrinks divergences;
//!    `recorded` keeps the Rust side of each scenario as a snapshot and checks the Python side
//!    against it without Rust (the pytest plugin);
//!    `gate` applies the divergence ledger and writes the CI reports;
//! 5. `report` renders verdicts; [`cli`] and [`testing`] are the two front ends; the CLI runs
//!    scenarios in a watched worker process (`supervisor`), so a crash or a hang of the code
//!    under test becomes a `crash` or `timeout` verdict and the run goes on.
//!
//! The data types (values, manifests, scenarios, verdicts) live in `pyo3-conformance-model`,
//! re-exported here as [`model`], so tools can read them without an interpreter.

#![warn(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

mod adapter;
mod args;
mod callbacks;
pub mod cli;
mod contract;
mod error;
mod fixtures;
mod gate;
mod interrupt;
mod judge;
mod objects;
mod plan;
mod property;
mod python;
mod recorded;
mod report;
mod runner;
mod rust_error;
mod signature;
mod supervisor;
pub mod testing;

// The API an adapter author learns: the adapter and the markers its closures take and return,
// the errors they give, the test front end (`testing`, `conformance_tests!`) and the CLI.
pub use adapter::{ARGUMENT_ERROR, Adapter, ClassBuilder};
pub use args::Args;
pub use callbacks::Callback;
pub use error::{Error, ErrorKind, Result};
pub use objects::Obj;
/// The property-testing library the harness generates with, at the harness's pin: an adapter's
/// custom strategies (`Adapter::strategy`) use it through here, with no dependency of its own.
pub use proptest;
pub use pyo3_conformance_model as model;
pub use pyo3_conformance_model::{Bytes, Canonical, FrozenSet, Set, Std, Tuple, Value, stdlib};
pub use rust_error::{IntoRustError, RustError, detailed};
/// The serialization library adapters convert through, at the harness's pin (for
/// `#[derive(Serialize)]`, add `#[serde(crate = "pyo3_conformance::serde")]`).
pub use serde;

/// The stages one by one, for this repository's other crates (the Python package, the
/// benchmarks) and the harness's own checks: not part of the API an adopter learns, and free
/// to change between versions (as insta keeps its `_macro_support`).
#[doc(hidden)]
pub mod __private {
    pub use crate::contract::{contract_verdict, errors_id};
    pub use crate::fixtures::{
        ComponentFixtures, MANIFEST, component_dir_of, discover, load_component, scenario_id,
    };
    pub use crate::gate::{
        LEDGER, case_report, in_shard, judged, load_ledger, merge, read_report, render_case,
        write_reports,
    };
    pub use crate::plan::{Plan, plan_python_only, plan_scenario};
    pub use crate::property::{
        Budget, CaseRunner, Divergence, Gap, JudgedRun, PropertyConfig, TIME_VARIABLE,
        TargetReport, judged_run, properties_verdict, run_properties, run_scenario,
        sample_scenarios,
    };
    pub use crate::python::{
        InspectedModule, PythonEnvironment, inspect_module, prepare, python_to_value,
        value_to_python,
    };
    pub use crate::recorded::{
        RecordedCheck, RecordedStep, api_surface_table, check_against_recorded, read_snapshot,
        snapshot_body, snapshot_dir, snapshot_name, snapshot_verdict,
    };
    pub use crate::report::{render_totals, render_verdict, rerun_command};
    pub use crate::runner::{Judged, run_plan};
    pub use crate::signature::{
        SurfaceViews, compare_views, component_views, declared_surface, render_table,
        signature_verdict, signatures_id,
    };
}
