//! The uuid component's conformance tests: `cargo test -p uuid-conformance --test scenarios`.
//!
//! The same four kinds of test as the seed component's: every scenario file in both languages
//! (recording the Rust side as a snapshot), the API surface, the error contract and a property
//! run. Known divergences are accepted through `fixtures/uuid/ledger.json`. The Python side is
//! the `uuid-utils==1.2.0` wheel installed by `ci/setup`.

pyo3_conformance::conformance_tests!(uuid_conformance::adapter(), "../../../fixtures/uuid");
