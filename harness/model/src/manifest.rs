//! The component manifest: what a component exposes to Python, described as plain data.
//!
//! A manifest is read by both languages: the Rust runner checks scenarios against it and binds
//! their arguments to declared parameters; the Python side learns from it which module to import.
//! It names operations the way Python does (`Store.put`), because the Python API is the surface
//! the harness compares; the Rust adapter maps each name to a Rust call.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::Value;

/// One component: a Python module and the functions and classes it exposes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Optional path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The component's name, as used in scenario ids and `--component`.
    pub component: String,
    /// The Python module to import (`package.module`).
    pub module: String,
    /// Module-level functions by name.
    #[serde(default)]
    pub functions: BTreeMap<String, Signature>,
    /// Classes by name.
    #[serde(default)]
    pub classes: BTreeMap<String, Class>,
    /// Module-level attributes (constants, instances, type aliases) by name: compared as
    /// members of the API surface.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, Attribute>,
    /// Callbacks scenarios pass as arguments (`{"$callback": "name"}`), by name: the Python
    /// side runs the source given here, the Rust side the adapter's closure of the same name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub callbacks: BTreeMap<String, CallbackSpec>,
    /// The error contract: each Rust error kind and the Python exception it must become; the
    /// entry `"*"` holds for every kind not listed.
    #[serde(default)]
    pub errors: BTreeMap<String, ErrorMapping>,
    /// Projections of foreign objects the API returns or takes that are no classes of the
    /// module (a `fractions.Fraction`, an `ipaddress.IPv4Address`), by class name
    /// (`type(obj).__name__`): compared by the state declared here, never part of the API
    /// surface, never property-run targets.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, ValueProjection>,
    /// Error kinds the Rust API cannot return in this build (a feature left off): coverage
    /// reports them as unreachable rather than as exercised by no scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreachable: Vec<String>,
    /// How results are compared.
    #[serde(default)]
    pub compare: CompareOptions,
}

/// How an object of a foreign class is seen: the attributes, and the results of zero-argument
/// methods (written `isoformat()`), that make up its state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueProjection {
    /// Attribute names and `method()` calls, in the order the state lists them.
    pub state: Vec<String>,
}

/// A class: its constructor, methods, properties and the state projected when comparing objects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Class {
    /// Classes of the manifest this one derives from, in the order Python lists them: their
    /// methods and properties are this class's too, unless it declares its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<String>,
    /// The constructor's signature (`__new__`/`__init__` without `self`); `null` for a class
    /// Python cannot instantiate (a PyO3 class without `#[new]`), whose objects only other
    /// operations return. Absent means a constructor without parameters.
    #[serde(
        default = "no_parameters",
        deserialize_with = "nullable",
        skip_serializing_if = "is_no_parameters"
    )]
    #[schemars(with = "Option<Signature>")]
    pub constructor: Option<Signature>,
    /// Methods by name (without `self`).
    #[serde(default)]
    pub methods: BTreeMap<String, Signature>,
    /// Properties by name (read-only unless `settable`).
    #[serde(default)]
    pub properties: BTreeMap<String, Property>,
    /// The properties that make up an object's canonical value, in order.
    #[serde(default)]
    pub state: Vec<String>,
}

/// A callback: a Python callable, given by its source, that scenarios pass to operations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackSpec {
    /// Python source: an expression (`lambda x: x % 2 == 0`), or a `def` of a function with
    /// the callback's name. It runs with the builtins only, once per scenario.
    pub source: String,
    /// Its type, in Python annotation syntax (`Callable[[int], bool]`): property runs pass it
    /// to parameters of this type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// How the two sides' calls of it are compared (default `exact`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub calls: CallsRule,
}

/// How the calls each side makes to one callback are compared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallsRule {
    /// The same calls in the same order (a filter, a visitor: order and count are the contract).
    #[default]
    Exact,
    /// The same calls, each as often, in any order.
    Unordered,
    /// The same distinct calls, in any order and any number of times: for a pure function
    /// whose call count is the implementation's business (a sort key that Rust's
    /// `sort_by_key` calls per comparison, Python's `sorted` once per item).
    Distinct,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A module-level attribute.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// Its type, in Python annotation syntax.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
}

/// What kind of method a class member is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    /// An instance method (`self` first, not declared).
    #[default]
    Method,
    /// A `@classmethod` (`cls` first, not declared).
    Classmethod,
    /// A `@staticmethod`.
    Staticmethod,
}

/// A Python-facing signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// On a method: `classmethod` or `staticmethod` (default `method`). Not for functions or
    /// constructors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MethodKind>,
    /// Parameters in order.
    #[serde(default)]
    pub params: Vec<Param>,
    /// The return type, in Python annotation syntax (`list[int] | None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// Every call's result is compared as a multiset (as a step's `unordered`): for an
    /// operation whose order is not part of its contract (hash-ordered keys).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unordered: bool,
    /// Error-contract entries for this operation alone, over the component's (the same Rust
    /// kind may rightly become `TypeError` in `loads` and the package's error in `dumps`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, ErrorMapping>,
    /// `false` opts the operation out of property runs (a constructor's: its class's state
    /// machine); `properties_reason` must then say why. Without it, an operation property runs
    /// cannot generate fails them, loudly, rather than being skipped in silence.
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub properties: bool,
    /// Why `properties` is `false`: shown wherever the operation is reported as not generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties_reason: Option<String>,
}

impl Default for Signature {
    fn default() -> Self {
        Self {
            kind: None,
            params: Vec::new(),
            returns: None,
            unordered: false,
            errors: BTreeMap::new(),
            properties: true,
            properties_reason: None,
        }
    }
}

impl Signature {
    /// Why property runs leave this operation out, where the manifest opts it out.
    pub fn opted_out(&self) -> Option<&str> {
        (!self.properties).then(|| self.properties_reason.as_deref().unwrap_or_default())
    }
}

fn yes() -> bool {
    true
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The parameter name.
    pub name: String,
    /// How it may be passed.
    #[serde(default)]
    pub kind: ParamKind,
    /// The type, in Python annotation syntax.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// The default value; absent means the parameter is required (`null` means `None`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub default: Option<Value>,
    /// Limits on the values property runs generate for this parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Constraints>,
    /// The type property runs generate values of, where `type` says less than can be generated
    /// (`Any`, `object`): `"dict[str, int | datetime]"` for a serializer's `obj: Any`. `type`
    /// stays what the API says, for the signature check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<String>,
}

impl Param {
    /// The type property runs generate values of: `generate`, else `type`.
    pub fn generated_type(&self) -> Option<&str> {
        self.generate.as_deref().or(self.ty.as_deref())
    }
}

/// Limits on generated values (property runs). Each applies where it makes sense for the type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Smallest number (ints and floats; ints beyond ±2**53 are approximate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest number (ints and floats).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Floats: no NaN and no infinities (a `min` or `max` implies it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub finite: bool,
    /// Fewest items, characters or bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_len: Option<usize>,
    /// Most items, characters or bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_len: Option<usize>,
    /// A regular expression generated strings match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// The only values to generate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<Value>>,
    /// The least and greatest value to generate, for `datetime` (wall time), `date`, `time`
    /// (wall time), `timedelta` and `Decimal`: two canonical values of the parameter's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<(Value, Value)>,
    /// For `datetime` and `time`: only aware values (`true`) or only naive ones (`false`);
    /// both where absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aware: Option<bool>,
}

fn no_parameters() -> Option<Signature> {
    Some(Signature::default())
}

fn is_no_parameters(constructor: &Option<Signature>) -> bool {
    *constructor == no_parameters()
}

/// Reads a field that may be `null` (into `None`).
fn nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Signature>, D::Error> {
    Option::<Signature>::deserialize(deserializer)
}

/// Reads a field that is present (even as `null`) into `Some`.
pub(crate) fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// How a parameter may be passed, as in Python's `inspect.Parameter.kind`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// Before `/`: by position only.
    PositionalOnly,
    /// By position or by name.
    #[default]
    PositionalOrKeyword,
    /// After `*`: by name only.
    KeywordOnly,
    /// `*args`: the extra positional arguments, as a tuple.
    VarPositional,
    /// `**kwargs`: the extra keyword arguments, as a dict.
    VarKeyword,
}

impl ParamKind {
    /// The kind as messages write it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::PositionalOnly => "positional-only",
            Self::PositionalOrKeyword => "positional-or-keyword",
            Self::KeywordOnly => "keyword-only",
            Self::VarPositional => "*args",
            Self::VarKeyword => "**kwargs",
        }
    }
}

/// A read-only property.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Property {
    /// The type, in Python annotation syntax.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Whether scenarios may assign it (`{"set": ...}`); the signature check holds the stub to it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub settable: bool,
}

/// Where one Rust error kind must land in Python.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorMapping {
    /// The exception class by qualified name (`builtins.ValueError`, `mymod.MyError`); Python
    /// must raise an instance of it (a subclass is fine, a more general class is not).
    pub exception: String,
    /// Base classes the exception class must have, by qualified name (`builtins.ValueError`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<String>,
    /// How the exception's message relates to the Rust error: one rule, or a list of rules
    /// that must all hold.
    #[serde(default)]
    pub message: MessageRules,
    /// Attributes the exception must have (`position`, `kind`); where the Rust error carries
    /// details of the same name, the values must be equal too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
}

/// One message rule or several, all of which must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum MessageRules {
    /// One rule.
    One(MessageRule),
    /// Rules that must all hold (`["first_arg", {"pattern": "^key"}]`).
    All(Vec<MessageRule>),
}

impl Default for MessageRules {
    fn default() -> Self {
        Self::One(MessageRule::default())
    }
}

impl MessageRules {
    /// The rules, in order.
    pub fn rules(&self) -> &[MessageRule] {
        match self {
            Self::One(rule) => std::slice::from_ref(rule),
            Self::All(rules) => rules,
        }
    }
}

/// How the Python message relates to Rust's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageRule {
    /// `str(e)` equals the Rust error's `Display`.
    #[default]
    Display,
    /// The message is not compared.
    Ignore,
    /// `str(e)` matches this regular expression.
    Pattern(String),
    /// `str(e)` is the `repr` of `e.args[0]`, as `KeyError` renders its argument, and
    /// `e.args[0]` is what `first_arg` says.
    Repr,
    /// `e.args[0]` equals, canonically, the Rust error's detail `args`' first item where the
    /// adapter gives one (`KeyError(7)`), else its `Display`.
    FirstArg,
    /// `e.args` equals, canonically, the Rust error's detail `args` (a tuple) where the
    /// adapter gives one, else the one-item tuple of its `Display`.
    Args,
}

/// The entry of `kind` in `errors`: its own, its family's (the part before a `.`), or `"*"`.
fn lookup_kind<'a>(
    errors: &'a BTreeMap<String, ErrorMapping>,
    kind: &str,
) -> Option<&'a ErrorMapping> {
    errors
        .get(kind)
        .or_else(|| errors.get(kind_family(kind)))
        .or_else(|| errors.get(FALLBACK_ERROR))
}

/// The family of an error kind: `ArgumentError` for `ArgumentError.range`, else the kind.
pub fn kind_family(kind: &str) -> &str {
    split_at_dot(kind).map_or(kind, |(family, _)| family)
}

/// `name` split at its first `.`: a byte scan, which on names this short costs a fraction of
/// `str::split_once`'s char searcher (every case of a property run splits several).
fn split_at_dot(name: &str) -> Option<(&str, &str)> {
    let dot = name.bytes().position(|byte| byte == b'.')?;
    Some((&name[..dot], &name[dot + 1..]))
}

/// Whether the raised `kind` is `wanted` or a kind of its family (`raises: "ArgumentError"`
/// holds for `ArgumentError.type`).
pub fn kind_is(kind: &str, wanted: &str) -> bool {
    kind == wanted || (kind_family(kind) == wanted && kind.contains('.'))
}

/// The key of the error contract's entry for every kind it does not list.
pub const FALLBACK_ERROR: &str = "*";

/// Comparison options of a component.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareOptions {
    /// Whether dict key order must match (Python dicts keep insertion order).
    #[serde(default)]
    pub dict_order: bool,
    /// How aware datetimes and times compare: the instant and the UTC offset (default: a
    /// binding that keeps the instant but loses the offset diverges), or the instant only.
    #[serde(default)]
    pub datetimes: DatetimeComparison,
    /// How `Decimal`s compare: exactly, exponent included (default: `1.10` is not `1.1`), or
    /// as numbers.
    #[serde(default)]
    pub decimals: DecimalComparison,
}

/// How aware datetimes compare (`compare.datetimes`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DatetimeComparison {
    /// The same instant and the same UTC offset.
    #[default]
    InstantAndOffset,
    /// The same instant, at any offset.
    Instant,
}

/// How decimals compare (`compare.decimals`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecimalComparison {
    /// Sign, digits and exponent.
    #[default]
    Exact,
    /// The number: `1.10` equals `1.1`, `0E+3` equals `-0`.
    Numeric,
}

impl Manifest {
    /// The contract entry of a Rust error kind: its own, its family's (`ArgumentError` for
    /// `ArgumentError.range`), or the `"*"` fallback.
    pub fn error_mapping(&self, kind: &str) -> Option<&ErrorMapping> {
        lookup_kind(&self.errors, kind)
    }

    /// The contract entry of a Rust error kind raised by `operation`: the operation's own
    /// entry (or its `"*"`), else the component's.
    pub fn error_mapping_for(&self, operation: &str, kind: &str) -> Option<&ErrorMapping> {
        self.error_mapping_in(self.signature(operation), kind)
    }

    /// [`Manifest::error_mapping_for`] an operation whose signature is already at hand (none
    /// for properties and attributes).
    pub fn error_mapping_in<'a>(
        &'a self,
        signature: Option<&'a Signature>,
        kind: &str,
    ) -> Option<&'a ErrorMapping> {
        signature
            .filter(|signature| !signature.errors.is_empty())
            .and_then(|signature| lookup_kind(&signature.errors, kind))
            .or_else(|| self.error_mapping(kind))
    }

    /// Every error-contract entry: the component's and each operation's own.
    pub fn all_error_mappings(&self) -> impl Iterator<Item = &ErrorMapping> {
        let signatures = self.functions.values().chain(
            self.classes
                .values()
                .flat_map(|class| class.constructor.iter().chain(class.methods.values())),
        );
        self.errors
            .values()
            .chain(signatures.flat_map(|signature| signature.errors.values()))
    }

    /// The signature of an operation named as in scenarios: `function`, `Class` (constructor)
    /// or `Class.method` (a method the class declares or inherits from its `bases`).
    pub fn signature(&self, operation: &str) -> Option<&Signature> {
        match split_at_dot(operation) {
            None => self.functions.get(operation).or_else(|| {
                self.classes
                    .get(operation)
                    .and_then(|class| class.constructor.as_ref())
            }),
            Some((class, method)) => self.method(class, method).map(|(_, signature)| signature),
        }
    }

    /// A class and its bases, nearest first, each once (depth first, left to right: the order
    /// Python's MRO gives for the single-inheritance and mixin shapes manifests declare).
    pub fn lineage<'a>(&'a self, class: &'a str) -> Vec<&'a str> {
        let mut order = Vec::new();
        let mut pending = vec![class];
        while let Some(next) = pending.pop() {
            if order.contains(&next) {
                continue;
            }
            order.push(next);
            if let Some(declared) = self.classes.get(next) {
                pending.extend(declared.bases.iter().rev().map(String::as_str));
            }
        }
        order
    }

    /// Whether `class` is `base` or derives from it.
    pub fn is_subclass(&self, class: &str, base: &str) -> bool {
        self.lineage(class).contains(&base)
    }

    /// The method `name` of `class`, own or inherited, with the class that declares it.
    pub fn method(&self, class: &str, name: &str) -> Option<(&str, &Signature)> {
        self.lineage(class).into_iter().find_map(|owner| {
            let (owner, class) = self.classes.get_key_value(owner)?;
            Some((owner.as_str(), class.methods.get(name)?))
        })
    }

    /// The property `name` of `class`, own or inherited, with the class that declares it.
    pub fn property(&self, class: &str, name: &str) -> Option<(&str, &Property)> {
        self.lineage(class).into_iter().find_map(|owner| {
            let (owner, class) = self.classes.get_key_value(owner)?;
            Some((owner.as_str(), class.properties.get(name)?))
        })
    }

    /// The properties that make up the canonical value of an object of `class`: its own
    /// `state`, or where it declares none, the first base's that does.
    pub fn state_of(&self, class: &str) -> &[String] {
        if let Some(projection) = self.values.get(class) {
            return &projection.state;
        }
        self.lineage(class)
            .into_iter()
            .filter_map(|owner| self.classes.get(owner))
            .map(|declared| declared.state.as_slice())
            .find(|state| !state.is_empty())
            .unwrap_or_default()
    }

    /// What is wrong with the manifest as a whole (a base that is not a class of it, a class
    /// that derives from itself), if anything.
    pub fn check(&self) -> Result<(), String> {
        if let Some(name) = self
            .values
            .keys()
            .find(|name| self.classes.contains_key(*name))
        {
            return Err(format!(
                "'{name}' is both a class of the module and a foreign value projection: \
                 declare it in one of `classes` and `values`"
            ));
        }
        for (name, class) in &self.classes {
            for base in &class.bases {
                if !self.classes.contains_key(base) {
                    return Err(format!(
                        "class '{name}' names base '{base}', which the manifest does not declare"
                    ));
                }
                if self.is_subclass(base, name) {
                    return Err(format!(
                        "class '{name}' derives from itself (through '{base}')"
                    ));
                }
            }
        }
        for (operation, signature) in self.signatures() {
            match (signature.properties, signature.properties_reason.as_deref()) {
                (false, None | Some("")) => {
                    return Err(format!(
                        "{operation} opts out of property runs (`\"properties\": false`) without \
                         saying why: add `\"properties_reason\"`"
                    ));
                }
                (true, Some(_)) => {
                    return Err(format!(
                        "{operation} gives a `properties_reason` but does not opt out of \
                         property runs (`\"properties\": false`)"
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Every operation's signature with its name as reports write it: `f`, `Class` (the
    /// constructor), `Class.method`.
    pub fn signatures(&self) -> impl Iterator<Item = (String, &Signature)> {
        let functions = self.functions.iter().map(|(name, s)| (name.clone(), s));
        let classes = self.classes.iter().flat_map(|(class, spec)| {
            let constructor = spec.constructor.iter().map(move |s| (class.clone(), s));
            let methods = spec
                .methods
                .iter()
                .map(move |(method, s)| (format!("{class}.{method}"), s));
            constructor.chain(methods)
        });
        functions.chain(classes)
    }
}

impl Signature {
    /// Binds call arguments to the parameters as Python would, filling defaults: the complete
    /// positional argument list a Rust function of the same parameters takes (`*args` as a
    /// tuple, `**kwargs` as a dict, each in its declared place).
    ///
    /// The common call, one positional argument per parameter and nothing else, is bound as
    /// it is: borrowed, not copied (a property run binds every generated case).
    pub fn bind<'a>(
        &self,
        args: &'a [Value],
        kwargs: &BTreeMap<String, Value>,
    ) -> Result<std::borrow::Cow<'a, [Value]>, String> {
        let plain = |p: &Param| {
            matches!(
                p.kind,
                ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword
            )
        };
        if kwargs.is_empty() && args.len() == self.params.len() && self.params.iter().all(plain) {
            return Ok(std::borrow::Cow::Borrowed(args));
        }
        let takes = |kind: ParamKind| self.params.iter().any(|p| p.kind == kind);
        let positional: Vec<usize> = (0..self.params.len())
            .filter(|&i| {
                matches!(
                    self.params[i].kind,
                    ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword
                )
            })
            .collect();
        if args.len() > positional.len() && !takes(ParamKind::VarPositional) {
            return Err(format!(
                "takes {} positional argument{} but {} were given",
                positional.len(),
                if positional.len() == 1 { "" } else { "s" },
                args.len()
            ));
        }
        let mut bound: Vec<Option<Value>> = vec![None; self.params.len()];
        for (slot, value) in positional.iter().zip(args) {
            bound[*slot] = Some(value.clone());
        }
        let extra_args: Vec<Value> = args.iter().skip(positional.len()).cloned().collect();
        let mut extra_kwargs = Vec::new();
        for (name, value) in kwargs {
            let index = self.params.iter().position(|p| {
                &p.name == name
                    && !matches!(p.kind, ParamKind::VarPositional | ParamKind::VarKeyword)
            });
            match index {
                Some(index) if self.params[index].kind == ParamKind::PositionalOnly => {
                    if takes(ParamKind::VarKeyword) {
                        extra_kwargs.push((Value::Str(name.clone()), value.clone()));
                    } else {
                        return Err(format!(
                            "positional-only argument '{name}' passed by keyword"
                        ));
                    }
                }
                Some(index) if bound[index].is_some() => {
                    return Err(format!("got multiple values for argument '{name}'"));
                }
                Some(index) => bound[index] = Some(value.clone()),
                None if takes(ParamKind::VarKeyword) => {
                    extra_kwargs.push((Value::Str(name.clone()), value.clone()))
                }
                None => return Err(format!("got an unexpected keyword argument '{name}'")),
            }
        }
        let mut extras = (
            Some(Value::Tuple(extra_args)),
            Some(Value::Dict(extra_kwargs)),
        );
        self.params
            .iter()
            .zip(bound)
            .map(|(param, value)| match param.kind {
                ParamKind::VarPositional => Ok(extras.0.take().unwrap_or(Value::Tuple(Vec::new()))),
                ParamKind::VarKeyword => Ok(extras.1.take().unwrap_or(Value::Dict(Vec::new()))),
                _ => value
                    .or_else(|| param.default.clone())
                    .ok_or_else(|| format!("missing required argument '{}'", param.name)),
            })
            .collect::<Result<Vec<Value>, String>>()
            .map(std::borrow::Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature() -> Signature {
        serde_json::from_str(
            r#"{"params": [
                {"name": "values", "kind": "positional_only"},
                {"name": "factor", "default": 1.0},
                {"name": "digits", "kind": "keyword_only", "default": null}
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn binding_fills_defaults_in_declared_order() {
        let kwargs = BTreeMap::from([("digits".to_owned(), Value::int(2))]);
        let bound = signature()
            .bind(&[Value::List(vec![])], &kwargs)
            .unwrap()
            .into_owned();
        assert_eq!(
            bound,
            vec![Value::List(vec![]), Value::Float(1.0), Value::int(2)]
        );
        let bound = signature()
            .bind(&[Value::Null], &BTreeMap::new())
            .unwrap()
            .into_owned();
        assert_eq!(
            bound[2],
            Value::Null,
            "a `null` default is None, not a missing default"
        );
    }

    #[test]
    fn binding_rejects_what_python_would() {
        let none = BTreeMap::new();
        assert!(
            signature()
                .bind(&[], &none)
                .unwrap_err()
                .contains("missing required argument 'values'")
        );
        let three = [Value::Null, Value::Null, Value::Null];
        assert!(
            signature()
                .bind(&three, &none)
                .unwrap_err()
                .contains("takes 2 positional arguments")
        );
        let by_name = BTreeMap::from([("values".to_owned(), Value::Null)]);
        assert!(
            signature()
                .bind(&[], &by_name)
                .unwrap_err()
                .contains("positional-only")
        );
    }
}
