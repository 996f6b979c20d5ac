//! The seed components: the postmortem's `ComponentA`/`component_a`/`component_b`, made right,
//! plus enough more to exercise every canonical value kind and every calling form.
//!
//! This crate knows nothing of Python. It is the *reference*: the binding in `../binding` must
//! behave exactly like it, and the adapter in `../conformance` calls it one line per operation.
//! Results are plain serde-serializable data (maps, vectors, tuples), never wrapper classes, so
//! both sides can be compared as canonical values. Every fallible call returns [`SeedError`],
//! one enum whose variants the binding maps to Python exceptions in one place.

mod calendar;
mod component;
mod error;
mod numbers;
mod store;
mod tokenizer;
mod vector;

pub use calendar::{add_days, elapsed, round_price, shift};
pub use component::{ComponentA, component_a, component_b};
pub use error::SeedError;
pub use numbers::{
    checked_mul, classify_float, decode_utf8, fibonacci, group_by_length, invert, pairs, scale,
    unique, unique_frozen,
};
pub use store::Store;
pub use tokenizer::{Token, Tokenizer};
pub use vector::{MAX_CAPACITY, PVec, vector_range};
