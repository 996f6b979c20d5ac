//! The Python side: the binding called in-process through embedded CPython.
//!
//! Three parts. `environment` finds the project's virtual environment and puts its
//! site-packages on the embedded interpreter's path (the embedded interpreter is the base
//! CPython the harness was linked against, not the venv's). `convert` maps Python objects to and
//! from canonical values. `session` runs a scenario's steps against the imported module, keeping
//! the objects earlier steps made. `inspect` reads a module's API surface (runtime and stub)
//! through the `surface.py` helper. `stdlib` converts the standard-library objects
//! (datetimes, decimals, UUIDs, paths, complex numbers) that `convert` hands it.
//!
//! Calls are made from Rust (`PyObject_Call` through PyO3), with no Python frame of ours
//! between the harness and the binding: whatever the call raises, `BaseException` and all, is
//! the step's outcome. PyO3 resumes a Rust panic only for the `PanicException` type of its own
//! copy, and every extension module (the binding's, the harness's `_native`) and the
//! `conformance` binary has a copy of its own: a binding's panic is observed as data and never
//! re-raised inside the harness (the hostile-binding and mutant tests hold it to that).

mod convert;
mod environment;
mod inspect;
pub(crate) mod interpreter;
mod session;
mod stdlib;

pub use environment::{PythonEnvironment, prepare};

/// A Python object as a canonical value (objects other than builtins become their class name).
/// One that contains itself or nests too deep is a `ValueError` saying where.
pub fn python_to_value(
    object: &pyo3::Bound<'_, pyo3::PyAny>,
) -> pyo3::PyResult<pyo3_conformance_model::Value> {
    convert::to_value(object, &convert::Projections::new()).map_err(|error| {
        match convert::unrepresentable(object.py(), &error) {
            Some(message) => pyo3::exceptions::PyValueError::new_err(message),
            None => error,
        }
    })
}

/// A canonical value as a Python object.
pub fn value_to_python<'py>(
    py: pyo3::Python<'py>,
    value: &pyo3_conformance_model::Value,
) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
    convert::to_python(py, value)
}
pub use inspect::{InspectedModule, inspect_module};
pub(crate) use session::{PythonSession, SessionCache, unbound as session_unbound};
