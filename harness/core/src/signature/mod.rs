//! Signature conformance: the manifest (what Rust declares), the runtime and the stub,
//! compared member by member.
//!
//! The declared view is the manifest's, not PyO3's introspection data: the manifest is the one
//! source a user controls for any binding (hand-written, third-party, or built without PyO3's
//! `experimental-inspect`), and reading `#[pyo3(signature = ...)]` out of Rust source would not
//! survive macros or renamed items. PyO3 already writes the `signature` attribute into
//! `__text_signature__`, so the runtime view carries it anyway.
//!
//! The runtime is the hub: the manifest and the stub are each compared with it in full
//! (members present, kind, parameter names, order, kinds and defaults as canonical values),
//! and with each other only for annotations, which the runtime of a compiled module lacks.
//! When the runtime cannot tell a signature (no `__text_signature__`), the manifest and stub
//! are compared in full instead. Each difference is one `signature` failure, worded as
//! `mod.Map.insert: parameter 2 is 'value' at runtime, 'val' in the stub`.
//!
//! **A finding must be real.** The views are read the way Python resolves names (MRO,
//! re-exports, nested classes, submodules: see `python/surface/runtime.py`), and only what a
//! caller or a type checker can tell apart is compared (`callable.rs`). Where this differs from
//! `mypy.stubtest`, `docs/scan.md` says why.
//!
//! `checker` walks two views and dispatches on the kind of member; `callable` compares
//! signatures and overloads; `annotation` normalizes annotations and asks whether one admits a
//! value. `table` renders the three views side by side (the API-surface snapshot);
//! `component` reads them for a component of the fixtures.

pub use component::{component_views, signature_verdict, signatures_id};
pub use table::render_table;

mod annotation;
mod callable;
mod checker;
mod component;
mod table;

use std::collections::{BTreeMap, BTreeSet};

use pyo3_conformance_model::{
    Callable, DefaultValue, Failure, Manifest, Member, MethodKind, ParamView, Signature, Surface,
};

use checker::Checker;

/// The three views of a module's surface (the manifest's is absent for `conformance scan`).
#[derive(Debug, Clone)]
pub struct SurfaceViews {
    /// The module's import name, prefixed to every member in messages.
    pub module: String,
    /// What the manifest declares.
    pub declared: Option<Surface>,
    /// What `inspect` sees.
    pub runtime: Surface,
    /// What the stub says.
    pub stub: Option<Surface>,
}

const MANIFEST: &str = "in the manifest";
const RUNTIME: &str = "at runtime";
const STUB: &str = "in the stub";

fn callable(signature: &Signature) -> Callable {
    let params = signature
        .params
        .iter()
        .map(|p| ParamView {
            name: p.name.clone(),
            kind: p.kind,
            annotation: p.ty.clone(),
            default: p.default.clone().map(DefaultValue::Value),
        })
        .collect();
    Callable {
        params: Some(params),
        returns: signature.returns.clone(),
        note: None,
        overloads: Vec::new(),
    }
}

/// The surface a manifest declares: its functions, its classes (constructor, methods,
/// properties), and the exception classes its error contract names in this module.
pub fn declared_surface(manifest: &Manifest) -> Surface {
    let mut members = BTreeMap::new();
    for (name, signature) in &manifest.functions {
        members.insert(
            name.clone(),
            Member::Function {
                signature: callable(signature),
            },
        );
    }
    for (name, class) in &manifest.classes {
        let mut class_members = BTreeMap::new();
        for (method, signature) in &class.methods {
            let signature = callable(signature);
            let member = match class.methods[method].kind.unwrap_or_default() {
                MethodKind::Method => Member::Method { signature },
                MethodKind::Classmethod => Member::Classmethod { signature },
                MethodKind::Staticmethod => Member::Staticmethod { signature },
            };
            class_members.insert(method.clone(), member);
        }
        for (property, spec) in &class.properties {
            class_members.insert(
                property.clone(),
                Member::Property {
                    annotation: spec.ty.clone(),
                    settable: Some(spec.settable),
                },
            );
        }
        // What the class inherits through the manifest's `bases` is promised by the base.
        for base in manifest.lineage(name).into_iter().skip(1) {
            let declared = &manifest.classes[base];
            for member in declared.methods.keys().chain(declared.properties.keys()) {
                class_members
                    .entry(member.clone())
                    .or_insert_with(|| Member::Inherited {
                        base: format!("{}.{base}", manifest.module),
                    });
            }
        }
        let constructor = class.constructor.as_ref().map(callable);
        members.insert(
            name.clone(),
            Member::Class {
                constructor,
                members: class_members,
                r#final: None,
                bases: None,
                disjoint: None,
            },
        );
    }
    for (name, attribute) in &manifest.attributes {
        members.insert(
            name.clone(),
            Member::Attribute {
                annotation: attribute.ty.clone(),
                value_type: None,
            },
        );
    }
    let prefix = format!("{}.", manifest.module);
    for mapping in manifest.errors.values() {
        if let Some(name) = mapping
            .exception
            .strip_prefix(&prefix)
            .filter(|n| !n.contains('.'))
        {
            members
                .entry(name.to_owned())
                .or_insert_with(|| Member::Exception {
                    constructor: None,
                    members: BTreeMap::new(),
                    bases: None,
                });
        }
    }
    Surface { members, all: None }
}

/// What to compare between two views.
#[derive(Clone, Copy)]
struct Pair<'a> {
    left: &'a str,
    right: &'a str,
    /// Members present, kinds, parameter names, kinds and defaults.
    shape: bool,
    /// Members present on the right but not the left are failures too.
    both_ways: bool,
    /// Comparing the members of a class (not of a module).
    in_class: bool,
}

/// Every signature failure between the views.
pub fn compare_views(views: &SurfaceViews) -> Vec<Failure> {
    let mut checker = Checker {
        module: &views.module,
        found: Vec::new(),
    };
    let runtime = &views.runtime.members;
    if let Some(stub) = &views.stub {
        let pair = Pair {
            left: RUNTIME,
            right: STUB,
            shape: true,
            both_ways: true,
            in_class: false,
        };
        checker.all("", pair, views.runtime.all.as_deref(), stub.all.as_deref());
        checker.members(
            "",
            runtime,
            &stub.members,
            Pair {
                left: RUNTIME,
                right: STUB,
                shape: true,
                both_ways: true,
                in_class: false,
            },
        );
    }
    if let Some(declared) = &views.declared {
        checker.members(
            "",
            &declared.members,
            runtime,
            Pair {
                left: MANIFEST,
                right: RUNTIME,
                shape: true,
                both_ways: true,
                in_class: false,
            },
        );
        if let Some(stub) = &views.stub {
            // Annotations only, except where the runtime cannot tell a signature at all.
            checker.members(
                "",
                &declared.members,
                &stub.members,
                Pair {
                    left: MANIFEST,
                    right: STUB,
                    shape: false,
                    both_ways: false,
                    in_class: false,
                },
            );
            let unknown_at_runtime = unknown_signatures(&views.runtime);
            let untold: BTreeMap<String, Member> = declared
                .members
                .iter()
                .filter(|(name, _)| unknown_at_runtime.contains(*name))
                .map(|(name, member)| (name.clone(), member.clone()))
                .collect();
            checker.members(
                "",
                &untold,
                &stub.members,
                Pair {
                    left: MANIFEST,
                    right: STUB,
                    shape: true,
                    both_ways: false,
                    in_class: false,
                },
            );
        }
    }
    let mut seen = BTreeSet::new();
    checker.found.retain(|f| seen.insert(f.message.clone()));
    checker.found
}

/// Module-level members whose runtime signature is unknown.
fn unknown_signatures(surface: &Surface) -> BTreeSet<String> {
    surface
        .members
        .iter()
        .filter(|(_, m)| m.signature().is_some_and(|s| s.params.is_none()))
        .map(|(n, _)| n.clone())
        .collect()
}
