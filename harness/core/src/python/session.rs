//! One scenario's run on the Python side: the imported module, the objects made so far.

use std::collections::{BTreeMap, HashMap};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule, PyString, PyTuple};
use pyo3_conformance_model::{
    CallbackCall, Collect, Manifest, MessageRule, Observed, Outcome, Value, is_instance,
};

use super::convert::{
    Projections, args_to_value, object_as, raised_by_property, to_python_with, to_value,
    unrepresentable,
};
use crate::error::{Error, ErrorKind, Result};
use crate::plan::{Action, PlannedStep};

const HELPER: &std::ffi::CStr = cr#"
_compiled = {}

def compile_callback(name, source):
    """The manifest's callback `name`, compiled once per process."""
    key = (name, source)
    if key not in _compiled:
        namespace = {"__builtins__": __builtins__}
        text = source.strip()
        if text.startswith(("def ", "async def ", "@")):
            exec(compile(text, f"<callback {name}>", "exec"), namespace)
            if name not in namespace:
                raise NameError(f"its source defines no function named {name!r}")
            function = namespace[name]
        else:
            function = eval(compile(text, f"<callback {name}>", "eval"), namespace)
        if not callable(function):
            raise TypeError(f"its source gives a {type(function).__name__}, not a callable")
        _compiled[key] = function
    return _compiled[key]

def recording(name, function, log):
    def callback(*args, **kwargs):
        log.append((name, args, kwargs))
        return function(*args, **kwargs)
    callback.__name__ = callback.__qualname__ = name
    return callback

_aliases = {}

def aliases(contracted):
    """For the classes a contract names (`package.Error`, any public alias), each class object
    and the names it goes by, resolved by import once per process."""
    if contracted not in _aliases:
        import importlib
        table = {}
        for name in contracted:
            module_name, _, attribute = name.rpartition(".")
            try:
                found = getattr(importlib.import_module(module_name or "builtins"), attribute)
            except Exception:
                continue
            if isinstance(found, type):
                table.setdefault(found, []).append(name)
        _aliases[contracted] = table
    return _aliases[contracted]

def describe_type(t, contracted):
    """An exception class's module, name and bases: asked once per class and run."""
    bases = [f"{b.__module__}.{b.__qualname__}" for b in t.__mro__[1:]]
    # Judged by identity: every class the contract names that `t` derives from, by the name
    # the contract gives it (a re-export of a private module's class included).
    table = aliases(contracted)
    for klass in t.__mro__:
        for name in table.get(klass, ()):
            if name not in bases:
                bases.append(name)
    return t.__module__, t.__qualname__, bases
"#;

/// The helper module, compiled once per process (compiling it per scenario would cost more
/// than running most scenarios).
fn helper(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    static HELPER_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    HELPER_MODULE
        .get_or_try_init(py, || {
            PyModule::from_code(
                py,
                HELPER,
                c"pyo3_conformance_helper.py",
                c"pyo3_conformance_helper",
            )
            .map(Bound::unbind)
        })
        .map(|module| module.bind(py).clone())
}

/// What a Python session keeps from one scenario to the next of the same component: the
/// imported module, the module's classes, what exceptions are asked, and each exception
/// class's description. A property run reuses one for all its cases (each case's session
/// borrows it), so a case pays for its calls, not for imports and lookups; a cache is only
/// ever used with the manifest it was filled from.
#[derive(Default)]
pub(crate) struct SessionCache {
    module: Option<Py<PyModule>>,
    /// The module's classes the manifest declares, by name, as steps need them.
    classes: foldhash::HashMap<String, Option<Py<PyAny>>>,
    /// The module's functions and classes steps call, by name, looked up once.
    callables: foldhash::HashMap<String, Py<PyAny>>,
    /// Every exception class the contract names (classes and bases), which a raised
    /// exception is checked against with `isinstance`; gathered at the first exception.
    contracted: Option<Py<PyTuple>>,
    /// Each exception class seen, by address (kept alive, so the address stays its own).
    types: foldhash::HashMap<usize, ExceptionClass>,
}

/// What a raised exception's class tells, asked once per class and cache.
struct ExceptionClass {
    _class: Py<PyAny>,
    /// `module.qualname`.
    kind: String,
    bases: std::sync::Arc<[String]>,
    /// The attributes the contract entries of this class name, each with whether the class
    /// itself has it (a descriptor, a property, a class attribute); where it does not, only
    /// the instance's `__dict__` can.
    attributes: Vec<(Py<PyString>, bool)>,
    /// Whether a message rule of those entries compares `e.args` (`first_arg`, `repr`,
    /// `args`): only then is an exception's `args` read into its outcome (the other rules
    /// compare `str(e)`, which an outcome always has).
    args: bool,
    /// Whether one of those rules is `repr`, the one rule that needs to know whether `str(e)`
    /// is the repr of `e.args[0]` (only Python can tell).
    str_is_repr: bool,
}

impl ExceptionClass {
    /// Describes `class` (its name and bases, by the helper's `describe_type`) and gathers
    /// what the contract entries it answers (it is their exception, or derives from it) ask:
    /// an exception of another class fails on its class alone, and the judge compares
    /// neither its attributes nor its message.
    fn of(
        class: &Bound<'_, PyAny>,
        helper: &Bound<'_, PyModule>,
        manifest: &Manifest,
        contracted: Bound<'_, PyTuple>,
    ) -> PyResult<Self> {
        let (module, qualname, bases): (String, String, Vec<String>) = helper
            .getattr("describe_type")?
            .call1((class, contracted))?
            .extract()?;
        let kind = format!("{module}.{qualname}");
        let answered = || {
            manifest
                .all_error_mappings()
                .filter(|mapping| is_instance(&kind, &bases, &mapping.exception))
        };
        let any_rule = |wanted: &[MessageRule]| {
            answered().any(|m| m.message.rules().iter().any(|rule| wanted.contains(rule)))
        };
        let (args, str_is_repr) = (
            any_rule(&[MessageRule::Repr, MessageRule::FirstArg, MessageRule::Args]),
            any_rule(&[MessageRule::Repr]),
        );
        let mut names: Vec<&str> = answered()
            .flat_map(|mapping| mapping.attributes.iter().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        let attributes = names
            .into_iter()
            .map(|name| {
                let name = PyString::new(class.py(), name);
                Ok((name.clone().unbind(), class.hasattr(name)?))
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Self {
            _class: class.clone().unbind(),
            kind,
            bases: bases.into(),
            attributes,
            args,
            str_is_repr,
        })
    }
}

/// The Python side of one scenario run.
pub(crate) struct PythonSession<'py, 'm, 'c> {
    py: Python<'py>,
    /// The component's manifest: what the session reads as steps need it.
    manifest: &'m Manifest,
    module: Bound<'py, PyModule>,
    helper: Bound<'py, PyModule>,
    cache: &'c mut SessionCache,
    objects: HashMap<String, Bound<'py, PyAny>>,
    projections: Projections<'m>,
    /// The recording wrappers this session has passed, by name (one each, so a binding sees
    /// the same callable every time).
    callbacks: HashMap<String, Bound<'py, PyAny>>,
    /// Every callback call not yet taken by a step: `(name, args, kwargs)` (the list is made
    /// with the first recording wrapper).
    calls: Option<Bound<'py, PyList>>,
}

impl<'py, 'm, 'c> PythonSession<'py, 'm, 'c> {
    /// Imports the component's module; a binding that is not installed is a configuration error.
    pub(crate) fn open(
        py: Python<'py>,
        manifest: &'m Manifest,
        cache: &'c mut SessionCache,
    ) -> Result<Self> {
        let imported = match &cache.module {
            Some(module) => Ok(module.bind(py).clone()),
            None => py.import(manifest.module.as_str()),
        };
        let module = imported.map_err(|error| {
            Error::new(ErrorKind::Python(format!(
                "cannot import the binding module '{}' of component '{}' in {}: {error} \
                 (install it there: a published wheel with `pip install <its distribution>`, \
                 your own binding with `maturin develop --release` in its crate)",
                manifest.module,
                manifest.component,
                super::environment::describe()
            )))
        })?;
        let helper = helper(py).map_err(|error| {
            Error::new(ErrorKind::Python(format!(
                "cannot load the callback helper: {error}"
            )))
        })?;
        if cache.module.is_none() {
            validate_callbacks(&helper, manifest)?;
            cache.module = Some(module.clone().unbind());
        }
        Ok(Self {
            py,
            manifest,
            module,
            helper,
            cache,
            objects: HashMap::new(),
            projections: Projections::of(manifest),
            callbacks: HashMap::new(),
            calls: None,
        })
    }

    /// Runs one step and returns what Python did.
    pub(crate) fn run(&mut self, step: &PlannedStep) -> Observed {
        let (action, args, kwargs) = (&*step.action, &step.args, &step.kwargs);
        let outcome = match self.try_run(step, action, args, kwargs) {
            Ok(outcome) => outcome,
            Err(error) => match unrepresentable(self.py, &error) {
                Some(message) => Outcome::Unrepresentable { message },
                None => Outcome::raised(
                    "pyo3_conformance.HarnessError",
                    format!("the harness could not run this step in Python: {error}"),
                ),
            },
        };
        match self.take_calls() {
            Ok(calls) => Observed { outcome, calls },
            Err(error) => match unrepresentable(self.py, &error) {
                Some(message) => Outcome::Unrepresentable {
                    message: format!("a callback's arguments: {message}"),
                },
                None => Outcome::raised(
                    "pyo3_conformance.HarnessError",
                    format!("the harness could not read this step's callback calls: {error}"),
                ),
            }
            .into(),
        }
    }

    /// The callback calls made since the last step, canonical.
    fn take_calls(&self) -> PyResult<Vec<CallbackCall>> {
        let Some(log) = self.calls.as_ref().filter(|log| !log.is_empty()) else {
            return Ok(Vec::new());
        };
        let mut calls = Vec::with_capacity(log.len());
        for entry in log.iter() {
            let (callback, args, kwargs): (String, Bound<'py, PyAny>, Bound<'py, PyAny>) =
                entry.extract()?;
            let args = match to_value(&args, &self.projections)? {
                Value::Tuple(items) => items,
                other => vec![other],
            };
            let kwargs = str_keyed(to_value(&kwargs, &self.projections)?);
            calls.push(CallbackCall {
                callback,
                args,
                kwargs,
            });
        }
        log.call_method0("clear")?;
        Ok(calls)
    }

    /// The list the recording wrappers append their calls to, made when the first is.
    fn log(&mut self) -> &Bound<'py, PyList> {
        self.calls.get_or_insert_with(|| PyList::empty(self.py))
    }

    /// Makes the recording wrapper of every callback `values` pass, once per session.
    fn prepare_callbacks<'a>(
        &mut self,
        values: impl IntoIterator<Item = &'a Value>,
    ) -> PyResult<()> {
        for value in values {
            for name in value.callbacks() {
                if self.callbacks.contains_key(name) {
                    continue;
                }
                let source = self.manifest.callbacks.get(name).map(|spec| &spec.source);
                let source = source.ok_or_else(|| {
                    pyo3::exceptions::PyKeyError::new_err(format!(
                        "the manifest declares no callback '{name}'"
                    ))
                })?;
                let function = self
                    .helper
                    .getattr("compile_callback")?
                    .call1((name, source))?;
                let wrapper =
                    self.helper
                        .getattr("recording")?
                        .call1((name, function, self.log()))?;
                self.callbacks.insert(name.to_owned(), wrapper);
            }
        }
        Ok(())
    }

    fn try_run(
        &mut self,
        step: &PlannedStep,
        action: &Action,
        args: &[Value],
        kwargs: &BTreeMap<String, Value>,
    ) -> PyResult<Outcome> {
        let (bind, collect) = (step.bind.as_deref(), step.collect);
        // `Class.method` without an object: a classmethod or staticmethod, on the class.
        let class_call = matches!(action, Action::Function(name) if name.contains('.'));
        let (owner, name) = match action {
            Action::Attribute(name) => (self.module.clone().into_any(), name.as_str()),
            Action::Function(name) if class_call => {
                let (class, method) = name.split_once('.').expect("has a dot");
                if !self.module.hasattr(class)? {
                    return Ok(Outcome::Missing {
                        message: format!(
                            "module {} has no attribute '{class}'",
                            self.module.name()?
                        ),
                    });
                }
                (self.module.getattr(class)?, method)
            }
            Action::Function(name) | Action::Construct(name) => {
                (self.module.clone().into_any(), name.as_str())
            }
            Action::Method {
                object,
                method: name,
                ..
            }
            | Action::Property {
                object,
                property: name,
                ..
            }
            | Action::Assign {
                object,
                property: name,
                ..
            } => match self.objects.get(object) {
                Some(owner) => (owner.clone(), name.as_str()),
                None => return Ok(unbound(object)),
            },
        };
        // A member is missing when its owner (the module, or the object's class) lacks it; an
        // AttributeError raised *by* a property getter is an ordinary exception.
        let lookup = if matches!(
            action,
            Action::Method { .. } | Action::Property { .. } | Action::Assign { .. }
        ) {
            owner.get_type().into_any()
        } else {
            owner.clone()
        };
        // A module-level function or class called before: looked up once per cache.
        let module_level = matches!(action, Action::Function(_) if !class_call)
            || matches!(action, Action::Construct(_));
        let cached = module_level
            .then(|| self.cache.callables.get(name))
            .flatten()
            .map(|callable| callable.bind(self.py).clone());
        if cached.is_none() && !lookup.hasattr(name)? {
            let owner_name = match action {
                Action::Function(_) if class_call => {
                    format!("class {}", owner.getattr("__name__")?)
                }
                Action::Function(_) | Action::Construct(_) | Action::Attribute(_) => {
                    format!("module {}", self.module.name()?)
                }
                _ => format!("class {}", lookup.getattr("__name__")?),
            };
            return Ok(Outcome::Missing {
                message: format!("{owner_name} has no attribute '{name}'"),
            });
        }
        self.prepare_callbacks(args.iter().chain(kwargs.values()))?;
        let objects = |placeholder: &Value| match placeholder {
            Value::Ref(name) => self.objects.get(name).cloned(),
            Value::Callback(name) => self.callbacks.get(name).cloned(),
            _ => None,
        };
        let result: PyResult<Bound<'py, PyAny>> = match action {
            Action::Property { .. } | Action::Attribute(_) => owner.getattr(name),
            Action::Assign { .. } => {
                let value = args.first().map_or_else(
                    || Ok(self.py.None().into_bound(self.py)),
                    |value| to_python_with(self.py, value, &objects),
                )?;
                owner
                    .setattr(name, value)
                    .map(|()| self.py.None().into_bound(self.py))
            }
            _ => {
                let known = |name: &str| self.objects.contains_key(name);
                if let Some(missing) =
                    crate::objects::unbound_reference(args.iter().chain(kwargs.values()), known)
                {
                    return Ok(unbound(&missing));
                }
                let callable = match cached {
                    Some(callable) => callable,
                    None => {
                        let callable = owner.getattr(name)?;
                        if module_level {
                            self.cache
                                .callables
                                .insert(name.to_owned(), callable.clone().unbind());
                        }
                        callable
                    }
                };
                let convert = |a: &Value| to_python_with(self.py, a, &objects);
                if kwargs.is_empty() {
                    call_positional(&callable, args, convert)
                } else {
                    let py_args = args.iter().map(convert).collect::<PyResult<Vec<_>>>()?;
                    let py_kwargs = PyDict::new(self.py);
                    for (key, value) in kwargs {
                        py_kwargs.set_item(key, to_python_with(self.py, value, &objects)?)?;
                    }
                    callable.call(PyTuple::new(self.py, py_args)?, Some(&py_kwargs))
                }
            }
        };
        // What the code under test raised is the step's outcome, not a harness error.
        let result = match result {
            Ok(result) => result,
            Err(raised) => return self.exception(raised.value(self.py).as_any()),
        };
        let result = match collect {
            Some(Collect::List) => match self.py.get_type::<PyList>().call1((&result,)) {
                Ok(list) => list,
                Err(raised) => return self.exception(raised.value(self.py).as_any()),
            },
            None => result,
        };
        // Judged by instance: a result of the declared class or of a subclass of it is seen as
        // the declared class (a factory may return a subclass).
        let declared = match &step.result_class {
            Some(class) => match self.declared_class(class)? {
                Some(declared) => result.is_instance(&declared)?.then_some(class.as_str()),
                None => None,
            },
            None => None,
        };
        let value = match declared {
            Some(class) => object_as(&result, class, &self.projections),
            None => to_value(&result, &self.projections),
        };
        // A property of the projected state that raised: the step's outcome is that exception,
        // as on the Rust side.
        let value = match value {
            Ok(value) => value,
            Err(error) => match raised_by_property(self.py, &error) {
                Some(raised) => return self.exception(&raised),
                None => return Err(error),
            },
        };
        if let Some(name) = bind {
            self.objects.insert(name.to_owned(), result);
        }
        Ok(Outcome::Returned { value })
    }

    /// The module's class of that name, looked up once per session cache.
    fn declared_class(&mut self, class: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        if !self.cache.classes.contains_key(class) {
            let found = if self.module.hasattr(class)? {
                Some(self.module.getattr(class)?.unbind())
            } else {
                None
            };
            self.cache.classes.insert(class.to_owned(), found);
        }
        Ok(self.cache.classes[class]
            .as_ref()
            .map(|found| found.bind(self.py).clone()))
    }

    fn exception(&mut self, error: &Bound<'py, PyAny>) -> PyResult<Outcome> {
        if self.cache.contracted.is_none() {
            let mut names: Vec<&str> = self
                .manifest
                .all_error_mappings()
                .flat_map(|m| std::iter::once(&m.exception).chain(&m.bases))
                .map(String::as_str)
                .collect();
            names.sort_unstable();
            names.dedup();
            self.cache.contracted = Some(PyTuple::new(self.py, names)?.unbind());
        }
        let contracted = self
            .cache
            .contracted
            .as_ref()
            .map(|classes| classes.bind(self.py).clone())
            .expect("gathered above");
        let class = error.get_type().into_any();
        let address = class.as_ptr() as usize;
        let described = match self.cache.types.entry(address) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => new.insert(ExceptionClass::of(
                &class,
                &self.helper,
                self.manifest,
                contracted,
            )?),
        };
        let ExceptionClass {
            kind,
            bases,
            attributes: attributes_asked,
            args: ask_args,
            str_is_repr: ask_str_is_repr,
            ..
        } = &*described;
        // A message with lone surrogates keeps them as U+FFFD; a `__str__` that raises is worded
        // as Python's own traceback words it.
        let message = match error.str() {
            Ok(text) => text.to_string_lossy().into_owned(),
            Err(_) => "<exception str() failed>".to_owned(),
        };
        if kind == "pyo3_runtime.PanicException" {
            return Ok(Outcome::Panicked { message });
        }
        let mut attributes = BTreeMap::new();
        if *ask_args {
            read_args(
                error,
                &message,
                *ask_str_is_repr,
                &self.projections,
                &mut attributes,
            )?;
        }
        // An attribute the class lacks can only be the instance's own: looked up in its
        // `__dict__`, so no AttributeError is built for the (usual) absent one.
        let mut own: Option<Option<Bound<'py, PyDict>>> = None;
        for (name, on_class) in attributes_asked {
            let name = name.bind(self.py);
            let found = if *on_class {
                error.getattr(name).ok()
            } else {
                let own = own.get_or_insert_with(|| {
                    error
                        .getattr(pyo3::intern!(self.py, "__dict__"))
                        .ok()
                        .and_then(|d| d.cast_into::<PyDict>().ok())
                });
                match own {
                    Some(dict) => dict.get_item(name)?,
                    None => None,
                }
            };
            if let Some(value) = found {
                attributes.insert(
                    name.to_cow()?.into_owned(),
                    to_value(&value, &self.projections)?,
                );
            }
        }
        Ok(Outcome::Raised {
            kind: kind.clone(),
            message,
            bases: bases.clone(),
            attributes,
        })
    }
}

/// Reads `error.args` into `attributes`, for the message rules that compare them; with
/// `str_is_repr`, also whether `str(e)` (`message`) is the repr of `e.args[0]`, a fact
/// only Python can tell, under a key no attribute can have ('$' is not an identifier).
fn read_args(
    error: &Bound<'_, PyAny>,
    message: &str,
    str_is_repr: bool,
    projections: &Projections<'_>,
    attributes: &mut BTreeMap<String, Value>,
) -> PyResult<()> {
    let args = error.getattr(pyo3::intern!(error.py(), "args"))?;
    if str_is_repr {
        let str_is_repr = match args.cast::<PyTuple>() {
            Ok(tuple) if !tuple.is_empty() => {
                let first = tuple.get_item(0)?;
                // A str's repr starts with a quote: a message that does not cannot be it,
                // and most messages are not (no repr to build then).
                let quoted = message.starts_with(['\'', '"']);
                (quoted || !first.is_exact_instance_of::<PyString>())
                    && first
                        .repr()
                        .is_ok_and(|repr| repr.to_string_lossy() == message)
            }
            _ => false,
        };
        attributes.insert(
            "$str_is_repr_of_first_arg".to_owned(),
            Value::Bool(str_is_repr),
        );
    }
    attributes.insert("args".to_owned(), args_to_value(&args, projections)?);
    Ok(())
}

/// Calls `callable` with `args` only, each converted in order by `convert`. Up to four go by
/// vectorcall, as PyO3 passes a Rust tuple, with no list or argument tuple built; more go in a
/// tuple.
fn call_positional<'py>(
    callable: &Bound<'py, PyAny>,
    args: &[Value],
    convert: impl Fn(&Value) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    match args {
        [] => callable.call0(),
        [a] => callable.call1((convert(a)?,)),
        [a, b] => callable.call1((convert(a)?, convert(b)?)),
        [a, b, c] => callable.call1((convert(a)?, convert(b)?, convert(c)?)),
        [a, b, c, d] => callable.call1((convert(a)?, convert(b)?, convert(c)?, convert(d)?)),
        _ => {
            let converted = args.iter().map(convert).collect::<PyResult<Vec<_>>>()?;
            callable.call1(PyTuple::new(callable.py(), converted)?)
        }
    }
}

/// The str-keyed entries of a dict value (keyword arguments, exception attributes).
fn str_keyed(value: Value) -> BTreeMap<String, Value> {
    match value {
        Value::Dict(entries) => entries
            .into_iter()
            .filter_map(|(key, value)| match key {
                Value::Str(key) => Some((key, value)),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// Compiles each callback of the manifest once per process, so that one that does not compile
/// is a configuration error (exit 2) before any step runs; later sessions skip the ones seen.
fn validate_callbacks(helper: &Bound<'_, PyModule>, manifest: &Manifest) -> Result<()> {
    static SEEN: std::sync::Mutex<std::collections::BTreeSet<(String, String)>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    for (name, spec) in &manifest.callbacks {
        let key = (name.clone(), spec.source.clone());
        if SEEN
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&key)
        {
            continue;
        }
        helper
            .getattr("compile_callback")
            .and_then(|compile| compile.call1((name, &spec.source)))
            .map_err(|error| {
                Error::new(ErrorKind::Python(format!(
                    "the callback '{name}' of component '{}' does not compile: {error}",
                    manifest.component
                )))
            })?;
        SEEN.lock().unwrap_or_else(|p| p.into_inner()).insert(key);
    }
    Ok(())
}

/// The outcome of a step on an object that was never made (its constructor failed).
pub(crate) fn unbound(object: &str) -> Outcome {
    Outcome::raised(
        "pyo3_conformance.Unbound",
        format!("object '{object}' was not created, so this step could not run"),
    )
}
