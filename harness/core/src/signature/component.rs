//! A component's signatures as one case of a run: its manifest against the runtime and the
//! stub of its module, inspected in the embedded interpreter.

use pyo3_conformance_model::ScenarioVerdict;

use super::{SurfaceViews, compare_views, declared_surface};
use crate::error::Result;
use crate::fixtures::{ComponentFixtures, MANIFEST};

/// The three views of a component's module: its manifest, and the runtime and stub as
/// inspected in the embedded interpreter (which must be prepared).
pub fn component_views(component: &ComponentFixtures) -> Result<SurfaceViews> {
    let manifest = &component.manifest;
    let declared = declared_surface(manifest);
    let inspected = pyo3::Python::attach(|py| {
        crate::python::inspect_module(py, &manifest.module, None, Some(&declared))
    })?;
    Ok(SurfaceViews {
        module: manifest.module.clone(),
        declared: Some(declared),
        runtime: inspected.runtime,
        stub: inspected.stub.map(|(_, surface)| surface),
    })
}

/// The verdict on a component's signatures, as one case of a run: `<component>/signatures`.
pub fn signature_verdict(component: &ComponentFixtures) -> Result<ScenarioVerdict> {
    let views = component_views(component)?;
    Ok(ScenarioVerdict {
        id: signatures_id(&component.manifest.component),
        component: component.manifest.component.clone(),
        file: component.dir.join(MANIFEST).display().to_string(),
        steps: Vec::new(),
        failures: compare_views(&views),
        notes: Vec::new(),
        output: Default::default(),
    })
}

/// The id of a component's signature case.
pub fn signatures_id(component: &str) -> String {
    format!("{component}/signatures")
}
