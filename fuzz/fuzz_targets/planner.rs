//! The planner on parsed scenarios against a parsed manifest (the seed's, as committed): any
//! scenario file is planned or refused with its name (and line), without a panic.
#![no_main]

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pyo3_conformance::__private::{ComponentFixtures, load_component, plan_python_only};

/// The seed's manifest, in a temporary copy of its component directory (the scenarios the
/// fuzzer writes must not land in the repository's fixtures).
fn seed() -> &'static ComponentFixtures {
    static SEED: OnceLock<(tempfile::TempDir, ComponentFixtures)> = OnceLock::new();
    let (_, component) = SEED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let seed = dir.path().join("seed");
        std::fs::create_dir_all(seed.join("scenarios")).expect("created");
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/seed/manifest.json"),
            seed.join("manifest.json"),
        )
        .expect("the seed manifest is there");
        let component = load_component(&seed).expect("the seed fixtures load");
        (dir, component)
    });
    component
}

fuzz_target!(|data: &[u8]| {
    let component = seed();
    let mut file = tempfile::Builder::new()
        .suffix(".json")
        .tempfile_in(component.dir.join("scenarios"))
        .expect("a temporary scenario file");
    file.write_all(data).expect("written");
    let _ = plan_python_only(component, file.path());
});
