//! Finding and entering the Python environment the binding is installed in.
//!
//! Order of precedence: an explicit `--python` path (a venv's interpreter or the venv itself),
//! then `$VIRTUAL_ENV`, then a `.venv` in the current directory or any parent. The venv's Python
//! version must be the embedded interpreter's: a binding built for 3.12 cannot load into 3.11.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::error::{Error, ErrorKind, Result};

/// The Python environment the harness runs the binding in.
#[derive(Debug, Clone)]
pub struct PythonEnvironment {
    /// The virtual environment, if one was found.
    pub venv: Option<PathBuf>,
    /// The embedded interpreter's version, `major.minor.micro`.
    pub version: String,
}

static PREPARED: OnceLock<std::result::Result<PythonEnvironment, String>> = OnceLock::new();

fn venv_of(path: &Path) -> PathBuf {
    // `.venv/bin/python` → `.venv`; a directory is taken as the venv itself.
    if path.is_file() {
        path.parent()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default()
    } else {
        path.to_path_buf()
    }
}

fn discover(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(venv_of(path));
    }
    if let Some(venv) = std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(venv));
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|dir| dir.join(".venv"))
        .find(|venv| venv.join("pyvenv.cfg").is_file())
}

fn venv_version(venv: &Path) -> Option<String> {
    let config = std::fs::read_to_string(venv.join("pyvenv.cfg")).ok()?;
    config.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        matches!(key.trim(), "version" | "version_info").then(|| value.trim().to_owned())
    })
}

fn enter(venv: Option<PathBuf>) -> std::result::Result<PythonEnvironment, String> {
    Python::attach(|py| {
        let sys = py.import("sys").map_err(|e| e.to_string())?;
        let info = sys.getattr("version_info").map_err(|e| e.to_string())?;
        let (major, minor, micro): (u8, u8, u8) = (
            info.get_item(0)
                .and_then(|v| v.extract())
                .map_err(|e| e.to_string())?,
            info.get_item(1)
                .and_then(|v| v.extract())
                .map_err(|e| e.to_string())?,
            info.get_item(2)
                .and_then(|v| v.extract())
                .map_err(|e| e.to_string())?,
        );
        let version = format!("{major}.{minor}.{micro}");
        if let Some(venv) = &venv {
            if !venv.join("pyvenv.cfg").is_file() {
                return Err(format!(
                    "{} is not a virtual environment (no pyvenv.cfg)",
                    venv.display()
                ));
            }
            if let Some(venv_version) = venv_version(venv) {
                if !venv_version.starts_with(&format!("{major}.{minor}."))
                    && venv_version != format!("{major}.{minor}")
                {
                    return Err(format!(
                        "{} is Python {venv_version}, but the harness embeds Python {version}: \
                         rebuild the harness against that interpreter (PYO3_PYTHON) or use a {major}.{minor} venv",
                        venv.display()
                    ));
                }
            }
            let site_packages = venv
                .join("lib")
                .join(format!("python{major}.{minor}"))
                .join("site-packages");
            let site = py.import("site").map_err(|e| e.to_string())?;
            site.call_method1("addsitedir", (site_packages.to_string_lossy().as_ref(),))
                .map_err(|e| e.to_string())?;
            // Prefer the venv's packages over the base interpreter's, as the venv's python would.
            let path = sys.getattr("path").map_err(|e| e.to_string())?;
            let path = path.cast::<PyList>().map_err(|e| e.to_string())?;
            path.insert(0, site_packages.to_string_lossy().as_ref())
                .map_err(|e| e.to_string())?;
        }
        Ok(PythonEnvironment { venv, version })
    })
}

/// Starts the embedded interpreter in the Python environment (once per process; later calls
/// return the first result, whatever they ask for).
pub fn prepare(explicit: Option<&Path>) -> Result<PythonEnvironment> {
    PREPARED
        .get_or_init(|| enter(discover(explicit)))
        .clone()
        .map_err(|message| Error::new(ErrorKind::Python(message)))
}

/// Where the embedded interpreter looks for packages, for error messages.
pub(crate) fn describe() -> String {
    match PREPARED.get() {
        Some(Ok(PythonEnvironment {
            venv: Some(venv),
            version,
        })) => {
            format!(
                "Python {version} with the virtual environment {}",
                venv.display()
            )
        }
        Some(Ok(PythonEnvironment {
            venv: None,
            version,
        })) => format!(
            "Python {version} with no virtual environment (none given by --python or $VIRTUAL_ENV, \
             and no .venv in the current directory or its parents)"
        ),
        _ => "an interpreter that is not prepared".to_owned(),
    }
}
