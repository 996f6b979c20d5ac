//! The API surface of a Python module, as one source sees it: the manifest (what Rust
//! declares), the runtime (`inspect`) or the stub (`.pyi`, read with `ast`).
//!
//! All three sources are read into this one shape so that comparing them is a walk over two
//! values of the same type. Defaults are canonical values, so `1.0` and `1.` agree and `1`
//! and `True` do not; a default no source states (`...` in a stub, `Ellipsis` in a
//! `__text_signature__`) is [`DefaultValue::Opaque`] and only its presence is compared.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::{ParamKind, Value};

/// The members of a module.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Surface {
    /// Public members by name.
    pub members: BTreeMap<String, Member>,
    /// The module's `__all__`, where it defines one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<String>>,
}

/// One member of a module or class. Externally tagged (`{"method": {...}}`): that form
/// carries canonical values through serde without buffering, so defaults stay exact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Member {
    /// A module-level function.
    Function {
        /// Its signature.
        signature: Callable,
    },
    /// A class (not an exception).
    Class {
        /// The constructor's signature, without `self`/`cls`.
        constructor: Option<Callable>,
        /// Methods, properties and attributes by name.
        members: BTreeMap<String, Member>,
        /// Whether it cannot be subclassed (`@final` in a stub), where the source tells.
        #[serde(default)]
        r#final: Option<bool>,
        /// Its base classes by qualified name (`builtins.frozenset`,
        /// `collections.abc.Mapping`): in a stub, the bases it states; at runtime, every class
        /// it is a subclass of, virtual ABCs included. `None` where the source does not tell.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bases: Option<Vec<String>>,
        /// Whether its instances have a layout of their own (PEP 800's disjoint base:
        /// `@disjoint_base` in a stub), where the source tells.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        disjoint: Option<bool>,
    },
    /// An exception class.
    Exception {
        /// Always `None` (exceptions are compared by the error contract).
        constructor: Option<Callable>,
        /// Its members.
        members: BTreeMap<String, Member>,
        /// Its base classes, as for a class.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bases: Option<Vec<String>>,
    },
    /// A module the module exposes as an attribute (a submodule, `pkg.meta`).
    Module {
        /// Its members, where the source tells (`None`: a stub names it but has no stub of it).
        members: Option<BTreeMap<String, Member>>,
        /// Its `__all__`, where it defines one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        all: Option<Vec<String>>,
    },
    /// An instance method (signature without `self`).
    Method {
        /// Its signature.
        signature: Callable,
    },
    /// A class method (signature without `cls`).
    Classmethod {
        /// Its signature.
        signature: Callable,
    },
    /// A static method.
    Staticmethod {
        /// Its signature.
        signature: Callable,
    },
    /// A property (a getter, or a descriptor).
    Property {
        /// Its type, where the source states one.
        annotation: Option<String>,
        /// Whether it can be assigned, where the source tells (a stub's `@x.setter`; a
        /// compiled getset descriptor does not tell).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        settable: Option<bool>,
    },
    /// A plain attribute: a constant, an instance, a type alias.
    Attribute {
        /// Its type, where the source states one.
        annotation: Option<String>,
        /// The type of its value (runtime only: `int`, `uuid.UUID`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value_type: Option<String>,
    },
    /// A name a stub class gets from a base without spelling it out (`Mapping.get`): present,
    /// so only its presence can be compared.
    Inherited {
        /// The base's qualified name (`collections.abc.Mapping`).
        base: String,
    },
    /// A name a stub re-exports from a module that has no stub of its own: present, so only
    /// its presence can be compared.
    Reexported {
        /// The module it comes from.
        from: String,
    },
}

impl Member {
    /// The kind's name as messages write it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::Function { .. } => "a function",
            Self::Class { .. } => "a class",
            Self::Exception { .. } => "an exception class",
            Self::Method { .. } => "a method",
            Self::Classmethod { .. } => "a classmethod",
            Self::Staticmethod { .. } => "a staticmethod",
            Self::Property { .. } => "a property",
            Self::Attribute { .. } => "an attribute",
            Self::Module { .. } => "a module",
            Self::Inherited { .. } => "inherited",
            Self::Reexported { .. } => "re-exported",
        }
    }

    /// The signature of a callable member.
    pub fn signature(&self) -> Option<&Callable> {
        match self {
            Self::Function { signature }
            | Self::Method { signature }
            | Self::Classmethod { signature }
            | Self::Staticmethod { signature } => Some(signature),
            _ => None,
        }
    }
}

/// A signature as one source sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Callable {
    /// The parameters, or `None` when the source cannot tell (no `__text_signature__`,
    /// overloads in a stub).
    pub params: Option<Vec<ParamView>>,
    /// The return annotation.
    pub returns: Option<String>,
    /// Why `params` is `None`.
    pub note: Option<String>,
    /// A stub's `@overload`ed signatures, each compared on its own (`params` is then `None`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overloads: Vec<Callable>,
}

/// One parameter as one source sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamView {
    /// Its name.
    pub name: String,
    /// How it may be passed.
    pub kind: ParamKind,
    /// Its annotation, as text.
    pub annotation: Option<String>,
    /// Its default; `None` when required.
    pub default: Option<DefaultValue>,
}

/// A parameter's default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultValue {
    /// A value the source states.
    Value(Value),
    /// A default the source does not state (`...`), or an expression it cannot evaluate.
    Opaque(String),
}

impl DefaultValue {
    /// As Python would write it.
    pub fn python(&self) -> String {
        match self {
            Self::Value(value) => python_repr(value),
            Self::Opaque(text) => text.clone(),
        }
    }
}

/// A canonical value written as Python source (`True`, `1.0`, `b'\x00'`, `(1,)`): `repr()`
/// (see [`crate::py_repr`]), except that NaN and the infinities are written as the
/// expressions that make them (`float('nan')`), anywhere in the value.
pub fn python_repr(value: &Value) -> String {
    let join = |items: &[Value]| items.iter().map(python_repr).collect::<Vec<_>>().join(", ");
    match value {
        Value::Float(f) if f.is_nan() => "float('nan')".to_owned(),
        Value::Float(f) if f.is_infinite() => {
            if *f > 0.0 {
                "float('inf')".to_owned()
            } else {
                "float('-inf')".to_owned()
            }
        }
        Value::List(items) => format!("[{}]", join(items)),
        Value::Tuple(items) if items.len() == 1 => format!("({},)", python_repr(&items[0])),
        Value::Tuple(items) => format!("({})", join(items)),
        Value::Set(items) if !items.is_empty() => format!("{{{}}}", join(items)),
        Value::FrozenSet(items) if !items.is_empty() => format!("frozenset({{{}}})", join(items)),
        Value::Dict(entries) => {
            let body: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", python_repr(k), python_repr(v)))
                .collect();
            format!("{{{}}}", body.join(", "))
        }
        Value::Ref(name) | Value::Callback(name) => name.clone(),
        other => crate::py_repr(other),
    }
}

/// A str as Python's `repr` writes it (see [`crate::py_repr`]).
pub fn str_repr(text: &str) -> String {
    crate::py_repr(&Value::str(text))
}

impl Callable {
    /// The signature as Python writes it: `(a: int, /, b=1, *, c) -> str`.
    pub fn render(&self) -> String {
        if !self.overloads.is_empty() {
            let each: Vec<String> = self.overloads.iter().map(Self::render).collect();
            return format!("overloaded: {}", each.join(" | "));
        }
        let Some(params) = &self.params else {
            return format!("(?) [{}]", self.note.as_deref().unwrap_or("unknown"));
        };
        let mut parts = Vec::new();
        let mut star_done = false;
        for (index, param) in params.iter().enumerate() {
            if param.kind == ParamKind::KeywordOnly && !star_done {
                parts.push("*".to_owned());
                star_done = true;
            }
            let mut text = match param.kind {
                ParamKind::VarPositional => {
                    star_done = true;
                    format!("*{}", param.name)
                }
                ParamKind::VarKeyword => format!("**{}", param.name),
                _ => param.name.clone(),
            };
            if let Some(annotation) = &param.annotation {
                let _ = write!(text, ": {annotation}");
            }
            if let Some(default) = &param.default {
                let eq = if param.annotation.is_some() {
                    " = "
                } else {
                    "="
                };
                let _ = write!(text, "{eq}{}", default.python());
            }
            parts.push(text);
            let next_positional_only = params
                .get(index + 1)
                .is_some_and(|p| p.kind == ParamKind::PositionalOnly);
            if param.kind == ParamKind::PositionalOnly && !next_positional_only {
                parts.push("/".to_owned());
            }
        }
        let returns = self
            .returns
            .as_ref()
            .map(|r| format!(" -> {r}"))
            .unwrap_or_default();
        format!("({}){returns}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, kind: ParamKind, default: Option<Value>) -> ParamView {
        ParamView {
            name: name.into(),
            kind,
            annotation: None,
            default: default.map(DefaultValue::Value),
        }
    }

    #[test]
    fn signatures_render_as_python_writes_them() {
        let callable = Callable {
            params: Some(vec![
                param("values", ParamKind::PositionalOnly, None),
                param(
                    "factor",
                    ParamKind::PositionalOrKeyword,
                    Some(Value::Float(1.0)),
                ),
                param("digits", ParamKind::KeywordOnly, Some(Value::Null)),
            ]),
            returns: Some("list[float]".into()),
            note: None,
            overloads: Vec::new(),
        };
        assert_eq!(
            callable.render(),
            "(values, /, factor=1.0, *, digits=None) -> list[float]"
        );
    }

    #[test]
    fn values_repr_as_python() {
        let value: Value = serde_json::from_str(
            r#"[true, "it's", {"$bytes": "0041"}, {"$tuple": [1]}, {"$set": []}]"#,
        )
        .unwrap();
        assert_eq!(
            python_repr(&value),
            r#"[True, "it's", b'\x00A', (1,), set()]"#
        );
        assert_eq!(str_repr("a'b\"c\n"), r#"'a\'b"c\n'"#);
    }
}
