//! Arguments by name: [`Args`], the view an adapter closure takes instead of a tuple when an
//! operation has many parameters (a constructor of 24, beyond serde's 16-element tuples), or
//! when naming them reads better than repeating the manifest's order in Rust.
//!
//! Arguments reach the adapter bound to the manifest's parameters, in declared order (defaults
//! filled, `*args` as a tuple, `**kwargs` as a dict). The names are the manifest's: the runner
//! publishes the current operation's parameter names in a thread-local for the duration of
//! the call, and `Args` picks them up when it is decoded, so it works wherever a tuple does.

use std::cell::RefCell;
use std::collections::BTreeMap;

use pyo3_conformance_model::{Param, ParamKind, Value, from_value};
use serde::de::{Deserialize, DeserializeOwned, Deserializer};

use crate::adapter::{ARGUMENT_ERROR, argument_error_kind};
use crate::rust_error::RustError;

thread_local! {
    static PARAMS: RefCell<Vec<(String, ParamKind)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `call` with `params` as the names `Args` decodes by. The names stay published after
/// the call (only a call reads them), so a run of cases of one operation publishes them once.
pub(crate) fn with_params<R>(params: &[Param], call: impl FnOnce() -> R) -> R {
    let published = PARAMS.with_borrow(|current| {
        current.len() == params.len()
            && current
                .iter()
                .zip(params)
                .all(|((name, kind), param)| *name == param.name && *kind == param.kind)
    });
    if !published {
        PARAMS.set(params.iter().map(|p| (p.name.clone(), p.kind)).collect());
    }
    call()
}

/// An operation's arguments, by the manifest's parameter names.
///
/// ```text
/// .try_constructor(|args: Args| {
///     let hex: Option<String> = args.get("hex")?;
///     let version: Option<u8> = args.get("version")?;
///     ...
/// })
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    params: Vec<(String, ParamKind)>,
    values: Vec<Value>,
}

impl Args {
    /// The argument of parameter `name`, converted to `T`. An unknown name, or a value `T`
    /// cannot take, is an `ArgumentError` (the error kind of arguments the Rust API cannot take).
    pub fn get<T: DeserializeOwned>(&self, name: &str) -> Result<T, RustError> {
        let value = self.value(name)?;
        from_value(value.clone()).map_err(|error| {
            let error = error.to_string();
            RustError::new(
                argument_error_kind(&error),
                format!("the Rust API cannot take argument '{name}': {error}"),
            )
        })
    }

    /// The canonical value of parameter `name`.
    pub fn value(&self, name: &str) -> Result<&Value, RustError> {
        self.params
            .iter()
            .position(|(param, _)| param == name)
            .and_then(|index| self.values.get(index))
            .ok_or_else(|| {
                RustError::new(
                    ARGUMENT_ERROR,
                    format!("the operation has no parameter '{name}'"),
                )
            })
    }

    /// The extra positional arguments (`*args`), or none where the operation takes none.
    pub fn rest(&self) -> &[Value] {
        match self.of_kind(ParamKind::VarPositional) {
            Some(Value::Tuple(items)) => items,
            _ => &[],
        }
    }

    /// The extra keyword arguments (`**kwargs`), by name.
    pub fn kwargs(&self) -> BTreeMap<String, Value> {
        match self.of_kind(ParamKind::VarKeyword) {
            Some(Value::Dict(entries)) => entries
                .iter()
                .filter_map(|(key, value)| match key {
                    Value::Str(key) => Some((key.clone(), value.clone())),
                    _ => None,
                })
                .collect(),
            _ => BTreeMap::new(),
        }
    }

    fn of_kind(&self, kind: ParamKind) -> Option<&Value> {
        let index = self.params.iter().position(|(_, k)| *k == kind)?;
        self.values.get(index)
    }
}

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = Vec::<Value>::deserialize(deserializer)?;
        let params = PARAMS.with_borrow(Clone::clone);
        if params.len() != values.len() {
            return Err(serde::de::Error::custom(format!(
                "`Args` takes the arguments of an operation the manifest declares ({} names for {} values)",
                params.len(),
                values.len()
            )));
        }
        Ok(Self { params, values })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Adapter;
    use crate::adapter::Called;
    use pyo3_conformance_model::{Outcome, Signature};

    fn signature() -> Signature {
        serde_json::from_str(
            r#"{"params": [{"name": "hex"}, {"name": "version", "default": null},
                {"name": "rest", "kind": "var_positional"}, {"name": "options", "kind": "var_keyword"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn arguments_are_read_by_the_manifest_names() {
        let adapter = Adapter::new("t").try_function("describe", |args: Args| {
            let hex: String = args.get("hex")?;
            let version: Option<u8> = args.get("version")?;
            Ok::<_, RustError>(format!(
                "{hex} v{version:?} +{} {:?}",
                args.rest().len(),
                args.kwargs().keys().collect::<Vec<_>>()
            ))
        });
        let kwargs = BTreeMap::from([("strict".to_owned(), Value::Bool(true))]);
        let bound = signature()
            .bind(&[Value::str("ab"), Value::Null, Value::int(1)], &kwargs)
            .unwrap()
            .into_owned();
        let outcome = with_params(&signature().params, || {
            adapter.call_function("describe", &bound)
        });
        let Called::Value(Outcome::Returned { value }) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(value, Value::str("ab vNone +1 [\"strict\"]"));
    }

    #[test]
    fn an_unknown_name_or_a_value_of_another_type_is_an_argument_error() {
        let adapter =
            Adapter::new("t").try_function("bad", |args: Args| args.get::<i64>("hex").map(|_| ()));
        let bound = signature()
            .bind(&[Value::str("ab")], &BTreeMap::new())
            .unwrap()
            .into_owned();
        let outcome = with_params(&signature().params, || adapter.call_function("bad", &bound));
        let Called::Value(Outcome::Raised { kind, message, .. }) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(kind, format!("{ARGUMENT_ERROR}.type"));
        assert!(message.contains("argument 'hex'"), "{message}");
    }
}
