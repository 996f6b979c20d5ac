//! The scenario fixture format: a sequence of steps run in both languages.
//!
//! Each step does one thing — call a function, construct an object, call a method on an object
//! an earlier step made, or read a property — so the file reads like the Python it stands for.
//! `bind` names a step's result for later steps; `expect` and `raises` are optional explicit
//! expectations that both sides must meet on top of matching each other.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Value;

/// A scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Optional path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What the scenario shows, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The steps, run in order.
    pub steps: Vec<Step>,
}

/// One step. Exactly one of `call`, `new`, `get` and `set` is given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Call a module function, or with `on` a method of an object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// Construct an instance of a class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// Read a property of the object named by `on`, or without `on` a module attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get: Option<String>,
    /// Assign `value` to a settable property of the object named by `on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    /// The value a `set` step assigns.
    #[serde(
        default,
        deserialize_with = "crate::manifest::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Value>,
    /// The object (named by an earlier `bind`) whose method or property this step uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    /// Positional arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Value>,
    /// Keyword arguments.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kwargs: BTreeMap<String, Value>,
    /// Names the result so later steps can use it with `on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    /// The value both sides must return.
    #[serde(
        default,
        deserialize_with = "crate::manifest::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub expect: Option<Value>,
    /// The error kind both sides must fail with (a key of the manifest's `errors`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raises: Option<String>,
    /// Materialise the Python result first (an iterator or a view): `"list"` is `list(result)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collect: Option<Collect>,
    /// Compare the result's top-level sequence as a multiset: for hash-ordered containers whose
    /// order is not part of the contract.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unordered: bool,
}

/// How the Python side materialises a result before comparing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Collect {
    /// `list(result)`.
    List,
}

/// What a step does, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepAction<'a> {
    /// `call` without `on`.
    Function(&'a str),
    /// `new`.
    Construct(&'a str),
    /// `call` with `on`.
    Method {
        /// The bound object's name.
        object: &'a str,
        /// The method name.
        method: &'a str,
    },
    /// `get` with `on`.
    Property {
        /// The bound object's name.
        object: &'a str,
        /// The property name.
        property: &'a str,
    },
    /// `get` without `on`: a module attribute.
    Attribute(&'a str),
    /// `set` with `on`.
    Assign {
        /// The bound object's name.
        object: &'a str,
        /// The property name.
        property: &'a str,
    },
}

impl Step {
    /// What this step does, or why its fields do not make sense together.
    pub fn action(&self) -> Result<StepAction<'_>, String> {
        if self.value.is_some() && self.set.is_none() {
            return Err("`value` belongs to a `set` step".to_owned());
        }
        if let Some(property) = &self.set {
            if self.call.is_some() || self.new.is_some() || self.get.is_some() {
                return Err("a step has exactly one of `call`, `new`, `get` or `set`".to_owned());
            }
            let Some(object) = &self.on else {
                return Err("`set` needs `on`, the object to assign to".to_owned());
            };
            if self.value.is_none() {
                return Err("`set` needs `value`, the value to assign".to_owned());
            }
            return Ok(StepAction::Assign { object, property });
        }
        match (&self.call, &self.new, &self.get, &self.on) {
            (Some(function), None, None, None) => Ok(StepAction::Function(function)),
            (Some(method), None, None, Some(object)) => Ok(StepAction::Method { object, method }),
            (None, Some(class), None, None) => Ok(StepAction::Construct(class)),
            (None, None, Some(property), Some(object)) => {
                Ok(StepAction::Property { object, property })
            }
            (None, None, Some(name), None) => Ok(StepAction::Attribute(name)),
            (None, Some(_), None, Some(_)) => Err("`new` takes no `on`".to_owned()),
            (None, None, None, _) => {
                Err("a step needs one of `call`, `new`, `get` or `set`".to_owned())
            }
            _ => Err("a step has exactly one of `call`, `new`, `get` or `set`".to_owned()),
        }
    }

    /// A short label for reports: `Store.put`, `new Store`, `store.size`.
    pub fn label(&self) -> String {
        // Concatenated rather than formatted: every generated case of a property run labels
        // its steps, and `format!` costs several times a concatenation.
        let joined = |parts: &[&str]| parts.concat();
        match self.action() {
            Ok(StepAction::Function(name) | StepAction::Construct(name)) => joined(&[name, "()"]),
            Ok(StepAction::Method { object, method }) => joined(&[object, ".", method, "()"]),
            Ok(StepAction::Property { object, property }) => joined(&[object, ".", property]),
            Ok(StepAction::Attribute(name)) => name.to_owned(),
            Ok(StepAction::Assign { object, property }) => joined(&[object, ".", property, " ="]),
            Err(_) => "invalid step".to_owned(),
        }
    }
}
