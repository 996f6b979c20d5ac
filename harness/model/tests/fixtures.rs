//! The fixture formats against the repository's fixtures: `cargo test -p pyo3-conformance-model`.
//!
//! - the committed JSON Schemas under `fixtures/schema/` equal what the Rust types generate
//!   (regenerate with `PYO3_CONFORMANCE_BLESS=1 cargo test -p pyo3-conformance-model`);
//! - every manifest, scenario and ledger under `fixtures/` validates against them, and also parses
//!   into the Rust types (the schema is generated from them, so both must agree).

use std::path::{Path, PathBuf};

use pyo3_conformance_model::schema::{
    ledger_schema, manifest_schema, report_schema, scenario_schema,
};
use pyo3_conformance_model::{Ledger, Manifest, Scenario};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .canonicalize()
        .expect("the fixtures directory exists")
}

fn check_committed(name: &str, generated: &str) {
    let path = fixtures().join("schema").join(name);
    if std::env::var_os("PYO3_CONFORMANCE_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date with the Rust types; regenerate it with \
         `PYO3_CONFORMANCE_BLESS=1 cargo test -p pyo3-conformance-model` and commit it",
        path.display()
    );
}

#[test]
fn committed_schemas_match_the_rust_types() {
    check_committed("manifest.schema.json", &manifest_schema());
    check_committed("scenario.schema.json", &scenario_schema());
    check_committed("ledger.schema.json", &ledger_schema());
    check_committed("report.schema.json", &report_schema());
}

fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
}

#[test]
fn every_fixture_validates_against_its_schema() {
    let validator = |schema: String| {
        jsonschema::validator_for(&serde_json::from_str(&schema).unwrap()).unwrap()
    };
    let (manifests, scenarios, ledgers) = (
        validator(manifest_schema()),
        validator(scenario_schema()),
        validator(ledger_schema()),
    );
    let mut files = Vec::new();
    json_files(&fixtures(), &mut files);
    files.retain(|path| !path.starts_with(fixtures().join("schema")));
    let mut checked = (0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let validator = match name.as_ref() {
            "manifest.json" => &manifests,
            "ledger.json" => &ledgers,
            _ => &scenarios,
        };
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            path.display(),
            errors.join("; ")
        );
        let parsed = match name.as_ref() {
            "manifest.json" => {
                checked.0 += 1;
                serde_json::from_str::<Manifest>(&text).map(drop)
            }
            "ledger.json" => serde_json::from_str::<Ledger>(&text).map(drop),
            _ => {
                checked.1 += 1;
                serde_json::from_str::<Scenario>(&text).map(drop)
            }
        };
        parsed.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    assert!(
        checked.0 >= 1 && checked.1 >= 20,
        "found {} manifests and {} scenarios",
        checked.0,
        checked.1
    );
}

#[test]
fn the_schema_rejects_what_the_types_reject() {
    let validator =
        jsonschema::validator_for(&serde_json::from_str(&scenario_schema()).unwrap()).unwrap();
    for bad in [
        r#"{"steps": [{"call": "f", "args": [{"$bytes": 1}]}]}"#,
        r#"{"steps": [{"call": "f", "argz": []}]}"#,
        r#"{"step": []}"#,
    ] {
        let json: serde_json::Value = serde_json::from_str(bad).unwrap();
        assert!(!validator.is_valid(&json), "schema accepted {bad}");
        assert!(
            serde_json::from_str::<Scenario>(bad).is_err(),
            "types accepted {bad}"
        );
    }
}
