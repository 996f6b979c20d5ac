//! The harness proves its own checks: `cargo test -p pyo3-conformance --test checks`.
//!
//! Each module pairs a small Rust "library" (std functions behind an adapter) with pure-Python
//! stand-ins for its binding, written into a temporary directory: one that behaves like Rust,
//! and faulty ones with seeded faults. The correct stand-in must pass (no false alarm) and each
//! seeded fault must be caught with the failure kind and message it calls for.
//!
//! - `callbacks`: the calls a binding makes to a scenario's callbacks, recorded and compared;
//! - `differential`: outputs, panics, state, missing members;
//! - `identity`: exceptions judged by identity (a re-exported class), per-operation entries;
//! - `judging`: dict order into the adapter, `raises` by instance, sides of an `expect` failure;
//! - `message_rules`: message rules on canonical `args`, several rules, `"*"`, `unreachable`;
//! - `objects`: objects as results and arguments, judged by instance (a subclass conforms);
//! - `projections`: foreign objects projected by the manifest's `values`, and a datetime's
//!   offset dropped by a stand-in;
//! - `signatures`: manifest × runtime × stub;
//! - `contracts`: the error contract, step by step and as a whole;
//! - `python_semantics`: `PyKey` and `py_repr` against the interpreter, on generated values;
//! - `stdlib_values`: datetimes, decimals, UUIDs, paths and complex numbers through Python,
//!   JSON and the Rust types of chrono, time, rust_decimal, uuid and num-complex;
//! - `properties`: generated scenarios, shrinking, regressions;
//! - `surfaces`: the API-surface reader on the patterns of real packages (`surfaces/`).
//!
//! Debug one with `cargo test -p pyo3-conformance --test checks -- NAME --nocapture`.

mod callbacks;
mod contracts;
mod differential;
mod hostile_values;
mod identity;
mod judging;
mod message_rules;
mod objects;
mod projections;
mod properties;
mod python_semantics;
mod signatures;
mod stdlib_values;
mod support;
mod surfaces;
