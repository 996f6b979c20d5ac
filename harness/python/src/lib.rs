//! `pyo3_conformance._native`: the harness's Rust core, for Python.
//!
//! One implementation, two languages: the value codec, the comparator and the judge that
//! `cargo test` uses are the ones the pytest plugin uses, called through this module. Results
//! cross as plain dicts and lists; the only exception type is `HarnessError`, for bad input
//! (a broken fixture, a missing snapshot), mapped in one place, [`to_py_err`]. Divergences are
//! never exceptions: they are verdicts, returned as data.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_conformance::model::{ScenarioVerdict, Value, compare as compare_values};

pyo3::create_exception!(
    pyo3_conformance,
    HarnessError,
    pyo3::exceptions::PyException
);

/// The one place where harness errors cross into Python.
fn to_py_err(error: pyo3_conformance::Error) -> PyErr {
    HarnessError::new_err(error.to_string())
}

fn verdict_dict<'py>(py: Python<'py>, verdict: &ScenarioVerdict) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("id", &verdict.id)?;
    dict.set_item("component", &verdict.component)?;
    dict.set_item("file", &verdict.file)?;
    dict.set_item("passed", verdict.passed())?;
    let failures = PyList::empty(py);
    for failure in &verdict.failures {
        let item = PyDict::new(py);
        item.set_item("kind", failure.kind.as_str())?;
        item.set_item("step", failure.step)?;
        item.set_item("message", &failure.message)?;
        item.set_item("path", &failure.path)?;
        item.set_item("rust", &failure.rust)?;
        item.set_item("python", &failure.python)?;
        item.set_item("expected", &failure.expected)?;
        failures.append(item)?;
    }
    dict.set_item("failures", failures)?;
    dict.set_item(
        "report",
        pyo3_conformance::__private::render_verdict(verdict),
    )?;
    Ok(dict)
}

#[pymodule]
mod _native {
    use super::*;

    #[pymodule_export]
    use super::HarnessError;

    /// Every scenario under a fixtures directory: `[{"id", "path", "component"}]`, sorted.
    #[pyfunction]
    fn discover<'py>(
        py: Python<'py>,
        fixtures: std::path::PathBuf,
    ) -> PyResult<Bound<'py, PyList>> {
        let cases = PyList::empty(py);
        for component in pyo3_conformance::__private::discover(&fixtures).map_err(to_py_err)? {
            for path in &component.scenarios {
                let case = PyDict::new(py);
                case.set_item(
                    "id",
                    pyo3_conformance::__private::scenario_id(&component, path),
                )?;
                case.set_item("path", path)?;
                case.set_item("component", &component.manifest.component)?;
                cases.append(case)?;
            }
        }
        Ok(cases)
    }

    /// Runs the Python side of one scenario file against its recorded Rust result.
    ///
    /// Returns the verdict as a dict (`passed`, `failures`, `report`), plus `snapshot` (the
    /// recorded file), `pending` (the Python side in the snapshot format), and the verdict
    /// judged against the component's ledger: `status` (`pass`, `fail`, `known`), `ledger`
    /// (the reasons of accepted failures) and `details`.
    #[pyfunction]
    fn check_scenario<'py>(
        py: Python<'py>,
        path: std::path::PathBuf,
    ) -> PyResult<Bound<'py, PyDict>> {
        let check =
            pyo3_conformance::__private::check_against_recorded(&path).map_err(to_py_err)?;
        let dict = verdict_dict(py, &check.verdict)?;
        dict.set_item("snapshot", check.snapshot)?;
        dict.set_item("pending", check.python_body)?;
        let status = match check.case.status {
            pyo3_conformance::model::CaseStatus::Pass => "pass",
            pyo3_conformance::model::CaseStatus::Fail => "fail",
            pyo3_conformance::model::CaseStatus::Known => "known",
        };
        dict.set_item("status", status)?;
        let reasons: Vec<String> = check
            .case
            .failures
            .iter()
            .filter_map(|f| f.ledger.clone())
            .collect();
        dict.set_item("ledger", reasons)?;
        dict.set_item(
            "details",
            pyo3_conformance::__private::render_case(&check.case),
        )?;
        // The case as a report holds it (the interpreter included), for --conformance-report.
        dict.set_item(
            "case",
            serde_json::to_string(&check.case).map_err(|e| HarnessError::new_err(e.to_string()))?,
        )?;
        Ok(dict)
    }

    /// A `report.json` text (the gate's schema) of these cases, each as `check_scenario`
    /// gave it under `case`; `complete` once every selected case has run. Each component's
    /// API-surface table comes from its snapshot under `fixtures`' sibling `snapshots/`.
    #[pyfunction]
    fn report_json(
        cases: Vec<String>,
        complete: bool,
        fixtures: std::path::PathBuf,
    ) -> PyResult<String> {
        let mut report = pyo3_conformance::model::Report {
            complete,
            ..Default::default()
        };
        // Each component's snapshot is looked for once, found or not.
        let mut looked = std::collections::BTreeSet::new();
        for case in cases {
            let case: pyo3_conformance::model::CaseReport =
                serde_json::from_str(&case).map_err(|e| HarnessError::new_err(e.to_string()))?;
            if looked.insert(case.component.clone()) {
                let dir = fixtures.join(&case.component);
                if let Ok(component) = pyo3_conformance::__private::load_component(&dir) {
                    if let Some(table) = pyo3_conformance::__private::api_surface_table(&component)
                    {
                        report.surfaces.insert(case.component.clone(), table);
                    }
                }
            }
            report.cases.push(case);
        }
        report.recount();
        let mut text = serde_json::to_string_pretty(&report)
            .map_err(|e| HarnessError::new_err(e.to_string()))?;
        text.push('\n');
        Ok(text)
    }

    /// A Python object in the canonical tagged JSON encoding.
    #[pyfunction]
    fn encode(value: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(pyo3_conformance::__private::python_to_value(value)?.to_json_string())
    }

    /// A canonical tagged JSON text as a Python object.
    #[pyfunction]
    fn decode<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| HarnessError::new_err(e.to_string()))?;
        pyo3_conformance::__private::value_to_python(py, &value)
    }

    /// Where two Python objects differ as canonical values: `[{"path", "reason"}]` (empty when
    /// they are equal: `True` is not `1`, a tuple is not a list, NaN equals NaN).
    #[pyfunction]
    fn compare<'py>(
        py: Python<'py>,
        left: &Bound<'py, PyAny>,
        right: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let (left, right) = (
            pyo3_conformance::__private::python_to_value(left)?,
            pyo3_conformance::__private::python_to_value(right)?,
        );
        let differences = PyList::empty(py);
        for difference in compare_values(&left, &right, &Default::default(), ("left", "right")) {
            let item = PyDict::new(py);
            item.set_item("path", difference.path)?;
            item.set_item("reason", difference.reason)?;
            differences.append(item)?;
        }
        Ok(differences)
    }
}
