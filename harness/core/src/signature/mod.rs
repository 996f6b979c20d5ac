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
//! `table` renders the three views side by side (the API-surface snapshot); `component` reads
//! them for a component of the fixtures.

pub use component::{component_views, signature_verdict, signatures_id};
pub use table::render_table;

mod component;
mod table;

use std::collections::{BTreeMap, BTreeSet};

use pyo3_conformance_model::{
    Callable, DefaultValue, Failure, FailureKind, Manifest, Member, ParamView, Signature, Surface,
};

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
            class_members.insert(
                method.clone(),
                Member::Method {
                    signature: callable(signature),
                },
            );
        }
        for (property, spec) in &class.properties {
            class_members.insert(
                property.clone(),
                Member::Property {
                    annotation: spec.ty.clone(),
                },
            );
        }
        let constructor = Some(callable(&class.constructor));
        members.insert(
            name.clone(),
            Member::Class {
                constructor,
                members: class_members,
                r#final: None,
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
                });
        }
    }
    Surface { members }
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
}

struct Checker<'a> {
    module: &'a str,
    found: Vec<Failure>,
}

impl Checker<'_> {
    fn fail(&mut self, member: &str, message: String) {
        self.found.push(Failure {
            kind: FailureKind::Signature,
            step: None,
            message: format!("{}.{member}: {message}", self.module),
            path: None,
            rust: None,
            python: None,
            operation: None,
        });
    }

    fn members(
        &mut self,
        prefix: &str,
        left: &BTreeMap<String, Member>,
        right: &BTreeMap<String, Member>,
        pair: Pair<'_>,
    ) {
        for (name, member) in left {
            if matches!(member, Member::Inherited { .. }) {
                continue;
            }
            let qualified = format!("{prefix}{name}");
            match right.get(name) {
                Some(Member::Inherited { .. }) => {}
                Some(other) => self.member(&qualified, member, other, pair),
                None if pair.shape => self.fail(
                    &qualified,
                    format!("present {}, missing {}", pair.left, pair.right),
                ),
                None => {}
            }
        }
        if pair.shape && pair.both_ways {
            for (name, member) in right {
                // The manifest names only the exceptions its contract maps; others are not drift.
                let undeclared_exception =
                    pair.left == MANIFEST && matches!(member, Member::Exception { .. });
                let inherited = matches!(member, Member::Inherited { .. });
                if !left.contains_key(name) && !undeclared_exception && !inherited {
                    let missing = if pair.left == MANIFEST {
                        "not declared in the manifest".to_owned()
                    } else {
                        format!("missing {}", pair.left)
                    };
                    self.fail(
                        &format!("{prefix}{name}"),
                        format!("present {}, {missing}", pair.right),
                    );
                }
            }
        }
    }

    fn member(&mut self, qualified: &str, left: &Member, right: &Member, pair: Pair<'_>) {
        use Member::*;
        match (left, right) {
            (
                Class {
                    constructor: a,
                    members: ma,
                    r#final: fa,
                },
                Class {
                    constructor: b,
                    members: mb,
                    r#final: fb,
                },
            ) => {
                if let (Some(fa), Some(fb)) = (fa, fb) {
                    if fa != fb {
                        let say = |f: &bool| {
                            if *f {
                                "final (cannot be subclassed)"
                            } else {
                                "subclassable"
                            }
                        };
                        self.fail(
                            qualified,
                            format!("is {} {}, {} {}", say(fa), pair.left, say(fb), pair.right),
                        );
                    }
                }
                if let (Some(a), Some(b)) = (a, b) {
                    self.signature(&format!("{qualified}.__init__"), a, b, pair);
                }
                self.members(&format!("{qualified}."), ma, mb, pair);
            }
            (Exception { members: ma, .. }, Exception { members: mb, .. }) => {
                self.members(
                    &format!("{qualified}."),
                    ma,
                    mb,
                    Pair {
                        both_ways: false,
                        ..pair
                    },
                );
            }
            (
                Property { annotation: a } | Attribute { annotation: a },
                Property { annotation: b } | Attribute { annotation: b },
            ) => {
                if let (Some(a), Some(b)) = (a, b) {
                    if normalize(a) != normalize(b) {
                        self.fail(
                            qualified,
                            format!("is annotated '{a}' {}, '{b}' {}", pair.left, pair.right),
                        );
                    }
                }
            }
            _ if std::mem::discriminant(left) == std::mem::discriminant(right) => {
                if let (Some(a), Some(b)) = (left.signature(), right.signature()) {
                    self.signature(qualified, a, b, pair);
                }
            }
            _ if pair.shape => {
                self.fail(
                    qualified,
                    format!(
                        "is {} {}, {} {}",
                        left.kind_name(),
                        pair.left,
                        right.kind_name(),
                        pair.right
                    ),
                );
            }
            _ => {}
        }
    }

    fn signature(&mut self, qualified: &str, left: &Callable, right: &Callable, pair: Pair<'_>) {
        let (l, r) = (pair.left, pair.right);
        if let (Some(a), Some(b)) = (&left.returns, &right.returns) {
            if normalize(a) != normalize(b) {
                self.fail(qualified, format!("returns '{a}' {l}, '{b}' {r}"));
            }
        }
        let (Some(a), Some(b)) = (&left.params, &right.params) else {
            return;
        };
        for (index, (x, y)) in a.iter().zip(b).enumerate() {
            let n = index + 1;
            if pair.shape {
                if x.name != y.name {
                    self.fail(
                        qualified,
                        format!("parameter {n} is '{}' {l}, '{}' {r}", x.name, y.name),
                    );
                    continue;
                }
                if x.kind != y.kind {
                    self.fail(
                        qualified,
                        format!(
                            "parameter {n} '{}' is {} {l}, {} {r}",
                            x.name,
                            x.kind.describe(),
                            y.kind.describe()
                        ),
                    );
                }
                match (&x.default, &y.default) {
                    (None, Some(d)) => self.fail(
                        qualified,
                        format!(
                            "parameter {n} '{}' has no default {l}, defaults to {} {r}",
                            x.name,
                            d.python()
                        ),
                    ),
                    (Some(d), None) => self.fail(
                        qualified,
                        format!(
                            "parameter {n} '{}' defaults to {} {l}, has no default {r}",
                            x.name,
                            d.python()
                        ),
                    ),
                    (Some(DefaultValue::Value(dx)), Some(DefaultValue::Value(dy)))
                        if dx != dy || dx.type_name() != dy.type_name() =>
                    {
                        let (dx, dy) = (
                            DefaultValue::Value(dx.clone()).python(),
                            DefaultValue::Value(dy.clone()).python(),
                        );
                        self.fail(
                            qualified,
                            format!("parameter {n} '{}' defaults to {dx} {l}, {dy} {r}", x.name),
                        );
                    }
                    (Some(DefaultValue::Opaque(tx)), Some(DefaultValue::Opaque(ty)))
                        if tx != "..." && ty != "..." && tx != ty =>
                    {
                        self.fail(
                            qualified,
                            format!("parameter {n} '{}' defaults to {tx} {l}, {ty} {r}", x.name),
                        );
                    }
                    _ => {}
                }
            }
            if let (Some(ta), Some(tb)) = (&x.annotation, &y.annotation) {
                if normalize(ta) != normalize(tb) {
                    self.fail(
                        qualified,
                        format!(
                            "parameter {n} '{}' is annotated '{ta}' {l}, '{tb}' {r}",
                            x.name
                        ),
                    );
                }
            }
        }
        if pair.shape && a.len() != b.len() {
            let names = |ps: &[ParamView]| {
                ps.iter()
                    .map(|p| format!("'{}'", p.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let plural = if a.len() == 1 { "" } else { "s" };
            self.fail(
                qualified,
                format!(
                    "takes {} parameter{plural} {l} ({}), {} {r} ({})",
                    a.len(),
                    names(a),
                    b.len(),
                    names(b)
                ),
            );
        }
    }
}

/// Type annotations compared loosely: spaces, `typing.` prefixes, `Optional[X]`, old generic
/// aliases (`List`) and the order of a top-level union do not matter.
fn normalize(annotation: &str) -> String {
    let mut text: String = annotation.chars().filter(|c| !c.is_whitespace()).collect();
    for (old, new) in [
        ("typing.", ""),
        ("List[", "list["),
        ("Dict[", "dict["),
        ("Tuple[", "tuple["),
        ("Set[", "set["),
        ("FrozenSet[", "frozenset["),
    ] {
        text = text.replace(old, new);
    }
    if let Some(inner) = text
        .strip_prefix("Optional[")
        .and_then(|t| t.strip_suffix(']'))
    {
        text = format!("{inner}|None");
    }
    let mut depth = 0;
    let mut parts = vec![String::new()];
    for c in text.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            _ => {}
        }
        if c == '|' && depth == 0 {
            parts.push(String::new());
        } else {
            parts.last_mut().expect("never empty").push(c);
        }
    }
    parts.sort();
    parts.join("|")
}

/// Every signature failure between the views.
pub fn compare_views(views: &SurfaceViews) -> Vec<Failure> {
    let mut checker = Checker {
        module: &views.module,
        found: Vec::new(),
    };
    let runtime = &views.runtime.members;
    if let Some(stub) = &views.stub {
        checker.members(
            "",
            runtime,
            &stub.members,
            Pair {
                left: RUNTIME,
                right: STUB,
                shape: true,
                both_ways: true,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_compare_loosely() {
        assert_eq!(normalize("Optional[int]"), normalize("None | int"));
        assert_eq!(normalize("typing.List[str]"), normalize("list[str]"));
        assert_ne!(normalize("list[int]"), normalize("list[str]"));
        assert_eq!(normalize("dict[str, int | None]"), "dict[str,int|None]");
    }
}
