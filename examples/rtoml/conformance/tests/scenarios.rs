//! The rtoml component's conformance tests: `cargo test -p rtoml-conformance --test scenarios`.
//!
//! The same four kinds of test as the seed component's: every scenario file in both languages
//! (recording the Rust side as a snapshot), the API surface, the error contract and a property
//! run. Known divergences are accepted through `fixtures/rtoml/ledger.json`. The Python side is
//! the `rtoml==0.14.0` wheel installed by `ci/setup`.

pyo3_conformance::conformance_tests!(rtoml_conformance::adapter(), "../../../fixtures/rtoml");
