//! One error enum for the whole crate: each variant is an *error kind* of the error contract,
//! its `Display` is the message the Python exception must carry, and its fields (serialized
//! untagged) are the details the exception's attributes must carry. `VariantNames` lists the
//! kinds, so a coverage report can tell which ones a contract misses.

use serde::Serialize;
use thiserror::Error;

/// Everything that can go wrong in the seed components.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, strum::VariantNames)]
#[serde(untagged)]
#[non_exhaustive]
pub enum SeedError {
    /// A fixed-width integer operation overflowed.
    #[error("integer overflow in {operation}")]
    Overflow {
        /// The operation that overflowed, e.g. `checked_mul`.
        operation: &'static str,
    },
    /// Bytes that are not UTF-8.
    #[error("invalid utf-8 at byte {position}")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        position: usize,
    },
    /// A store lookup that must succeed did not.
    #[error("no such key: {0}")]
    MissingKey(String),
    /// The store has no room left.
    #[error("store is full (capacity {capacity})")]
    StoreFull {
        /// The capacity the store was built with.
        capacity: usize,
    },
    /// A token id the tokenizer never issued.
    #[error("unknown token id {0}")]
    UnknownToken(u32),
    /// An argument outside the documented domain.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}
