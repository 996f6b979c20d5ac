//! Finding and reading fixture files, with errors that name the file and line.
//!
//! Layout: `<fixtures>/<component>/manifest.json`, and scenario files (`*.json`) anywhere below
//! `<fixtures>/<component>/scenarios/` and `<fixtures>/<component>/regressions/`. A scenario's
//! id is `<component>/<path below the component directory, without .json>`, stable across
//! machines, and is what filters, reports and test names use.

use std::path::{Path, PathBuf};

use pyo3_conformance_model::{Manifest, Scenario};
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};

/// The file name of a component's manifest.
pub const MANIFEST: &str = "manifest.json";
/// The folders of a component directory that hold scenarios.
pub(crate) const SCENARIO_DIRS: [&str; 2] = ["scenarios", "regressions"];

/// One component's fixtures: its manifest and its scenario files.
#[derive(Debug, Clone)]
pub struct ComponentFixtures {
    /// The component directory.
    pub dir: PathBuf,
    /// The manifest, parsed.
    pub manifest: Manifest,
    /// Scenario files, sorted.
    pub scenarios: Vec<PathBuf>,
}

/// Reads and parses a JSON file; syntax and format errors carry the file and line.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path) -> Result<(T, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::in_file(path, ErrorKind::Io(e)))?;
    let value = serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; the line goes into the location instead.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        Error::in_file(path, ErrorKind::Format(message)).at_line(e.line())
    })?;
    Ok((value, text))
}

/// Reads one component directory.
pub fn load_component(dir: &Path) -> Result<ComponentFixtures> {
    let manifest_path = dir.join(MANIFEST);
    if !manifest_path.is_file() {
        return Err(Error::in_file(
            &manifest_path,
            ErrorKind::Invalid("missing manifest: every component directory needs one".to_owned()),
        ));
    }
    let (manifest, _): (Manifest, _) = read_json(&manifest_path)?;
    let dir_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if manifest.component != dir_name {
        return Err(Error::in_file(
            &manifest_path,
            ErrorKind::Invalid(format!(
                "component is named '{}' but its directory is '{dir_name}'",
                manifest.component
            )),
        ));
    }
    manifest
        .check()
        .map_err(|message| Error::in_file(&manifest_path, ErrorKind::Invalid(message)))?;
    let mut scenarios = Vec::new();
    for sub in SCENARIO_DIRS {
        collect_json(&dir.join(sub), &mut scenarios)
            .map_err(|e| Error::in_file(&dir.join(sub), ErrorKind::Io(e)))?;
    }
    scenarios.sort();
    Ok(ComponentFixtures {
        dir: dir.to_owned(),
        manifest,
        scenarios,
    })
}

fn collect_json(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
    Ok(())
}

/// Every component under a fixtures root: each directory that is not `schema/`.
pub fn discover(root: &Path) -> Result<Vec<ComponentFixtures>> {
    let entries = std::fs::read_dir(root).map_err(|e| Error::in_file(root, ErrorKind::Io(e)))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir() && path.file_name().is_some_and(|n| n != "schema"))
        .collect();
    dirs.sort();
    dirs.iter().map(|dir| load_component(dir)).collect()
}

/// The component directory that holds a scenario file: the nearest ancestor with a manifest.
pub fn component_dir_of(scenario: &Path) -> Result<PathBuf> {
    scenario
        .ancestors()
        .skip(1)
        .find(|dir| dir.join(MANIFEST).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            Error::in_file(
                scenario,
                ErrorKind::Invalid(
                    "missing manifest: no manifest.json in any parent directory".to_owned(),
                ),
            )
        })
}

/// A scenario's id: `component/relative/path` without `.json`.
pub fn scenario_id(component: &ComponentFixtures, path: &Path) -> String {
    let relative = path
        .strip_prefix(&component.dir)
        .unwrap_or(path)
        .with_extension("");
    let relative: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("{}/{}", component.manifest.component, relative.join("/"))
}

/// Reads a scenario file (syntax only; [`crate::plan`] checks it against the manifest).
pub(crate) fn read_scenario(path: &Path) -> Result<(Scenario, String)> {
    read_json(path)
}

/// The 1-based line on which step `index` of a scenario's text starts, if it can be found.
pub(crate) fn step_line(text: &str, index: usize) -> Option<usize> {
    #[derive(serde::Deserialize)]
    struct Steps<'a> {
        #[serde(borrow)]
        steps: Vec<&'a serde_json::value::RawValue>,
    }
    let steps: Steps<'_> = serde_json::from_str(text).ok()?;
    let raw = steps.steps.get(index)?.get();
    let offset = (raw.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    Some(text.get(..offset)?.matches('\n').count() + 1)
}
