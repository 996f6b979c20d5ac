//! The seed component's conformance tests: `cargo test -p seed-conformance --test scenarios`.
//!
//! - `scenario::<path>`: every scenario file below `fixtures/seed/` is its own test, run in
//!   both languages. Pick some with `cargo test ... -- store` or
//!   `cargo nextest run -E 'test(/store/)'`; debug one with
//!   `cargo test -p seed-conformance --test scenarios -- --exact scenario::scenarios/store_basic.json`.
//! - `api_surface::manifest.json`: the manifest, the runtime and the stub agree on every
//!   signature, and the API-surface table matches `snapshots/seed/api_surface.snap` (review a
//!   change with `cargo insta review`).
//!
//! - `error_contract::manifest.json`: every contracted exception exists with its bases, every
//!   contract entry is exercised by a scenario, every `SeedError` variant is contracted.
//!
//! - `properties::manifest.json`: a differential property run over every function and class
//!   (`PROPTEST_CASES`, default 256 per target; `PROPTEST_RNG_SEED`, default 0). A divergence is
//!   shrunk and written under `fixtures/seed/regressions/`, where it becomes a scenario test.
//!
//! The binding must be installed in the project's `.venv` (`ci/setup`).

use std::path::Path;

fn scenario(path: &Path) -> datatest_stable::Result<()> {
    pyo3_conformance::testing::check_scenario(&seed_conformance::adapter(), path)
}

fn api_surface(path: &Path) -> datatest_stable::Result<()> {
    let table = pyo3_conformance::testing::check_signatures(path)?;
    pyo3_conformance::testing::snapshot_settings(path).bind(|| {
        insta::assert_snapshot!("api_surface", table);
    });
    Ok(())
}

fn error_contract(path: &Path) -> datatest_stable::Result<()> {
    pyo3_conformance::testing::check_error_contract(&seed_conformance::adapter(), path)?;
    Ok(())
}

fn properties(path: &Path) -> datatest_stable::Result<()> {
    pyo3_conformance::testing::check_properties(&seed_conformance::adapter(), path)
}

datatest_stable::harness! {
    { test = scenario, root = "../../../fixtures/seed", pattern = r"^(scenarios|regressions)/.*\.json$" },
    { test = api_surface, root = "../../../fixtures/seed", pattern = r"^manifest\.json$" },
    { test = error_contract, root = "../../../fixtures/seed", pattern = r"^manifest\.json$" },
    { test = properties, root = "../../../fixtures/seed", pattern = r"^manifest\.json$" },
}
