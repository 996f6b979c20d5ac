//! Which interpreter the Python side runs in: recorded on every case of a report, and what a
//! ledger entry scoped to some interpreters (`"interpreters": ["3.9"]`) is matched against.
//!
//! Asked once per process, and only when needed: the gate's supervisor and `merge` never start
//! an interpreter for it unless a ledger entry is scoped.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3_conformance_model::Interpreter;

/// This process's interpreter (starting it, in an embedding process), or `None` where it
/// cannot be asked.
pub(crate) fn current() -> Option<&'static Interpreter> {
    static CURRENT: OnceLock<Option<Interpreter>> = OnceLock::new();
    CURRENT
        .get_or_init(|| Python::attach(|py| describe(py).ok()))
        .as_ref()
}

fn describe(py: Python<'_>) -> PyResult<Interpreter> {
    let sys = py.import("sys")?;
    let version_info = sys.getattr("version_info")?;
    let major: u32 = version_info.get_item(0)?.extract()?;
    let minor: u32 = version_info.get_item(1)?.extract()?;
    let version: String = py
        .import("platform")?
        .call_method0("python_version")?
        .extract()?;
    let implementation: String = py
        .import("platform")?
        .call_method0("python_implementation")?
        .extract()?;
    let abiflags: String = sys
        .getattr("abiflags")
        .and_then(|flags| flags.extract())
        .unwrap_or_default();
    let tag = match implementation.as_str() {
        "CPython" => "cp",
        "PyPy" => "pp",
        _ => "py",
    };
    Ok(Interpreter {
        version,
        implementation,
        abi: format!("{tag}{major}{minor}{abiflags}"),
    })
}
