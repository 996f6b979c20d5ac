//! The uuid component's conformance tests: `cargo test -p uuid-conformance --test scenarios`.
//!
//! The same four kinds of test as the seed component's: every scenario file in both languages
//! (recording the Rust side as a snapshot), the API surface, the error contract and a property
//! run. Known divergences are accepted through `fixtures/uuid/ledger.json`. The Python side is
//! the `uuid-utils==1.2.0` wheel installed by `ci/setup`.

use std::path::Path;

fn scenario(path: &Path) -> datatest_stable::Result<()> {
    pyo3_conformance::testing::check_scenario(&uuid_conformance::adapter(), path)
}

fn api_surface(path: &Path) -> datatest_stable::Result<()> {
    let table = pyo3_conformance::testing::check_signatures(path)?;
    pyo3_conformance::testing::snapshot_settings(path).bind(|| {
        insta::assert_snapshot!("api_surface", table);
    });
    Ok(())
}

fn error_contract(path: &Path) -> datatest_stable::Result<()> {
    pyo3_conformance::testing::check_error_contract(&uuid_conformance::adapter(), path)?;
    Ok(())
}

fn properties(path: &Path) -> datatest_stable::Result<()> {
    pyo3_conformance::testing::check_properties(&uuid_conformance::adapter(), path)
}

datatest_stable::harness! {
    { test = scenario, root = "../../../fixtures/uuid", pattern = r"^(scenarios|regressions)/.*\.json$" },
    { test = api_surface, root = "../../../fixtures/uuid", pattern = r"^manifest\.json$" },
    { test = error_contract, root = "../../../fixtures/uuid", pattern = r"^manifest\.json$" },
    { test = properties, root = "../../../fixtures/uuid", pattern = r"^manifest\.json$" },
}
