//! [`Canonical`](super::Canonical) for the foreign crates whose types PyO3 converts to
//! standard-library objects, one file per crate, each behind the cargo feature of the same
//! name: `chrono`, `time`, `rust_decimal`, `uuid`, `num-complex`. They follow PyO3's own
//! conversions (`pyo3/src/conversions/<crate>.rs`) so that a binding built on those agrees
//! with its adapter.

#[cfg(feature = "chrono")]
mod chrono;
#[cfg(feature = "num-complex")]
mod num_complex;
#[cfg(feature = "rust_decimal")]
mod rust_decimal;
#[cfg(feature = "time")]
mod time;
#[cfg(feature = "uuid")]
mod uuid;
