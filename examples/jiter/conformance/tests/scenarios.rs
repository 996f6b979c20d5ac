//! The jiter component's conformance tests: `cargo test -p jiter-conformance --test scenarios`.
//!
//! The same four kinds of test as the seed component's: every scenario file in both languages
//! (recording the Rust side as a snapshot), the API surface, the error contract and a property
//! run. Known divergences are accepted through `fixtures/jiter/ledger.json`. The Python side is
//! the `jiter==0.19.0` wheel installed by `ci/setup`.

pyo3_conformance::conformance_tests!(jiter_conformance::adapter(), "../../../fixtures/jiter");
