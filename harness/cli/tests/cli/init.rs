//! `conformance init MODULE`: the draft of a real module passes its own signature check (the
//! drafted manifest adds no finding of its own), names each operation once, and a second run
//! keeps every file it finds.

use std::path::Path;
use std::process::Command;

use crate::{run, text};

fn init(module: &str, component: &str, dir: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["init", module, "--component", component, "--dir"])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    text(&output.stdout)
}

/// A project directory with the fixture schemas, as an adopter's has them.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/schema");
    std::fs::create_dir_all(dir.path().join("fixtures/schema")).unwrap();
    for entry in std::fs::read_dir(schemas).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("fixtures/schema").join(entry.file_name()),
        )
        .unwrap();
    }
    dir
}

#[test]
fn the_draft_of_a_real_module_passes_its_own_signature_check() {
    // The seed module (classes, inheritance, classmethods, properties, attributes) and rtoml's
    // wheel (an inline-typed package); the bundled adapters of the same names run the check.
    for (module, component) in [("seed_components", "seed"), ("rtoml", "rtoml")] {
        let dir = project();
        let printed = init(module, component, dir.path());
        assert!(
            printed.contains("operations drafted from the stub"),
            "{printed}"
        );
        let manifest = dir
            .path()
            .join(format!("fixtures/{component}/manifest.json"));
        let drafted: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
        assert_eq!(drafted["$schema"], "../schema/manifest.schema.json");
        assert_eq!(drafted["module"], module);
        // The example scenarios are corrected by hand; the signature check needs none.
        std::fs::remove_dir_all(dir.path().join(format!("fixtures/{component}/scenarios")))
            .unwrap();
        std::fs::create_dir(dir.path().join(format!("fixtures/{component}/scenarios"))).unwrap();
        let checked = run(
            &dir.path().join("fixtures"),
            &["--component", component, &format!("{component}/signatures")],
        );
        assert_eq!(
            checked.status.code(),
            Some(0),
            "{module}: {}",
            text(&checked.stdout)
        );
    }
}

#[test]
fn init_writes_an_adapter_and_a_scenario_per_operation_and_never_overwrites() {
    let dir = project();
    let printed = init("seed_components", "seedling", dir.path());
    let adapter =
        std::fs::read_to_string(dir.path().join("seedling-conformance/src/lib.rs")).unwrap();
    assert!(adapter.contains("Adapter::new(\"seedling\")"), "{adapter}");
    assert!(
        adapter.contains("// def checked_mul(a: int, b: int) -> int"),
        "{adapter}"
    );
    assert!(adapter.contains(".class::<()>(\"Store\""), "{adapter}");
    let test = std::fs::read_to_string(dir.path().join("seedling-conformance/tests/scenarios.rs"))
        .unwrap();
    assert!(
        test.contains(
            "conformance_tests!(seedling_conformance::adapter(), \"../fixtures/seedling\")"
        ),
        "{test}"
    );
    let example: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            dir.path()
                .join("fixtures/seedling/scenarios/Store_put.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(example["steps"][0]["new"], "Store");
    assert_eq!(example["steps"][1]["args"], serde_json::json!(["", 0]));
    let written = printed
        .lines()
        .filter(|line| line.starts_with("wrote"))
        .count();

    std::fs::write(
        dir.path().join("seedling-conformance/src/lib.rs"),
        "// mine\n",
    )
    .unwrap();
    let again = init("seed_components", "seedling", dir.path());
    assert_eq!(
        again
            .lines()
            .filter(|line| line.starts_with("kept"))
            .count(),
        written,
        "{again}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("seedling-conformance/src/lib.rs")).unwrap(),
        "// mine\n"
    );
}

#[test]
fn schema_writes_the_committed_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("schema")
        .arg(dir.path().join("fixtures/schema"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/schema");
    for name in ["manifest", "scenario", "ledger", "report"] {
        let file = format!("{name}.schema.json");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("fixtures/schema").join(&file)).unwrap(),
            std::fs::read_to_string(committed.join(&file)).unwrap(),
            "{file}"
        );
    }
}
