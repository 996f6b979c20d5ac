//! `conformance init MODULE`: a first draft of a component from what the installed module says
//! of itself, so an adopter starts by correcting a manifest rather than typing one.
//!
//! The stub is read where there is one (it has annotations and defaults), the runtime where not.
//! It writes, never overwriting a file that exists:
//! - `fixtures/<component>/manifest.json`: every public function, class (constructor, methods
//!   with their kinds, properties) and module attribute, parameter kinds and defaults, and
//!   types where the property generator knows the annotation; each exception class as a draft
//!   error-contract entry keyed by its name (rename each key to the Rust error kind it stands
//!   for);
//! - `fixtures/<component>/scenarios/<operation>.json`: one call of each operation, with
//!   example arguments, to correct;
//! - `<component>-conformance/`: the adapter crate, one registration per operation, each a
//!   `todo!()` under the operation's Python signature, and its one-line test file.
//!
//! It prints what it wrote and what to do next.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use pyo3_conformance_model::{
    Callable, DefaultValue, Member, ParamKind, ParamView, Scenario, Step, Surface, Value,
};

use crate::error::{Error, ErrorKind, Result};
use crate::property::types::{example, parse_among};
use crate::python::{inspect_module, prepare};

#[derive(Debug, clap::Args)]
pub(super) struct InitArgs {
    /// The module to import (`package.module`), installed in the Python environment.
    module: String,
    /// The component's name (default: the module's, dots written as underscores).
    #[arg(long)]
    component: Option<String>,
    /// The project directory: `fixtures/<component>/` and `<component>-conformance/` are
    /// written below it.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// The harness crate the adapter depends on, by path (default: the one this binary was
    /// built from).
    #[arg(long)]
    harness: Option<PathBuf>,
    /// The Python environment: a venv, or its interpreter (default: $VIRTUAL_ENV, else ./.venv
    /// or the nearest parent's).
    #[arg(long)]
    python: Option<PathBuf>,
}

/// The drafted manifest, its fields in the order a person reads them.
#[derive(serde::Serialize)]
struct DraftManifest {
    #[serde(rename = "$schema", skip_serializing_if = "Option::is_none")]
    schema: Option<String>,
    component: String,
    module: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<String, DraftTyped>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    functions: BTreeMap<String, DraftSignature>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    classes: BTreeMap<String, DraftClass>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    errors: BTreeMap<String, DraftError>,
}

/// One operation of the draft: how scenarios name it and its Python signature.
struct Operation {
    /// `function`, `Class` (the constructor) or `Class.method`.
    name: String,
    /// The class it belongs to, for methods and constructors.
    class: Option<String>,
    /// `"classmethod"`/`"staticmethod"`, or `None` for a function, constructor or method.
    kind: Option<&'static str>,
    signature: Callable,
}

/// What the draft is made of.
struct Draft {
    manifest: DraftManifest,
    operations: Vec<Operation>,
    /// Property names by class, for the adapter.
    properties: BTreeMap<String, Vec<String>>,
    /// Module attributes, for the adapter.
    attributes: Vec<String>,
}

fn public(name: &str) -> bool {
    !name.starts_with('_')
}

/// The annotation, where the generator can generate values of it.
fn known_type(annotation: Option<&str>, classes: &BTreeSet<String>) -> Option<String> {
    let annotation = annotation?;
    parse_among(annotation, &|name| classes.contains(name))
        .ok()
        .map(|_| annotation.to_owned())
}

/// A drafted parameter, its fields in the order a person reads them.
#[derive(serde::Serialize)]
struct DraftParam {
    name: String,
    /// As the manifest writes it; the default kind (positional or keyword) is left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<ParamKind>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    ty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<serde_json::Value>,
}

/// A drafted signature (a constructor's has no `returns`: `__init__` returns `None`).
#[derive(serde::Serialize)]
struct DraftSignature {
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    params: Vec<DraftParam>,
    #[serde(skip_serializing_if = "Option::is_none")]
    returns: Option<String>,
}

fn draft_signature(
    signature: &Callable,
    classes: &BTreeSet<String>,
    kind: Option<&'static str>,
    constructor: bool,
) -> DraftSignature {
    let params = signature
        .params
        .iter()
        .flatten()
        .map(|param| DraftParam {
            name: param.name.clone(),
            kind: (param.kind != ParamKind::PositionalOrKeyword).then_some(param.kind),
            ty: known_type(param.annotation.as_deref(), classes),
            // An unstated default is still a default: `null` keeps the parameter optional, and
            // the check compares only the presence of a default no source states.
            default: match &param.default {
                Some(DefaultValue::Value(default)) => Some(default.to_json()),
                Some(DefaultValue::Opaque(_)) => Some(serde_json::Value::Null),
                None => None,
            },
        })
        .collect();
    let returns = (!constructor)
        .then(|| known_type(signature.returns.as_deref(), classes))
        .flatten();
    DraftSignature {
        kind,
        params,
        returns,
    }
}

/// A drafted class.
#[derive(serde::Serialize)]
struct DraftClass {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    bases: Vec<String>,
    /// `null` for a class Python cannot instantiate.
    constructor: Option<DraftSignature>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    methods: BTreeMap<String, DraftSignature>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    properties: BTreeMap<String, DraftTyped>,
}

/// A drafted property or module attribute.
#[derive(serde::Serialize)]
struct DraftTyped {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    ty: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    settable: bool,
}

/// A drafted error-contract entry.
#[derive(serde::Serialize)]
struct DraftError {
    exception: String,
}

/// The signature callers meet, annotated: the runtime's parameters (names, kinds, defaults),
/// each with the stub's annotation of the same name, and the stub's return annotation; the
/// stub's alone where the runtime does not tell.
fn merged(stub: Option<&Callable>, runtime: Option<&Callable>) -> Option<Callable> {
    let Some(runtime) = runtime.filter(|r| r.params.is_some()) else {
        return stub.cloned();
    };
    let mut signature = runtime.clone();
    let stub_params = stub.and_then(|s| s.params.as_ref());
    for param in signature.params.iter_mut().flatten() {
        let stated = stub_params.and_then(|params| params.iter().find(|p| p.name == param.name));
        if param.annotation.is_none() {
            param.annotation = stated.and_then(|p| p.annotation.clone());
        }
        // A default the runtime does not state (`...` in a text signature) is the stub's.
        if let (Some(DefaultValue::Opaque(_)), Some(Some(DefaultValue::Value(value)))) =
            (&param.default, stated.map(|p| &p.default))
        {
            param.default = Some(DefaultValue::Value(value.clone()));
        }
    }
    signature.returns = signature
        .returns
        .or_else(|| stub.and_then(|s| s.returns.clone()));
    Some(signature)
}

/// A class's constructor, members and bases, from one source.
fn class_parts(
    member: Option<&Member>,
) -> (
    Option<&Callable>,
    Option<&BTreeMap<String, Member>>,
    &[String],
) {
    match member {
        Some(Member::Class {
            constructor,
            members,
            bases,
            ..
        }) => (
            constructor.as_ref(),
            Some(members),
            bases.as_deref().unwrap_or_default(),
        ),
        _ => (None, None, &[]),
    }
}

/// What the drafting of one module collects.
#[derive(Default)]
struct Collected {
    operations: Vec<Operation>,
    properties: BTreeMap<String, Vec<String>>,
}

/// Draws one class: its bases among the module's classes, its constructor, and the members it
/// does not inherit from them (methods with their kinds; properties and instance attributes
/// as properties).
fn draft_class(
    module: &str,
    name: &str,
    (stub, runtime): (Option<&Member>, Option<&Member>),
    surfaces: (Option<&Surface>, &Surface),
    classes: &BTreeSet<String>,
    collected: &mut Collected,
) -> DraftClass {
    let (stub_constructor, stub_members, stub_bases) = class_parts(stub);
    let (runtime_constructor, runtime_members, runtime_bases) = class_parts(runtime);
    let prefix = format!("{module}.");
    let bases: Vec<String> = stub_bases
        .iter()
        .chain(runtime_bases)
        .filter_map(|base| base.strip_prefix(&prefix).or(Some(base.as_str())))
        .filter(|base| classes.contains(*base) && *base != name)
        .map(str::to_owned)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // What a base declares, a subclass inherits: not drafted again.
    let inherited: BTreeSet<String> = bases
        .iter()
        .flat_map(|base| {
            let of = |surface: Option<&Surface>| {
                surface
                    .and_then(|s| class_parts(s.members.get(base)).1)
                    .map(|members| members.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default()
            };
            of(surfaces.0).into_iter().chain(of(Some(surfaces.1)))
        })
        .collect();
    let constructor = merged(stub_constructor, runtime_constructor).map(|signature| {
        let drafted = draft_signature(&signature, classes, None, true);
        collected.operations.push(Operation {
            name: name.to_owned(),
            class: Some(name.to_owned()),
            kind: None,
            signature,
        });
        drafted
    });
    let member_names: BTreeSet<&String> = stub_members
        .into_iter()
        .chain(runtime_members)
        .flat_map(BTreeMap::keys)
        .filter(|n| public(n) && !inherited.contains(*n))
        .collect();
    let (mut methods, mut properties) = (BTreeMap::new(), BTreeMap::new());
    for member_name in member_names {
        let (s, r) = (
            stub_members.and_then(|m| m.get(member_name)),
            runtime_members.and_then(|m| m.get(member_name)),
        );
        let kind = match r.or(s) {
            Some(Member::Method { .. }) => None,
            Some(Member::Classmethod { .. }) => Some("classmethod"),
            Some(Member::Staticmethod { .. }) => Some("staticmethod"),
            Some(Member::Property { .. } | Member::Attribute { .. }) => {
                let (annotation, settable) = match s.or(r) {
                    Some(Member::Property {
                        annotation,
                        settable,
                    }) => (annotation.as_deref(), *settable == Some(true)),
                    Some(Member::Attribute { annotation, .. }) => (annotation.as_deref(), false),
                    _ => (None, false),
                };
                let ty = known_type(annotation, classes);
                properties.insert(member_name.clone(), DraftTyped { ty, settable });
                collected
                    .properties
                    .entry(name.to_owned())
                    .or_default()
                    .push(member_name.clone());
                continue;
            }
            _ => continue,
        };
        let Some(signature) = merged(s.and_then(Member::signature), r.and_then(Member::signature))
        else {
            continue;
        };
        methods.insert(
            member_name.clone(),
            draft_signature(&signature, classes, kind, false),
        );
        collected.operations.push(Operation {
            name: format!("{name}.{member_name}"),
            class: Some(name.to_owned()),
            kind,
            signature,
        });
    }
    DraftClass {
        bases,
        constructor,
        methods,
        properties,
    }
}

fn draft(module: &str, component: &str, runtime: &Surface, stub: Option<&Surface>) -> Draft {
    let names: BTreeSet<&String> = runtime
        .members
        .keys()
        .chain(stub.into_iter().flat_map(|s| s.members.keys()))
        .filter(|name| public(name))
        .collect();
    let member = |name: &str| {
        (
            stub.and_then(|s| s.members.get(name)),
            runtime.members.get(name),
        )
    };
    // The runtime says what a member is; the stub what it is annotated with.
    let classes: BTreeSet<String> = names
        .iter()
        .filter(|name| {
            matches!(
                member(name).1.or(member(name).0),
                Some(Member::Class { .. })
            )
        })
        .map(|name| (*name).clone())
        .collect();
    let (mut functions, mut class_json, mut attributes_json, mut errors) = (
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
    );
    let mut collected = Collected::default();
    let mut attributes = Vec::new();
    for name in names {
        let (from_stub, from_runtime) = member(name);
        match from_runtime.or(from_stub) {
            Some(Member::Function { .. }) => {
                let signature = merged(
                    from_stub.and_then(Member::signature),
                    from_runtime.and_then(Member::signature),
                );
                if let Some(signature) = signature {
                    functions.insert(
                        name.clone(),
                        draft_signature(&signature, &classes, None, false),
                    );
                    collected.operations.push(Operation {
                        name: name.clone(),
                        class: None,
                        kind: None,
                        signature,
                    });
                }
            }
            Some(Member::Class { .. }) => {
                let class = draft_class(
                    module,
                    name,
                    (from_stub, from_runtime),
                    (stub, runtime),
                    &classes,
                    &mut collected,
                );
                class_json.insert(name.clone(), class);
            }
            Some(Member::Exception { .. }) => {
                let exception = format!("{module}.{name}");
                errors.insert(name.clone(), DraftError { exception });
            }
            Some(Member::Attribute { value_type, .. }) => {
                let annotation = match from_stub {
                    Some(Member::Attribute { annotation, .. }) => annotation.as_deref(),
                    _ => None,
                };
                let ty = annotation.or(value_type
                    .as_deref()
                    .map(|t| t.trim_start_matches("builtins.")));
                let ty = known_type(ty, &classes);
                let settable = false;
                attributes_json.insert(name.clone(), DraftTyped { ty, settable });
                attributes.push(name.clone());
            }
            _ => {}
        }
    }
    let manifest = DraftManifest {
        schema: None,
        component: component.to_owned(),
        module: module.to_owned(),
        attributes: attributes_json,
        functions,
        classes: class_json,
        errors,
    };
    Draft {
        manifest,
        operations: collected.operations,
        properties: collected.properties,
        attributes,
    }
}

/// One example call of `operation`: required parameters given an example of their type
/// (`null` where the type is unknown), the others left to their defaults.
fn scenario(operation: &Operation, classes: &BTreeSet<String>, schema: Option<String>) -> Scenario {
    let required = |param: &&ParamView| param.default.is_none();
    let params = || operation.signature.params.iter().flatten().filter(required);
    let args: Vec<Value> = params()
        .filter(|p| {
            matches!(
                p.kind,
                ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword
            )
        })
        .map(|p| argument(p, classes))
        .collect();
    let kwargs: BTreeMap<String, Value> = params()
        .filter(|p| p.kind == ParamKind::KeywordOnly)
        .map(|p| (p.name.clone(), argument(p, classes)))
        .collect();
    let description = format!(
        "TODO: what {} should do; the arguments are examples to correct, and an \"expect\" says what both sides must return",
        operation.name
    );
    let method = operation
        .name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let steps = match (&operation.class, operation.kind) {
        (Some(class), None) if *class == operation.name => vec![Step {
            new: Some(class.clone()),
            args,
            kwargs,
            ..Step::default()
        }],
        (Some(class), None) => vec![
            Step {
                new: Some(class.clone()),
                bind: Some("obj".to_owned()),
                ..Step::default()
            },
            Step {
                call: Some(method),
                on: Some("obj".to_owned()),
                args,
                kwargs,
                ..Step::default()
            },
        ],
        _ => vec![Step {
            call: Some(operation.name.clone()),
            args,
            kwargs,
            ..Step::default()
        }],
    };
    Scenario {
        schema,
        description: Some(description),
        steps,
    }
}

fn argument(param: &ParamView, classes: &BTreeSet<String>) -> Value {
    param
        .annotation
        .as_deref()
        .and_then(|a| parse_among(a, &|n| classes.contains(n)).ok())
        .map_or(Value::Null, |ty| example(&ty))
}

/// The adapter crate's `src/lib.rs`: one registration per operation, each a `todo!()`.
fn adapter_source(module: &str, component: &str, draft: &Draft) -> String {
    let mut out = format!(
        "//! The Rust adapter of the `{component}` component (Python module `{module}`), drafted by\n\
         //! `conformance init`: replace each `todo!()` with the call of your crate's API that the\n\
         //! Python operation above it stands for, and each `()` class type with the Rust type the\n\
         //! class wraps. Arguments arrive by the manifest's parameter names (`args.get(\"name\")?`)\n\
         //! or as a tuple; results go out through serde.\n\n\
         use pyo3_conformance::{{Adapter, Args, Value}};\n\n\
         /// The adapter, with every operation of `fixtures/{component}/manifest.json`.\n\
         pub fn adapter() -> Adapter {{\n    Adapter::new(\"{component}\")\n        .cargo_test(\"{component}-conformance\", \"scenarios\")\n"
    );
    for attribute in &draft.attributes {
        out.push_str(&format!(
            "        .attribute(\"{attribute}\", || -> Value {{ todo!(\"the value of {attribute}\") }})\n"
        ));
    }
    let mut by_class: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for operation in &draft.operations {
        match (&operation.class, operation.kind) {
            (Some(class), None) => by_class.entry(class).or_default().push(operation),
            _ => out.push_str(&format!(
                "        // def {}{}\n        .function(\"{}\", |_args: Args| -> Value {{ todo!(\"call the Rust API\") }})\n",
                operation.name.rsplit('.').next().unwrap_or_default(),
                operation.signature.render(),
                operation.name
            )),
        }
    }
    for class in draft
        .properties
        .keys()
        .map(String::as_str)
        .chain(by_class.keys().copied())
        .collect::<BTreeSet<_>>()
    {
        out.push_str(&format!(
            "        .class::<()>(\"{class}\", |class| {{\n            class\n"
        ));
        for operation in by_class.get(class).into_iter().flatten() {
            let method = operation.name.rsplit('.').next().unwrap_or_default();
            if operation.name == class {
                out.push_str(&format!(
                    "                // {class}{}\n                .constructor(|_args: Args| todo!(\"construct the Rust value\"))\n",
                    operation.signature.render()
                ));
            } else {
                out.push_str(&format!(
                    "                // def {method}{}\n                .method(\"{method}\", |_value, _args: Args| -> Value {{ todo!(\"call the Rust API\") }})\n",
                    operation.signature.render()
                ));
            }
        }
        for property in draft.properties.get(class).into_iter().flatten() {
            out.push_str(&format!(
                "                .property(\"{property}\", |_value| -> Value {{ todo!(\"read the Rust value\") }})\n"
            ));
        }
        out.push_str("        })\n");
    }
    out.push_str("}\n");
    out
}

fn cargo_toml(component: &str, harness: &Path) -> String {
    format!(
        "[package]\nname = \"{component}-conformance\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\npyo3 = \"=0.30.1\"\npyo3-conformance = {{ path = \"{}\", features = [\"embed\"] }}\n\
         # Add your crate here, at the version the wheel is built from.\n\n\
         [dev-dependencies]\ndatatest-stable = \"=0.3.3\"\ninsta = \"=1.49.0\"\n\n\
         [build-dependencies]\npyo3-build-config = \"=0.30.1\"\n\n\
         [[test]]\nname = \"scenarios\"\nharness = false\n",
        harness.display()
    )
}

/// Writes `text` at `path` unless a file is there; says which.
fn write_new(path: &Path, text: &str, out: &mut impl Write) -> Result<()> {
    if path.exists() {
        let _ = writeln!(out, "kept     {} (it exists)", path.display());
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::in_file(parent, ErrorKind::Io(e)))?;
    }
    std::fs::write(path, text).map_err(|e| Error::in_file(path, ErrorKind::Io(e)))?;
    let _ = writeln!(out, "wrote    {}", path.display());
    Ok(())
}

fn pretty(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON serializes");
    text.push('\n');
    text
}

pub(super) fn init(args: &InitArgs) -> Result<bool> {
    prepare(args.python.as_deref())?;
    let inspected = pyo3::Python::attach(|py| inspect_module(py, &args.module, None, None))?;
    let component = args
        .component
        .clone()
        .unwrap_or_else(|| args.module.replace('.', "_"));
    let stub = inspected.stub.as_ref().map(|(_, surface)| surface);
    let mut draft = draft(&args.module, &component, &inspected.runtime, stub);
    // `$schema` only where the schemas are there to point at.
    let schemas = args.dir.join("fixtures").join("schema");
    let schema = |file: &str, prefix: &str| {
        schemas
            .join(file)
            .is_file()
            .then(|| format!("{prefix}{file}"))
    };
    draft.manifest.schema = schema("manifest.schema.json", "../schema/");
    let manifest = pretty(&draft.manifest);
    // The draft must be a manifest the harness reads.
    serde_json::from_str::<pyo3_conformance_model::Manifest>(&manifest).map_err(|e| {
        Error::new(ErrorKind::Invalid(format!(
            "the drafted manifest is invalid: {e}"
        )))
    })?;
    let classes: BTreeSet<String> = draft.manifest.classes.keys().cloned().collect();
    let harness = args
        .harness
        .clone()
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let fixtures = args.dir.join("fixtures").join(&component);
    let crate_dir = args.dir.join(format!("{component}-conformance"));
    let mut out = std::io::stdout().lock();
    write_new(&fixtures.join("manifest.json"), &manifest, &mut out)?;
    for operation in &draft.operations {
        let file = format!("{}.json", operation.name.replace('.', "_"));
        let example = scenario(
            operation,
            &classes,
            schema("scenario.schema.json", "../../schema/"),
        );
        write_new(
            &fixtures.join("scenarios").join(file),
            &pretty(&example),
            &mut out,
        )?;
    }
    write_new(
        &crate_dir.join("Cargo.toml"),
        &cargo_toml(&component, &harness),
        &mut out,
    )?;
    write_new(
        &crate_dir.join("build.rs"),
        "//! The scenario tests embed CPython: let them find `libpython` at run time.\nfn main() {\n    pyo3_build_config::add_libpython_rpath_link_args();\n}\n",
        &mut out,
    )?;
    write_new(
        &crate_dir.join("src/lib.rs"),
        &adapter_source(&args.module, &component, &draft),
        &mut out,
    )?;
    let crate_name = component.replace('-', "_");
    write_new(
        &crate_dir.join("tests/scenarios.rs"),
        &format!(
            "//! Every scenario in both languages, the API surface, the error contract and a property run:\n//! `cargo test -p {component}-conformance --test scenarios`.\n\npyo3_conformance::conformance_tests!({crate_name}_conformance::adapter(), \"../fixtures/{component}\");\n"
        ),
        &mut out,
    )?;
    let source = if stub.is_some() {
        "stub"
    } else {
        "runtime (no stub found)"
    };
    let _ = writeln!(
        out,
        "\n{} operations drafted from the {source} of {}.\nNext:\n  1. add {component}-conformance to your workspace's members, and your crate to its [dependencies]\n  2. in {}, replace each todo!() with the call of the Rust API\n  3. in {}, rename each errors key to the Rust error kind it stands for, and list each class's `state`\n  4. correct the example scenarios, then: cargo test -p {component}-conformance --test scenarios",
        draft.operations.len(),
        args.module,
        crate_dir.join("src/lib.rs").display(),
        fixtures.join("manifest.json").display(),
    );
    Ok(true)
}
