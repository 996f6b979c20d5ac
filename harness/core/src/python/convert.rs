//! Python objects ↔ canonical values, by exact Python type.
//!
//! `bool` is checked before `int` (it is a subclass), `frozenset` apart from `set`, and any other
//! object becomes an `Object` with its class name and the projection of state the manifest
//! declares for that class (no projection: the class name alone). Converting to Python is the
//! mirror image; an `Object` cannot be passed by value.

use num_bigint::BigInt;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple,
};
use pyo3_conformance_model::{Object, Value};

/// For each class the manifest declares, the properties that make up its canonical state
/// (none without a manifest): read from the manifest as objects are met, not copied.
#[derive(Clone, Copy, Default)]
pub(crate) struct Projections<'m>(Option<&'m pyo3_conformance_model::Manifest>);

impl<'m> Projections<'m> {
    /// No projections: every object is its class name.
    pub(crate) fn new() -> Self {
        Self(None)
    }

    /// The manifest's projections.
    pub(crate) fn of(manifest: &'m pyo3_conformance_model::Manifest) -> Self {
        Self(Some(manifest))
    }

    /// The projected properties of `class`, where the manifest declares it (a class of the
    /// module, or a foreign value under `values`).
    pub(crate) fn get(&self, class: &str) -> Option<&'m [String]> {
        let manifest = self.0?;
        (manifest.classes.contains_key(class) || manifest.values.contains_key(class))
            .then(|| manifest.state_of(class))
    }
}

pyo3::create_exception!(
    pyo3_conformance_helper,
    PropertyRaised,
    pyo3::exceptions::PyBaseException,
    "A property read for an object's projected state raised (its `__cause__`): the object's \
     outcome is that exception, as a raising projection is on the Rust side."
);

/// Reads one property of the projected state (`name()` calls a zero-argument method); an
/// exception it raises is wrapped in `PropertyRaised`, so the caller can tell it from a value
/// the harness cannot convert.
fn state_property<'py>(object: &Bound<'py, PyAny>, property: &str) -> PyResult<Bound<'py, PyAny>> {
    let read = match property.strip_suffix("()") {
        Some(method) => object.call_method0(method),
        None => object.getattr(property),
    };
    read.map_err(|raised| {
        let wrapped = PropertyRaised::new_err(property.to_owned());
        wrapped.set_cause(object.py(), Some(raised));
        wrapped
    })
}

/// The exception a property of the projected state raised, where `error` says one did.
pub(crate) fn raised_by_property<'py>(py: Python<'py>, error: &PyErr) -> Option<Bound<'py, PyAny>> {
    if !error.is_instance_of::<PropertyRaised>(py) {
        return None;
    }
    error
        .cause(py)
        .map(|cause| cause.into_value(py).into_bound(py).into_any())
}

pyo3::create_exception!(
    pyo3_conformance_helper,
    Unrepresentable,
    pyo3::exceptions::PyException,
    "A Python value the canonical model cannot hold: one that contains itself, or nests deeper \
     than `MAX_DEPTH` containers. Its args are the reason and the path where it was met."
);

/// Why `error` says a value cannot be represented, with the path: `a list that contains itself
/// (at $[0])`, or `None` where the conversion failed otherwise.
pub(crate) fn unrepresentable(py: Python<'_>, error: &PyErr) -> Option<String> {
    let (reason, path) = reason_and_path(py, error)?;
    Some(format!("{reason} (at ${path})"))
}

/// The reason and path an [`Unrepresentable`] error carries, where `error` is one.
fn reason_and_path(py: Python<'_>, error: &PyErr) -> Option<(String, String)> {
    if !error.is_instance_of::<Unrepresentable>(py) {
        return None;
    }
    error.value(py).getattr("args").ok()?.extract().ok()
}

/// Converts a Python object to a canonical value. A value that contains itself, or nests deeper
/// than [`MAX_DEPTH`] containers, is an [`Unrepresentable`] error naming where.
///
/// [`MAX_DEPTH`]: pyo3_conformance_model::MAX_DEPTH
pub(crate) fn to_value(object: &Bound<'_, PyAny>, projections: &Projections) -> PyResult<Value> {
    Reader {
        projections,
        open: Open::default(),
    }
    .read(object)
}

/// An exception's `args` as a canonical value: [`to_value`]'s result, read directly where
/// `args` is a tuple of strs (what nearly every exception carries), with no walk of the
/// general converter.
pub(crate) fn args_to_value(args: &Bound<'_, PyAny>, projections: &Projections) -> PyResult<Value> {
    if let Ok(tuple) = args.cast_exact::<PyTuple>() {
        if tuple.iter().all(|item| item.is_instance_of::<PyString>()) {
            return tuple
                .iter()
                .map(|item| str_value(item.cast::<PyString>()?))
                .collect::<PyResult<Vec<Value>>>()
                .map(Value::Tuple);
        }
    }
    to_value(args, projections)
}

/// One conversion: the containers open on the path from the root to the object being read (by
/// identity), which is what finds a cycle and counts the depth.
struct Reader<'a, 'm> {
    projections: &'a Projections<'m>,
    open: Open,
}

/// The identities of the open containers, at most [`MAX_DEPTH`] of them: kept inline, as every
/// result and every exception's `args` is read with a `Reader` of its own.
///
/// [`MAX_DEPTH`]: pyo3_conformance_model::MAX_DEPTH
type Open = arrayvec::ArrayVec<usize, { pyo3_conformance_model::MAX_DEPTH }>;

impl Reader<'_, '_> {
    fn read(&mut self, object: &Bound<'_, PyAny>) -> PyResult<Value> {
        Ok(if object.is_none() {
            Value::Null
        } else if object.is_instance_of::<PyBool>() {
            Value::Bool(object.extract()?)
        } else if object.is_instance_of::<PyInt>() {
            match object.extract::<i64>() {
                Ok(small) => Value::int(small),
                Err(_) => Value::Int(object.extract::<BigInt>()?),
            }
        } else if object.is_instance_of::<PyFloat>() {
            Value::Float(object.extract()?)
        } else if let Ok(text) = object.cast::<PyString>() {
            str_value(text)?
        } else if let Ok(bytes) = object.cast::<PyBytes>() {
            Value::Bytes(bytes.as_bytes().to_vec())
        } else if object.is_instance_of::<PyList>() {
            Value::List(self.items(object, "list")?)
        } else if object.is_instance_of::<PyTuple>() {
            Value::Tuple(self.items(object, "tuple")?)
        } else if object.is_instance_of::<PyFrozenSet>() {
            Value::FrozenSet(self.items(object, "frozenset")?)
        } else if object.is_instance_of::<PySet>() {
            Value::Set(self.items(object, "set")?)
        } else if let Ok(dict) = object.cast::<PyDict>() {
            self.enter(object, "dict")?;
            let mut entries = Vec::with_capacity(dict.len());
            for (key, value) in dict.iter() {
                let key_value = self
                    .read(&key)
                    .map_err(|e| within(object.py(), e, "{key}"))?;
                let value = self
                    .read(&value)
                    .map_err(|e| within(object.py(), e, &key_path(&key)))?;
                entries.push((key_value, value));
            }
            self.open.pop();
            Value::Dict(entries)
        } else if let Some(std) = super::stdlib::to_value(object)? {
            Value::Std(std)
        } else {
            let class: String = object.get_type().name()?.extract()?;
            let properties = self.projections.get(&class).unwrap_or_default();
            if properties.is_empty() {
                return Ok(Value::Object(Object {
                    class,
                    state: Vec::new(),
                }));
            }
            self.enter(object, &class)?;
            let state = self.state(object, properties)?;
            self.open.pop();
            Value::Object(Object { class, state })
        })
    }

    /// The items of a list, tuple or set, in iteration order.
    fn items(&mut self, iterable: &Bound<'_, PyAny>, kind: &str) -> PyResult<Vec<Value>> {
        self.enter(iterable, kind)?;
        let at = |index: usize| move |e| within(iterable.py(), e, &format!("[{index}]"));
        // A tuple or list is read by index (no iterator object); a set must be iterated.
        let items = if let Ok(tuple) = iterable.cast::<PyTuple>() {
            let mut items = Vec::with_capacity(tuple.len());
            for (index, item) in tuple.iter().enumerate() {
                items.push(self.read(&item).map_err(at(index))?);
            }
            items
        } else if let Ok(list) = iterable.cast::<PyList>() {
            let mut items = Vec::with_capacity(list.len());
            for (index, item) in list.iter().enumerate() {
                items.push(self.read(&item).map_err(at(index))?);
            }
            items
        } else {
            let mut items = Vec::new();
            for (index, item) in iterable.try_iter()?.enumerate() {
                items.push(self.read(&item?).map_err(at(index))?);
            }
            items
        };
        self.open.pop();
        Ok(items)
    }

    /// The projected state of an object, property by property.
    fn state(
        &mut self,
        object: &Bound<'_, PyAny>,
        properties: &[String],
    ) -> PyResult<Vec<(String, Value)>> {
        let mut state = Vec::with_capacity(properties.len());
        for property in properties {
            let value = self
                .read(&state_property(object, property)?)
                .map_err(|e| within(object.py(), e, &format!(".{property}")))?;
            state.push((property.clone(), value));
        }
        Ok(state)
    }

    /// Opens a container, unless it is open already (a cycle) or one too many are.
    fn enter(&mut self, container: &Bound<'_, PyAny>, kind: &str) -> PyResult<()> {
        let identity = container.as_ptr() as usize;
        if self.open.contains(&identity) {
            return Err(Unrepresentable::new_err((
                format!("a {kind} that contains itself"),
                String::new(),
            )));
        }
        if self.open.len() == pyo3_conformance_model::MAX_DEPTH {
            return Err(Unrepresentable::new_err((
                format!(
                    "a value nested deeper than {} containers",
                    pyo3_conformance_model::MAX_DEPTH
                ),
                String::new(),
            )));
        }
        self.open.push(identity);
        Ok(())
    }
}

/// A str, or the UTF-16 code units of one with lone surrogates, which no Rust `String` holds.
fn str_value(text: &Bound<'_, PyString>) -> PyResult<Value> {
    Ok(match text.to_cow() {
        Ok(text) => Value::Str(text.into_owned()),
        Err(_) => {
            let encoded = text.call_method1("encode", ("utf-16-le", "surrogatepass"))?;
            let bytes = encoded.cast::<PyBytes>()?.as_bytes();
            Value::Utf16(
                bytes
                    .chunks_exact(2)
                    .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                    .collect(),
            )
        }
    })
}

/// Where a dict's value sits: `.name` for a str key, `[repr]` for any other.
fn key_path(key: &Bound<'_, PyAny>) -> String {
    match key
        .cast::<PyString>()
        .ok()
        .and_then(|s| s.to_cow().ok().map(|s| s.into_owned()))
    {
        Some(text) => format!(".{text}"),
        None => format!(
            "[{}]",
            key.repr()
                .map(|r| r.to_string())
                .unwrap_or_else(|_| "?".to_owned())
        ),
    }
}

/// `error`, with `segment` put before its path where it is an [`Unrepresentable`] one.
fn within(py: Python<'_>, error: PyErr, segment: &str) -> PyErr {
    let Some((reason, path)) = reason_and_path(py, &error) else {
        return error;
    };
    Unrepresentable::new_err((reason, format!("{segment}{path}")))
}

/// An object as an instance of `class` (a class it is an instance of, perhaps through a
/// subclass): that class's name and projection, so a factory that returns a subclass of the
/// declared class conforms.
pub(crate) fn object_as(
    object: &Bound<'_, PyAny>,
    class: &str,
    projections: &Projections,
) -> PyResult<Value> {
    let properties = projections.get(class).unwrap_or_default();
    let mut reader = Reader {
        projections,
        open: Open::default(),
    };
    reader.enter(object, class)?;
    let state = reader.state(object, properties)?;
    Ok(Value::Object(Object {
        class: class.to_owned(),
        state,
    }))
}

/// Converts a canonical value to a Python object.
pub(crate) fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    to_python_with(py, value, &|_| None)
}

/// The Python object a placeholder (`{"$obj": name}`, `{"$callback": name}`) stands for in
/// this scenario, if any.
pub(crate) type ObjectsByName<'a, 'py> = &'a dyn Fn(&Value) -> Option<Bound<'py, PyAny>>;

/// Converts a canonical value to a Python object, each `{"$obj": name}` in it becoming the
/// object the scenario bound by that name and each `{"$callback": name}` the session's
/// recording wrapper of that callback, as `objects` resolves them.
pub(crate) fn to_python_with<'py>(
    py: Python<'py>,
    value: &Value,
    objects: ObjectsByName<'_, 'py>,
) -> PyResult<Bound<'py, PyAny>> {
    let many = |items: &[Value]| -> PyResult<Vec<Bound<'py, PyAny>>> {
        items
            .iter()
            .map(|item| to_python_with(py, item, objects))
            .collect()
    };
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        // Most ints fit 64 bits: converted directly, not through the big integer's bytes.
        Value::Int(i) => match i64::try_from(i) {
            Ok(small) => small.into_pyobject(py)?.into_any(),
            Err(_) => i.into_pyobject(py)?.into_any(),
        },
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::Utf16(units) => {
            let bytes: Vec<u8> = units.iter().flat_map(|unit| unit.to_le_bytes()).collect();
            PyBytes::new(py, &bytes).call_method1("decode", ("utf-16-le", "surrogatepass"))?
        }
        Value::Bytes(b) => PyBytes::new(py, b).into_any(),
        Value::List(items) => PyList::new(py, many(items)?)?.into_any(),
        Value::Tuple(items) => PyTuple::new(py, many(items)?)?.into_any(),
        Value::Set(items) => PySet::new(py, many(items)?)?.into_any(),
        Value::FrozenSet(items) => PyFrozenSet::new(py, many(items)?)?.into_any(),
        Value::Dict(entries) => {
            let dict = PyDict::new(py);
            for (key, value) in entries {
                dict.set_item(
                    to_python_with(py, key, objects)?,
                    to_python_with(py, value, objects)?,
                )?;
            }
            dict.into_any()
        }
        Value::Object(object) => {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "an object of class {} cannot be passed by value",
                object.class
            )));
        }
        Value::Ref(name) => objects(value).ok_or_else(|| {
            pyo3::exceptions::PyTypeError::new_err(format!("no object is bound as '{name}'"))
        })?,
        Value::Callback(name) => objects(value).ok_or_else(|| {
            pyo3::exceptions::PyTypeError::new_err(format!("no callback is declared as '{name}'"))
        })?,
        Value::Std(std) => super::stdlib::to_python(py, std)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_survives_a_trip_through_python() {
        let values: Vec<Value> = serde_json::from_str(
            r#"[null, true, 1, 1.0, {"$float": "nan"}, -0.0, "é", {"$bytes": "00ff"},
                {"$int": "-123456789012345678901234567890"},
                [1, [2]], {"$tuple": [1, "a"]}, {"$set": [1, 2]}, {"$frozenset": ["x"]},
                {"$dict": [[1, "a"], [{"$tuple": [1, 2]}, null]]}, {"a": {"b": []}},
                {"$utf16": "d8000061"},
                {"$datetime": "2024-02-29T12:30:00.000001+05:30"},
                {"$datetime": "2021-11-07T01:30:00 fold=1"},
                {"$datetime": "0001-01-01T00:00:00-23:59:59.999999"},
                {"$date": "2024-02-29"}, {"$time": "23:59:59.5-01:00"}, {"$time": "00:00:00"},
                {"$timedelta": "-1.000001"}, {"$timedelta": "86399999999999.999999"},
                {"$timezone": "+05:30"}, {"$timezone": "-00:00:00.000001"},
                {"$decimal": "1.10"}, {"$decimal": "-0"}, {"$decimal": "1E+3"},
                {"$decimal": "-sNaN42"}, {"$decimal": "-Infinity"},
                {"$uuid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}, {"$path": "a/b.txt"},
                {"$complex": [-0.0, {"$float": "nan"}]}]"#,
        )
        .unwrap();
        Python::attach(|py| {
            for value in values {
                let object = to_python(py, &value).unwrap();
                let back = to_value(&object, &Projections::new()).unwrap();
                assert_eq!(back, value);
                assert_eq!(back.type_name(), value.type_name());
            }
        });
    }

    /// What converting the value `code` builds gives: the value, or why it cannot be one.
    fn convert(code: &std::ffi::CStr) -> Result<Value, String> {
        Python::attach(|py| {
            let locals = pyo3::types::PyDict::new(py);
            py.run(code, None, Some(&locals)).unwrap();
            let value = locals.get_item("value").unwrap().unwrap();
            to_value(&value, &Projections::new()).map_err(|error| {
                unrepresentable(py, &error).unwrap_or_else(|| format!("other error: {error}"))
            })
        })
    }

    #[test]
    fn a_value_that_contains_itself_is_unrepresentable_with_its_path() {
        assert_eq!(
            convert(c"value = [1]; value.append(value)").unwrap_err(),
            "a list that contains itself (at $[1])"
        );
        assert_eq!(
            convert(c"value = {'a': {}}; value['a'][2] = value").unwrap_err(),
            "a dict that contains itself (at $.a[2])"
        );
        // A value met twice without a cycle is no cycle.
        assert!(convert(c"shared = [1]; value = [shared, shared, (shared,)]").is_ok());
    }

    #[test]
    fn a_value_nested_beyond_the_limit_is_unrepresentable_at_the_limit() {
        let deep = c"value = []\nfor _ in range(200_000): value = [value]";
        let message = convert(deep).unwrap_err();
        assert_eq!(
            message,
            format!(
                "a value nested deeper than {} containers (at ${})",
                pyo3_conformance_model::MAX_DEPTH,
                "[0]".repeat(pyo3_conformance_model::MAX_DEPTH)
            )
        );
        let at_limit = c"value = 1\nfor _ in range(32): value = (value,)";
        assert!(convert(at_limit).is_ok());
    }

    #[test]
    fn true_stays_bool_and_one_stays_int() {
        Python::attach(|py| {
            let projections = Projections::new();
            let truth = py.eval(c"True", None, None).unwrap();
            assert_eq!(to_value(&truth, &projections).unwrap(), Value::Bool(true));
            let one = py.eval(c"1", None, None).unwrap();
            assert_eq!(to_value(&one, &projections).unwrap(), Value::int(1));
        });
    }
}
