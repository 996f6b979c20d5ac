//! What every check module needs: stand-in bindings on the Python path, component fixtures in
//! a temporary directory, and a run of every scenario of a component.

use std::path::Path;

use pyo3::prelude::*;
use pyo3_conformance::__private::{load_component, plan_scenario, prepare, run_plan};
use pyo3_conformance::Adapter;
use pyo3_conformance::model::{FailureKind, ScenarioVerdict};

/// Prepares the interpreter and puts `dir` first on `sys.path`, so modules written there import.
pub(crate) fn on_python_path(dir: &Path) {
    prepare(None).unwrap();
    Python::attach(|py| {
        let path = py.import("sys").unwrap().getattr("path").unwrap();
        path.call_method1("insert", (0, dir.to_str().unwrap()))
            .unwrap();
    });
}

/// Writes a component directory: `manifest.json` and `scenarios/<name>.json` for each
/// `(name, steps)`, where `steps` is the JSON array of steps.
pub(crate) fn write_component(dir: &Path, manifest: &str, scenarios: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::write(dir.join("manifest.json"), manifest).unwrap();
    for (name, steps) in scenarios {
        let text = format!(r#"{{"steps": {steps}}}"#);
        std::fs::write(dir.join("scenarios").join(format!("{name}.json")), text).unwrap();
    }
}

/// Every scenario of the component in `dir`, run in both languages.
pub(crate) fn run_component(adapter: &Adapter, dir: &Path) -> Vec<ScenarioVerdict> {
    let component = load_component(dir).unwrap();
    component
        .scenarios
        .iter()
        .map(|path| {
            let plan = plan_scenario(&component, adapter, path).unwrap();
            run_plan(adapter, &component, &plan).unwrap()
        })
        .collect()
}

/// Every failure of every scenario of the component in `dir`: its kind and message.
pub(crate) fn failures_of(adapter: &Adapter, dir: &Path) -> Vec<(FailureKind, String)> {
    run_component(adapter, dir)
        .into_iter()
        .flat_map(|verdict| verdict.failures)
        .map(|failure| (failure.kind, failure.message))
        .collect()
}
