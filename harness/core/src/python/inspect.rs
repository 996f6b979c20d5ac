//! Reading a module's API surface from the runtime and from its stub, in the embedded
//! interpreter, with the `surface.py` helper (Python's own `inspect` and `ast` do the reading).

use std::ffi::CString;
use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::PyModule;
use pyo3_conformance_model::{Surface, from_value};

use super::convert::{Projections, to_value};
use crate::error::{Error, ErrorKind, Result};

const SURFACE_PY: &str = include_str!("surface.py");

/// The runtime surface of a module and, when one is found (or given), its stub's.
#[derive(Debug, Clone)]
pub struct InspectedModule {
    /// What `inspect` sees.
    pub runtime: Surface,
    /// The stub file and what it declares.
    pub stub: Option<(PathBuf, Surface)>,
}

fn python_error(module: &str, what: &str, error: PyErr) -> Error {
    Error::new(ErrorKind::Python(format!(
        "cannot {what} of '{module}': {error}"
    )))
}

fn surface(object: &Bound<'_, PyAny>) -> PyResult<Surface> {
    let value = to_value(object, &Projections::new())?;
    from_value(value).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// Imports `module` and reads its runtime surface and its stub (`stub`, or the one found
/// beside the module or in a `-stubs` package).
pub fn inspect_module(
    py: Python<'_>,
    module: &str,
    stub: Option<&Path>,
) -> Result<InspectedModule> {
    let code = CString::new(SURFACE_PY).expect("the helper has no NUL byte");
    let helper = PyModule::from_code(
        py,
        &code,
        c"pyo3_conformance_surface.py",
        c"pyo3_conformance_surface",
    )
    .map_err(|e| python_error(module, "load the surface helper", e))?;
    let imported = py.import(module).map_err(|e| {
        Error::new(ErrorKind::Python(format!(
            "cannot import '{module}' in {}: {e}",
            super::environment::describe()
        )))
    })?;
    let stub_path: Option<PathBuf> = match stub {
        Some(path) => Some(path.to_owned()),
        None => helper
            .getattr("stub_path")
            .and_then(|f| f.call1((module,)))
            .and_then(|p| p.extract::<Option<String>>())
            .map_err(|e| python_error(module, "look for the stub", e))?
            .map(PathBuf::from),
    };
    let (stub, wanted) = match &stub_path {
        Some(path) => {
            if !path.is_file() {
                return Err(Error::in_file(
                    path,
                    ErrorKind::Usage("no such stub file".to_owned()),
                ));
            }
            let raw = helper
                .getattr("stub")
                .and_then(|f| f.call1((path.to_string_lossy().as_ref(),)))
                .map_err(|e| {
                    Error::in_file(
                        path,
                        ErrorKind::Format(format!("cannot read the stub: {e}")),
                    )
                })?;
            let wanted = helper
                .getattr("dunders")
                .and_then(|f| f.call1((&raw,)))
                .map_err(|e| python_error(module, "read the stub", e))?;
            let surface = surface(&raw).map_err(|e| python_error(module, "read the stub", e))?;
            (Some((path.clone(), surface)), Some(wanted))
        }
        None => (None, None),
    };
    let raw = helper
        .getattr("runtime")
        .and_then(|f| f.call1((imported, wanted)))
        .map_err(|e| python_error(module, "inspect the runtime surface", e))?;
    let runtime =
        surface(&raw).map_err(|e| python_error(module, "inspect the runtime surface", e))?;
    Ok(InspectedModule { runtime, stub })
}
