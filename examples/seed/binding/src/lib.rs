//! The PyO3 binding of the seed components: the Python front door to `seed-components`.
//!
//! It is deliberately thin. Each function or method converts arguments, calls the Rust crate and
//! converts the result; results are plain Python values (dicts, lists, tuples, sets), and the
//! only `#[pyclass]` types are the three that hold state. Every `SeedError` becomes a Python
//! exception in exactly one place, [`to_py_err`], which is what the error contract checks.

use std::collections::BTreeMap;

use pyo3::exceptions::{PyKeyError, PyOverflowError, PyValueError};
use pyo3::prelude::*;
use seed_components::SeedError;

pyo3::create_exception!(
    seed_components,
    SeedComponentsError,
    pyo3::exceptions::PyException
);
pyo3::create_exception!(seed_components, MissingKeyError, PyKeyError);
pyo3::create_exception!(seed_components, StoreFullError, SeedComponentsError);
pyo3::create_exception!(seed_components, InvalidUtf8Error, SeedComponentsError);
pyo3::create_exception!(seed_components, UnknownTokenError, SeedComponentsError);

/// The one place where Rust errors cross into Python.
fn to_py_err(error: SeedError) -> PyErr {
    let message = error.to_string();
    match error {
        SeedError::Overflow { .. } => PyOverflowError::new_err(message),
        // The offset travels as an attribute, as `UnicodeDecodeError.start` does.
        SeedError::InvalidUtf8 { position } => Python::attach(|py| {
            let error = InvalidUtf8Error::new_err(message);
            match error.value(py).setattr("position", position) {
                Ok(()) => error,
                Err(failed) => failed,
            }
        }),
        SeedError::MissingKey(_) => MissingKeyError::new_err(message),
        SeedError::StoreFull { .. } => StoreFullError::new_err(message),
        SeedError::UnknownToken(_) => UnknownTokenError::new_err(message),
        SeedError::InvalidArgument(_) => PyValueError::new_err(message),
        _ => SeedComponentsError::new_err(message),
    }
}

/// Seed components for pyo3-conformance: a Rust library and its Python binding.
#[pymodule(name = "seed_components")]
mod module {
    use std::collections::{BTreeMap, BTreeSet};

    use num_bigint::BigUint;
    use pyo3::prelude::*;
    use pyo3::types::{PyBytes, PyFrozenSet};

    use super::to_py_err;

    #[pymodule_export]
    use super::{
        InvalidUtf8Error, MissingKeyError, SeedComponentsError, StoreFullError, UnknownTokenError,
    };

    #[pymodule_export]
    use super::{ComponentA, Store, Tokenizer};

    /// A fresh component's state: `{"output": ""}`.
    #[pyfunction]
    fn component_a() -> BTreeMap<String, String> {
        seed_components::component_a()
    }

    /// `data.get("output")`.
    #[pyfunction]
    fn component_b(data: BTreeMap<String, String>) -> Option<String> {
        seed_components::component_b(&data)
    }

    /// `a * b` on 64-bit integers; `OverflowError` instead of wrapping.
    #[pyfunction]
    fn checked_mul(a: i64, b: i64) -> PyResult<i64> {
        seed_components::checked_mul(a, b).map_err(to_py_err)
    }

    /// The `n`th Fibonacci number, exact at any size.
    #[pyfunction]
    fn fibonacci(n: u32) -> BigUint {
        seed_components::fibonacci(n)
    }

    /// Each value times `factor`, rounded to `digits` places when given.
    #[pyfunction]
    #[pyo3(signature = (values, /, factor = 1.0, *, digits = None))]
    fn scale(values: Vec<f64>, factor: f64, digits: Option<i32>) -> Vec<f64> {
        seed_components::scale(&values, factor, digits)
    }

    /// The IEEE class of `x`.
    #[pyfunction]
    fn classify_float(x: f64) -> &'static str {
        seed_components::classify_float(x)
    }

    /// Decodes UTF-8 bytes.
    #[pyfunction]
    fn decode_utf8(data: &[u8]) -> PyResult<String> {
        seed_components::decode_utf8(data).map_err(to_py_err)
    }

    /// Reverses bytes.
    #[pyfunction]
    fn reverse_bytes<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
        let reversed: Vec<u8> = data.iter().rev().copied().collect();
        PyBytes::new(py, &reversed)
    }

    /// The entries of an int-keyed dict as sorted `(key, value)` tuples.
    #[pyfunction]
    fn pairs(mapping: BTreeMap<i64, String>) -> Vec<(i64, String)> {
        seed_components::pairs(&mapping)
    }

    /// Swaps keys and values.
    #[pyfunction]
    fn invert(mapping: BTreeMap<String, i64>) -> BTreeMap<i64, Vec<String>> {
        seed_components::invert(&mapping)
    }

    /// Words grouped by their length in characters.
    #[pyfunction]
    fn group_by_length(words: Vec<String>) -> BTreeMap<usize, BTreeSet<String>> {
        seed_components::group_by_length(&words)
    }

    /// The distinct items, as a set.
    #[pyfunction]
    fn unique(items: Vec<i64>) -> BTreeSet<i64> {
        seed_components::unique(&items)
    }

    /// The distinct items, as a frozenset.
    #[pyfunction]
    fn unique_frozen<'py>(
        py: Python<'py>,
        items: Vec<String>,
    ) -> PyResult<Bound<'py, PyFrozenSet>> {
        PyFrozenSet::new(py, seed_components::unique_frozen(&items))
    }
}

/// Remembers the last data it processed.
#[pyclass(module = "seed_components")]
pub struct ComponentA(seed_components::ComponentA);

#[pymethods]
impl ComponentA {
    #[new]
    fn new() -> Self {
        Self(seed_components::ComponentA::new())
    }

    /// Stores `data` as the output and returns it.
    fn process(&mut self, data: &str) -> String {
        self.0.process(data)
    }

    /// The last processed data.
    #[getter]
    fn output(&self) -> &str {
        self.0.output()
    }

    /// The state as a dict: `{"output": ...}`.
    fn run(&self) -> BTreeMap<String, String> {
        self.0.run()
    }
}

/// A bounded string-keyed store of integers.
#[pyclass(module = "seed_components")]
pub struct Store(seed_components::Store);

#[pymethods]
impl Store {
    #[new]
    #[pyo3(signature = (capacity = 8))]
    fn new(capacity: usize) -> PyResult<Self> {
        seed_components::Store::new(capacity)
            .map(Self)
            .map_err(to_py_err)
    }

    /// Sets `key`, returning the previous value.
    fn put(&mut self, key: &str, value: i64) -> PyResult<Option<i64>> {
        self.0.put(key, value).map_err(to_py_err)
    }

    /// The value of `key`, or `default`.
    #[pyo3(signature = (key, default = None))]
    fn get(&self, key: &str, default: Option<i64>) -> Option<i64> {
        self.0.get(key, default)
    }

    /// Removes `key` and returns its value.
    fn remove(&mut self, key: &str) -> PyResult<i64> {
        self.0.remove(key).map_err(to_py_err)
    }

    /// The keys, sorted.
    fn keys(&self) -> Vec<String> {
        self.0.keys()
    }

    /// The `(key, value)` pairs, sorted by key.
    fn items(&self) -> Vec<(String, i64)> {
        self.0.items()
    }

    /// How many keys are stored.
    #[getter]
    fn size(&self) -> usize {
        self.0.len()
    }

    /// The capacity the store was built with.
    #[getter]
    fn capacity(&self) -> usize {
        self.0.capacity()
    }
}

/// A whitespace tokenizer with a growing vocabulary.
#[pyclass(module = "seed_components")]
pub struct Tokenizer(seed_components::Tokenizer);

#[pymethods]
impl Tokenizer {
    #[new]
    #[pyo3(signature = (*, lowercase = false))]
    fn new(lowercase: bool) -> Self {
        Self(seed_components::Tokenizer::new(lowercase))
    }

    /// Tokens as dicts `{"text", "start", "end"}`, offsets in characters.
    fn tokenize<'py>(
        &self,
        py: Python<'py>,
        text: &str,
    ) -> PyResult<Vec<Bound<'py, pyo3::types::PyDict>>> {
        self.0
            .tokenize(text)
            .into_iter()
            .map(|token| {
                let dict = pyo3::types::PyDict::new(py);
                dict.set_item("text", token.text)?;
                dict.set_item("start", token.start)?;
                dict.set_item("end", token.end)?;
                Ok(dict)
            })
            .collect()
    }

    /// Token ids, numbering unseen tokens.
    fn encode(&mut self, text: &str) -> Vec<u32> {
        self.0.encode(text)
    }

    /// The tokens of `ids` joined by spaces.
    fn decode(&self, ids: Vec<u32>) -> PyResult<String> {
        self.0.decode(&ids).map_err(to_py_err)
    }

    /// How many distinct tokens have been numbered.
    #[getter]
    fn vocab_size(&self) -> usize {
        self.0.vocab_size()
    }

    /// Whether case is folded.
    #[getter]
    fn lowercase(&self) -> bool {
        self.0.lowercase()
    }
}
