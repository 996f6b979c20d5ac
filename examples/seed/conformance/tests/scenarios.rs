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

pyo3_conformance::conformance_tests!(seed_conformance::adapter(), "../../../fixtures/seed");
