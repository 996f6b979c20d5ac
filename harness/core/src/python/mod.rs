//! The Python side: the binding called in-process through embedded CPython.
//!
//! Three parts. `environment` finds the project's virtual environment and puts its
//! site-packages on the embedded interpreter's path (the embedded interpreter is the base
//! CPython the harness was linked against, not the venv's). `convert` maps Python objects to and
//! from canonical values. `session` runs a scenario's steps against the imported module, keeping
//! the objects earlier steps made.
//!
//! Calls go through a five-line Python helper that catches `BaseException` and returns the
//! exception as a value, so a `PanicException` from the binding is observed as data and never
//! re-raised as a Rust panic inside the harness.

mod convert;
mod environment;
mod session;

pub use environment::{PythonEnvironment, prepare};
pub(crate) use session::{PythonSession, unbound as session_unbound};
