//! `cargo test` integration: one scenario file, one test.
//!
//! A component's adapter crate declares a `harness = false` test that hands every scenario file
//! to [`check_scenario`] through datatest-stable, so each file is a named test that `cargo test`
//! and `cargo nextest run` can filter and partition:
//!
//! ```text
//! fn scenario(path: &std::path::Path) -> datatest_stable::Result<()> {
//!     pyo3_conformance::testing::check_scenario(&my_adapter(), path)
//! }
//! datatest_stable::harness! {
//!     { test = scenario, root = "../fixtures/mine", pattern = r"^(scenarios|regressions)/.*\.json$" },
//! }
//! ```

use std::path::Path;

use crate::adapter::Adapter;
use crate::fixtures::{component_dir_of, load_component};
use crate::plan::plan_scenario;
use crate::python::prepare;
use crate::report::render_verdict;
use crate::runner::run_plan;

/// Runs one scenario file in both languages; `Err` carries the rendered report of what diverged
/// (or the harness error, for a broken fixture).
pub fn check_scenario(adapter: &Adapter, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let component = load_component(&component_dir_of(path)?)?;
    let plan = plan_scenario(&component, adapter, path)?;
    prepare(None)?;
    let verdict = run_plan(adapter, &component, &plan)?;
    if verdict.passed() {
        Ok(())
    } else {
        Err(render_verdict(&verdict).into())
    }
}
