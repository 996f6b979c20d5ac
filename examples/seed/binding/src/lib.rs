//! The PyO3 binding of the seed components: the Python front door to `seed-components`.
//!
//! It is deliberately thin. Each function or method converts arguments, calls the Rust crate and
//! converts the result; results are plain Python values (dicts, lists, tuples, sets), and the
//! only `#[pyclass]` types are the three that hold state. Every `SeedError` becomes a Python
//! exception in exactly one place, [`to_py_err`], which is what the error contract checks.

mod faults;

use std::collections::BTreeMap;

use faults::active;
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
        SeedError::InvalidUtf8 { .. } if active("lost_message") => InvalidUtf8Error::new_err(""),
        SeedError::InvalidUtf8 { .. } if active("attribute_missing") => {
            InvalidUtf8Error::new_err(message)
        }
        SeedError::InvalidUtf8 { position } => Python::attach(|py| {
            let error = InvalidUtf8Error::new_err(message);
            match error.value(py).setattr("position", position) {
                Ok(()) => error,
                Err(failed) => failed,
            }
        }),
        SeedError::MissingKey(_) => MissingKeyError::new_err(message),
        SeedError::StoreFull { .. } if active("wrong_exception_class") => {
            PyValueError::new_err(message)
        }
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

    use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Timelike};
    use num_bigint::BigUint;
    use pyo3::IntoPyObjectExt;
    use pyo3::prelude::*;
    use pyo3::types::{PyBytes, PyFrozenSet};
    use rust_decimal::Decimal;

    use super::{active, to_py_err};

    #[pymodule_export]
    use super::{
        InvalidUtf8Error, MissingKeyError, SeedComponentsError, StoreFullError, UnknownTokenError,
    };

    #[pymodule_export]
    use super::{ComponentA, PVec, SortedVec, Store, Tokenizer};

    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        let max_capacity = if active("constant_changed") {
            1000
        } else {
            seed_components::MAX_CAPACITY
        };
        module.add("MAX_CAPACITY", max_capacity)?;
        module.add("EMPTY_VECTOR", super::PVec(seed_components::PVec::new()))?;
        super::faults::install(module)
    }

    /// A fresh component's state: `{"output": ""}`.
    #[pyfunction]
    fn component_a() -> BTreeMap<String, String> {
        seed_components::component_a()
    }

    /// The vector `start, ..., stop - 1`.
    #[pyfunction]
    fn vector_range(start: i64, stop: i64) -> PVec {
        if active("range_off_by_one") {
            return PVec(seed_components::vector_range(start, stop.saturating_add(1)));
        }
        PVec(seed_components::vector_range(start, stop))
    }

    /// `data.get("output")`.
    #[pyfunction]
    fn component_b(data: BTreeMap<String, String>) -> Option<String> {
        seed_components::component_b(&data)
    }

    /// `a * b` on 64-bit integers; `OverflowError` instead of wrapping.
    #[pyfunction]
    fn checked_mul(a: i64, b: i64) -> PyResult<i64> {
        if active("overflow_wraps") {
            return Ok(a.wrapping_mul(b));
        }
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
        let scaled = seed_components::scale(&values, factor, digits);
        if active("float_rounded") {
            return scaled.into_iter().map(|x| f64::from(x as f32)).collect();
        }
        scaled
    }

    /// The IEEE class of `x`.
    #[pyfunction]
    fn classify_float(x: f64) -> &'static str {
        if active("wrong_result_some_inputs") && x == 0.0 {
            return "zero";
        }
        seed_components::classify_float(x)
    }

    /// Decodes UTF-8 bytes.
    #[pyfunction]
    fn decode_utf8(data: &[u8]) -> PyResult<String> {
        seed_components::decode_utf8(data).map_err(to_py_err)
    }

    /// Reverses bytes.
    #[pyfunction]
    fn reverse_bytes<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyAny> {
        let reversed: Vec<u8> = data.iter().rev().copied().collect();
        if active("bytes_as_str") {
            return pyo3::types::PyString::new(py, &String::from_utf8_lossy(&reversed)).into_any();
        }
        PyBytes::new(py, &reversed).into_any()
    }

    /// The entries of an int-keyed dict as sorted `(key, value)` tuples.
    #[pyfunction]
    fn pairs(mapping: BTreeMap<i64, String>) -> Vec<(i64, String)> {
        seed_components::pairs(&mapping)
    }

    /// Swaps keys and values.
    #[pyfunction]
    fn invert(mapping: BTreeMap<String, i64>) -> BTreeMap<i64, Vec<String>> {
        let mut inverted = seed_components::invert(&mapping);
        if active("dropped_dict_key") {
            inverted.pop_first();
        }
        inverted
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

    /// `moment` moved by `minutes`, at the same UTC offset.
    #[pyfunction]
    fn shift(
        py: Python<'_>,
        moment: DateTime<FixedOffset>,
        minutes: i64,
    ) -> PyResult<Bound<'_, PyAny>> {
        let shifted = seed_components::shift(moment, minutes).map_err(to_py_err)?;
        if active("offset_dropped") {
            // The same instant, the offset lost: converted to UTC on the way out.
            return shifted.with_timezone(&chrono::Utc).into_bound_py_any(py);
        }
        if active("microseconds_truncated") {
            let whole = shifted - TimeDelta::nanoseconds(i64::from(shifted.nanosecond()));
            return whole.into_bound_py_any(py);
        }
        shifted.into_bound_py_any(py)
    }

    /// The time from `start` to `end`.
    #[pyfunction]
    fn elapsed(start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> TimeDelta {
        seed_components::elapsed(start, end)
    }

    /// `day` moved by `days` calendar days.
    #[pyfunction]
    fn add_days(day: NaiveDate, days: i64) -> PyResult<NaiveDate> {
        seed_components::add_days(day, days).map_err(to_py_err)
    }

    /// `amount` rounded half to even to `places` decimal places.
    #[pyfunction]
    fn round_price(amount: Decimal, places: u32) -> Decimal {
        let rounded = seed_components::round_price(amount, places);
        if active("decimal_normalized") {
            return rounded.normalize();
        }
        rounded
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

/// Remembers the last data it processed. Subclassable (`subclass`), as compiled bases that a
/// package extends in Python are (the harness's surface fixtures subclass it).
#[pyclass(module = "seed_components", subclass)]
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

    /// Replaces the output.
    #[setter]
    fn set_output(&mut self, value: String) {
        if active("setter_ignored") {
            return;
        }
        self.0.set_output(value);
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
        if active("state_not_kept") {
            // Works on a copy: the call answers, the store forgets.
            return self.0.clone().put(key, value).map_err(to_py_err);
        }
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
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if active("list_as_tuple") {
            return Ok(pyo3::types::PyTuple::new(py, self.0.keys())?.into_any());
        }
        Ok(pyo3::types::PyList::new(py, self.0.keys())?.into_any())
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
                let (start, end) = if active("byte_offsets") {
                    // Offsets in UTF-8 bytes, where Python (and the Rust crate) count characters.
                    let byte =
                        |chars: usize| text.chars().take(chars).map(char::len_utf8).sum::<usize>();
                    (byte(token.start), byte(token.end))
                } else {
                    (token.start, token.end)
                };
                dict.set_item("text", token.text)?;
                dict.set_item("start", start)?;
                dict.set_item("end", end)?;
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
        if active("leaking_panic") {
            if let Some(unknown) = ids.iter().find(|id| **id as usize >= self.0.vocab_size()) {
                panic!(
                    "index out of bounds: the len is {} but the index is {unknown}",
                    self.0.vocab_size()
                );
            }
        }
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

/// A persistent vector of ints: `push` and `concat` return new vectors.
#[pyclass(module = "seed_components", subclass)]
pub struct PVec(seed_components::PVec);

#[pymethods]
impl PVec {
    #[new]
    fn new() -> Self {
        Self(seed_components::PVec::new())
    }

    /// A vector of `items`.
    #[classmethod]
    fn of(_cls: &Bound<'_, pyo3::types::PyType>, mut items: Vec<i64>) -> Self {
        if active("classmethod_reversed") {
            items.reverse();
        }
        Self(seed_components::PVec::of(items))
    }

    /// A new vector: this one with `value` appended.
    fn push(&mut self, value: i64) -> Self {
        if active("push_mutates") {
            self.0 = self.0.push(value);
            return Self(self.0.clone());
        }
        Self(self.0.push(value))
    }

    /// A new vector: this one followed by `other`.
    fn concat(&self, other: PyRef<'_, PVec>) -> Self {
        if active("concat_ignores_argument") {
            return Self(self.0.clone());
        }
        Self(self.0.concat(&other.0))
    }

    /// A new vector of the items `predicate` accepts; it is called once per item, and an
    /// exception it raises propagates.
    fn filter(&self, predicate: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut error = None;
        let kept = self.0.filter(|item| {
            if error.is_some() {
                return false;
            }
            if active("callback_called_twice") {
                let _ = predicate.call1((item,));
            }
            match predicate.call1((item,)).and_then(|keep| keep.is_truthy()) {
                Ok(keep) => keep,
                Err(raised) => {
                    error = Some(raised);
                    false
                }
            }
        });
        match error {
            Some(raised) => Err(raised),
            None => Ok(Self(kept)),
        }
    }

    /// The same items in ascending order, as a `SortedVec`.
    fn sorted(&self, py: Python<'_>) -> PyResult<Py<SortedVec>> {
        Py::new(
            py,
            PyClassInitializer::from(Self(self.0.sorted())).add_subclass(SortedVec),
        )
    }

    /// The items, in order.
    #[getter]
    fn items(&self) -> Vec<i64> {
        self.0.items().to_vec()
    }

    /// An iterator over the items, in order.
    fn iter<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyIterator>> {
        let mut items = self.0.items().to_vec();
        if active("iterator_reversed") {
            items.reverse();
        }
        pyo3::types::PyList::new(py, items)?.try_iter()
    }

    /// How many items.
    #[getter]
    fn size(&self) -> usize {
        self.0.len()
    }
}

/// A `PVec` known to be sorted, as `PVec.sorted()` returns it: a subclass on the Python side
/// only (the Rust crate returns a plain `PVec`), the shape of a factory that returns a
/// subclass per variant.
#[pyclass(module = "seed_components", extends = PVec)]
pub struct SortedVec;

#[pymethods]
impl SortedVec {
    /// How many items are less than `value`.
    fn rank(self_: PyRef<'_, Self>, value: i64) -> usize {
        self_.as_super().0.rank(value)
    }
}
