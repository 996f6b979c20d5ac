//! JSON Schemas of the fixture formats, generated from the Rust types so they cannot drift.
//!
//! The generated files are committed under `fixtures/schema/`; a test regenerates them and fails
//! on any difference, and every fixture is validated against them.

use crate::{Ledger, Manifest, Report, Scenario};

/// The JSON Schema of manifest files, pretty-printed with a trailing newline.
pub fn manifest_schema() -> String {
    pretty(schemars::schema_for!(Manifest))
}

/// The JSON Schema of scenario files, pretty-printed with a trailing newline.
pub fn scenario_schema() -> String {
    pretty(schemars::schema_for!(Scenario))
}

/// The JSON Schema of ledger files (`fixtures/<component>/ledger.json`).
pub fn ledger_schema() -> String {
    pretty(schemars::schema_for!(Ledger))
}

/// The JSON Schema of the gate's `report.json`.
pub fn report_schema() -> String {
    pretty(schemars::schema_for!(Report))
}

fn pretty(schema: schemars::Schema) -> String {
    let mut text = serde_json::to_string_pretty(&schema).expect("schemas serialize");
    text.push('\n');
    text
}
