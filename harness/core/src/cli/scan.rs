//! `conformance scan MODULE [--stub PATH]`: a module's runtime against its stub, with no
//! manifest and no Rust, so it works on any installed extension module (a third-party wheel).
//!
//! It prints one line per finding and a closing count; exit 1 when it finds anything. Scans run
//! in-process: inspecting calls no code of the module beyond its import.

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, ErrorKind, Result};
use crate::python::{inspect_module, prepare};
use crate::signature::{SurfaceViews, compare_views, render_table};

#[derive(Debug, clap::Args)]
pub(super) struct ScanArgs {
    /// The module to import (`jiter`, `package.module`).
    module: String,
    /// The stub to compare with (default: the `.pyi` beside the module, or a `-stubs` package).
    #[arg(long)]
    stub: Option<PathBuf>,
    /// The Python environment: a venv, or its interpreter (default: $VIRTUAL_ENV, else ./.venv
    /// or the nearest parent's).
    #[arg(long)]
    python: Option<PathBuf>,
    /// Also print the API-surface table (every member as the runtime and the stub see it).
    #[arg(long)]
    table: bool,
}

pub(super) fn scan(args: &ScanArgs) -> Result<bool> {
    prepare(args.python.as_deref())?;
    let inspected =
        pyo3::Python::attach(|py| inspect_module(py, &args.module, args.stub.as_deref(), None))?;
    let Some((stub_path, stub)) = inspected.stub else {
        return Err(Error::new(ErrorKind::Usage(format!(
            "'{}' has no stub beside it and no -stubs package: give one with --stub PATH",
            args.module
        ))));
    };
    let views = SurfaceViews {
        module: args.module.clone(),
        declared: None,
        runtime: inspected.runtime,
        stub: Some(stub),
    };
    let findings = compare_views(&views);
    let mut out = std::io::stdout().lock();
    if args.table {
        let _ = write!(out, "{}", render_table(&views));
    }
    for finding in &findings {
        let _ = writeln!(out, "{}", finding.message);
    }
    let members = views.runtime.members.len();
    let _ = writeln!(
        out,
        "{} finding{} in {} ({members} runtime members, stub {})",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        args.module,
        stub_path.display()
    );
    Ok(findings.is_empty())
}
