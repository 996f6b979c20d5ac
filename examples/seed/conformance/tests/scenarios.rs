//! Every seed scenario file is its own test: `cargo test -p seed-conformance --test scenarios`.
//!
//! Test names are `scenario::<path below fixtures/seed>`, so `cargo test ... -- store` or
//! `cargo nextest run -E 'test(/store/)'` pick scenarios by path. Each test runs the file in
//! both languages; the binding must be installed in the project's `.venv` (run `ci/setup`).
//! To debug one: `cargo test -p seed-conformance --test scenarios -- --exact scenario::scenarios/store_basic.json`.

fn scenario(path: &std::path::Path) -> datatest_stable::Result<()> {
    pyo3_conformance::testing::check_scenario(&seed_conformance::adapter(), path)
}

datatest_stable::harness! {
    { test = scenario, root = "../../../fixtures/seed", pattern = r"^(scenarios|regressions)/.*\.json$" },
}
