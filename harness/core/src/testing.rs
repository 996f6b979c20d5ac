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
//!
//! [`conformance_tests!`](crate::conformance_tests) writes the whole file: the four tests of a
//! component (`scenario`, `api_surface`, `error_contract`, `properties`) in one line.

use std::path::Path;

/// The four conformance tests of a component, one per fixture file, as the whole body of a
/// `harness = false` test target (which depends on `datatest-stable` and `insta`):
///
/// ```text
/// pyo3_conformance::conformance_tests!(my_conformance::adapter(), "../../fixtures/mine");
/// ```
///
/// - `scenario::<path>`: every file under `scenarios/` and `regressions/`, in both languages,
///   with the Rust side recorded as a snapshot;
/// - `api_surface::manifest.json`: manifest, runtime and stub agree, and the API-surface table
///   matches its snapshot;
/// - `error_contract::manifest.json`: the error contract as a whole, with its coverage;
/// - `properties::manifest.json`: a differential property run (`PROPTEST_CASES`,
///   `PROPTEST_RNG_SEED`, and `PYO3_CONFORMANCE_PROP_TIME` for a time budget).
#[macro_export]
macro_rules! conformance_tests {
    ($adapter:expr, $root:literal) => {
        fn scenario(path: &::std::path::Path) -> ::datatest_stable::Result<()> {
            $crate::testing::check_scenario(&$adapter, path)
        }

        fn api_surface(path: &::std::path::Path) -> ::datatest_stable::Result<()> {
            let table = $crate::testing::check_signatures(path)?;
            $crate::testing::snapshot_settings(path).bind(|| {
                ::insta::assert_snapshot!("api_surface", table);
            });
            Ok(())
        }

        fn error_contract(path: &::std::path::Path) -> ::datatest_stable::Result<()> {
            $crate::testing::check_error_contract(&$adapter, path)?;
            Ok(())
        }

        fn properties(path: &::std::path::Path) -> ::datatest_stable::Result<()> {
            $crate::testing::check_properties(&$adapter, path)
        }

        ::datatest_stable::harness! {
            { test = scenario, root = $root, pattern = r"^(scenarios|regressions)/.*\.json$" },
            { test = api_surface, root = $root, pattern = r"^manifest\.json$" },
            { test = error_contract, root = $root, pattern = r"^manifest\.json$" },
            { test = properties, root = $root, pattern = r"^manifest\.json$" },
        }
    };
}

use crate::adapter::Adapter;
use crate::fixtures::{component_dir_of, load_component};
use crate::plan::plan_scenario;
use crate::python::prepare;
use crate::report::render_verdict;
use crate::runner::run_plan;

/// Runs one scenario file in both languages and records the Rust side's result of every step
/// as the insta snapshot `snapshots/<component>/<path>.snap` (reviewed with `cargo insta
/// review`; the pytest plugin checks the Python side against it). `Err` carries the rendered
/// report of what diverged, or the harness error for a broken fixture; a changed Rust result
/// fails as a snapshot diff.
pub fn check_scenario(adapter: &Adapter, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let component = load_component(&component_dir_of(path)?)?;
    let plan = plan_scenario(&component, adapter, path)?;
    prepare(None)?;
    let verdict = run_plan(adapter, &component, &plan)?;
    let labels: Vec<String> = verdict.steps.iter().map(|s| s.label.to_string()).collect();
    let rust: Vec<_> = verdict.steps.iter().map(|s| s.rust.clone()).collect();
    let body = crate::recorded::snapshot_body(&labels, &rust);
    let name = crate::recorded::snapshot_name(&plan.id);
    snapshot_settings(path).bind(|| insta::assert_snapshot!(name, body));
    outside_the_ledger(&component, adapter, &verdict)
}

/// A failing test's report, as text: test runners print an error's `Debug`, which for a
/// `String` would be one escaped line (`"FAIL …\n  step 2 …"`).
struct TextReport(String);

impl std::fmt::Debug for TextReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for TextReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TextReport {}

fn failed(text: String) -> Box<dyn std::error::Error> {
    Box::new(TextReport(text))
}

/// `Ok` when the verdict passes or fails only as the component's ledger accepts; `Err` with
/// the report otherwise (an unexpected pass of a ledger entry included).
fn outside_the_ledger(
    component: &crate::fixtures::ComponentFixtures,
    adapter: &Adapter,
    verdict: &pyo3_conformance_model::ScenarioVerdict,
) -> Result<(), Box<dyn std::error::Error>> {
    let case = crate::gate::judged(component, Some(adapter), verdict)?;
    match case.status {
        pyo3_conformance_model::CaseStatus::Fail => {
            // The verdict's headline and file, then each failure the ledger does not accept
            // (with both sides and the reruns) once.
            let rendered = render_verdict(verdict);
            let headline = rendered.lines().next().unwrap_or_default();
            Err(failed(format!(
                "{headline}\n  file:  {}\n\n{}",
                verdict.file,
                crate::gate::render_case(&case)
            )))
        }
        _ => Ok(()),
    }
}

/// The component of a fixture path (a manifest, a scenario, or the component directory), with
/// the embedded interpreter prepared.
fn component_at(
    path: &Path,
) -> Result<crate::fixtures::ComponentFixtures, Box<dyn std::error::Error>> {
    let dir = if path.is_dir() {
        path.to_owned()
    } else {
        component_dir_of(path)?
    };
    let component = load_component(&dir)?;
    prepare(None)?;
    Ok(component)
}

/// Checks the signatures of the component whose manifest (or any fixture) is at `path`: the
/// manifest, the runtime and the stub must agree, but for what the component's ledger accepts.
/// Returns the API-surface table, for a snapshot; `Err` lists every other signature failure.
pub fn check_signatures(path: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let component = component_at(path)?;
    let views = crate::signature::component_views(&component)?;
    let verdict = crate::signature::signature_verdict(&component)?;
    let case = crate::gate::judged(&component, None, &verdict)?;
    if case.status == pyo3_conformance_model::CaseStatus::Fail {
        return Err(failed(crate::gate::render_case(&case)));
    }
    Ok(crate::signature::render_table(&views))
}

/// insta settings that put a component's snapshots in `snapshots/<component>/` beside
/// `fixtures/` (found from any fixture path of the component), named without module prefix.
pub fn snapshot_settings(fixture: &Path) -> insta::Settings {
    let component_dir = if fixture.is_dir() {
        Some(fixture.to_owned())
    } else {
        component_dir_of(fixture).ok()
    };
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    if let Some(dir) = component_dir.and_then(|d| d.canonicalize().ok()) {
        let component = dir.file_name().map(|n| n.to_owned()).unwrap_or_default();
        if let Some(root) = dir.parent().and_then(Path::parent) {
            settings.set_snapshot_path(root.join("snapshots").join(component));
        }
    }
    settings
}

/// Checks the error contract of the component whose manifest (or any fixture) is at `path`
/// as a whole: every contracted class exists with its bases and is in the stub, every entry is
/// exercised by some scenario, every error kind the adapter declares is contracted. `Ok`
/// carries the coverage notes.
pub fn check_error_contract(
    adapter: &Adapter,
    path: &Path,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let component = component_at(path)?;
    let verdict = crate::contract::contract_verdict(adapter, &component)?;
    outside_the_ledger(&component, adapter, &verdict)?;
    Ok(verdict.notes)
}

/// A differential property run over the component whose manifest (or any fixture) is at
/// `path`, configured like any proptest test (`PROPTEST_CASES`, `PROPTEST_RNG_SEED`; 256 cases
/// and seed 0 by default) plus a time budget (`PYO3_CONFORMANCE_PROP_TIME=30s`, split over the
/// targets), judged against the ledger as the gate judges its `properties` case. Each new
/// divergence is shrunk, written under `regressions/` and returned in the `Err` with the
/// command that replays it; an operation that cannot be generated fails the test too, unless
/// the manifest opts it out.
pub fn check_properties(adapter: &Adapter, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let component = component_at(path)?;
    let defaults = proptest::test_runner::Config::default();
    let seed = match defaults.rng_seed {
        proptest::test_runner::RngSeed::Fixed(seed) => seed,
        proptest::test_runner::RngSeed::Random => 0,
    };
    let time = crate::property::time_from_env().map_err(failed)?;
    // `PROPTEST_CASES` counts only where it is set, or where no time is.
    let cases = std::env::var("PROPTEST_CASES")
        .is_ok()
        .then_some(defaults.cases)
        .or(time.is_none().then_some(defaults.cases));
    let budget = crate::property::Budget { cases, time };
    let run = crate::property::judged_run(adapter, &component, budget, seed, true)?;
    let counts: Vec<String> = run
        .reports
        .iter()
        .map(|report| format!("{}: {} cases", report.id, report.cases))
        .collect();
    if run.case.status != pyo3_conformance_model::CaseStatus::Fail {
        return Ok(());
    }
    let mut text = crate::gate::render_case(&run.case);
    for (target, path) in &run.kept {
        let replay = crate::report::rerun_command(&crate::fixtures::scenario_id(&component, path));
        text.push_str(&format!(
            "\n{target}: kept as {}\n  replay: {replay}",
            path.display()
        ));
    }
    text.push_str(&format!("\n{}", counts.join("\n")));
    Err(failed(text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_failing_test_prints_its_report_as_text_not_as_an_escaped_string() {
        let error = super::failed("FAIL seed/x\n  step 2 [output] …".to_owned());
        assert_eq!(format!("{error:?}"), "FAIL seed/x\n  step 2 [output] …");
    }
}
