//! The walk over two views: members present on each side, then one comparison per kind of
//! member, chosen by dispatch on the pair of kinds (as stubtest has a `verify` per node kind):
//! classes (finality, disjoint bases, base classes, constructor, members), exceptions, modules,
//! values (properties and attributes) and callables (`callable.rs`).

use std::collections::BTreeMap;

use pyo3_conformance_model::{Callable, Failure, FailureKind, Member};

use super::annotation::{admits_type, normalize};
use super::{MANIFEST, Pair, RUNTIME, STUB};

pub(super) struct Checker<'a> {
    pub(super) module: &'a str,
    pub(super) found: Vec<Failure>,
}

/// A class's fields, whichever of class or exception it is.
struct ClassView<'a> {
    constructor: Option<&'a Callable>,
    members: &'a BTreeMap<String, Member>,
    r#final: Option<bool>,
    bases: Option<&'a Vec<String>>,
    disjoint: Option<bool>,
    exception: bool,
}

impl<'a> ClassView<'a> {
    fn of(member: &'a Member) -> Option<Self> {
        match member {
            Member::Class {
                constructor,
                members,
                r#final,
                bases,
                disjoint,
            } => Some(Self {
                constructor: constructor.as_ref(),
                members,
                r#final: *r#final,
                bases: bases.as_ref(),
                disjoint: *disjoint,
                exception: false,
            }),
            Member::Exception { members, bases, .. } => Some(Self {
                constructor: None,
                members,
                r#final: None,
                bases: bases.as_ref(),
                disjoint: None,
                exception: true,
            }),
            _ => None,
        }
    }
}

impl Checker<'_> {
    /// `__all__` where both sides define it: `from module import *` must give the same names.
    pub(super) fn all(
        &mut self,
        module: &str,
        pair: Pair<'_>,
        left: Option<&[String]>,
        right: Option<&[String]>,
    ) {
        let (Some(left), Some(right)) = (left, right) else {
            return;
        };
        let member = if module.is_empty() {
            "__all__".to_owned()
        } else {
            format!("{module}.__all__")
        };
        for name in left.iter().filter(|n| !right.contains(n)) {
            self.fail(
                &member,
                format!("lists '{name}' {}, not {}", pair.left, pair.right),
            );
        }
        for name in right.iter().filter(|n| !left.contains(n)) {
            self.fail(
                &member,
                format!("lists '{name}' {}, not {}", pair.right, pair.left),
            );
        }
    }

    pub(super) fn fail(&mut self, member: &str, message: String) {
        let separator = if member.is_empty() { "" } else { "." };
        self.found.push(Failure::new(
            FailureKind::Signature,
            format!("{}{separator}{member}: {message}", self.module),
        ));
    }

    pub(super) fn members(
        &mut self,
        prefix: &str,
        left: &BTreeMap<String, Member>,
        right: &BTreeMap<String, Member>,
        pair: Pair<'_>,
    ) {
        for (name, member) in left {
            let qualified = format!("{prefix}{name}");
            match (member, right.get(name)) {
                (Member::Inherited { .. } | Member::Reexported { .. }, _)
                | (_, Some(Member::Inherited { .. } | Member::Reexported { .. })) => {}
                (_, Some(other)) => self.member(&qualified, member, other, pair),
                (_, None) if pair.shape => self.fail(
                    &qualified,
                    format!("present {}, missing {}", pair.left, pair.right),
                ),
                (_, None) => {}
            }
        }
        if pair.shape && pair.both_ways {
            for (name, member) in right {
                // The manifest names only the exceptions its contract maps, and no submodules;
                // others are not drift.
                let undeclared_exception = pair.left == MANIFEST
                    && matches!(member, Member::Exception { .. } | Member::Module { .. });
                // The manifest declares the operations it maps, not every dunder a class has.
                let undeclared_dunder = pair.left == MANIFEST && is_dunder(name);
                // An attribute a stub class annotates is set on instances: no class has it.
                let instance_attribute = pair.in_class
                    && matches!(member, Member::Attribute { annotation, .. }
                        if !annotation.as_deref().is_some_and(|a| a.starts_with("ClassVar")));
                if left.contains_key(name)
                    || undeclared_exception
                    || undeclared_dunder
                    || instance_attribute
                {
                    continue;
                }
                match member {
                    // What a stub inherits from a base is promised by the base (see `bases`).
                    Member::Inherited { .. } => {}
                    Member::Reexported { from } => self.fail(
                        &format!("{prefix}{name}"),
                        format!(
                            "present {} (re-exported from {from}), missing {}",
                            pair.right, pair.left
                        ),
                    ),
                    _ => {
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
    }

    fn member(&mut self, qualified: &str, left: &Member, right: &Member, pair: Pair<'_>) {
        use Member::*;
        match (left, right) {
            (Class { .. }, Class { .. }) | (Exception { .. }, Exception { .. }) => {
                let (a, b) = (ClassView::of(left), ClassView::of(right));
                self.class(qualified, &a.expect("a class"), &b.expect("a class"), pair);
            }
            (
                Module {
                    members: a,
                    all: all_a,
                },
                Module {
                    members: b,
                    all: all_b,
                },
            ) => {
                if pair.shape {
                    self.all(qualified, pair, all_a.as_deref(), all_b.as_deref());
                }
                if let (Some(a), Some(b)) = (a, b) {
                    let pair = Pair {
                        in_class: false,
                        ..pair
                    };
                    self.members(&format!("{qualified}."), a, b, pair);
                }
            }
            // A stub may type a module as a variable of a protocol (`meta: _Meta`), and any
            // callable as a variable (`handler: Callable[[str], None]`).
            (Module { .. } | Function { .. } | Class { .. }, Attribute { .. })
            | (Attribute { .. }, Module { .. } | Function { .. } | Class { .. }) => {}
            (
                Property { annotation: a, .. } | Attribute { annotation: a, .. },
                Property { annotation: b, .. } | Attribute { annotation: b, .. },
            ) => {
                self.settable(qualified, left, right, pair);
                self.value(qualified, (left, a.as_deref()), (right, b.as_deref()), pair);
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

    fn class(&mut self, qualified: &str, a: &ClassView, b: &ClassView, pair: Pair<'_>) {
        if let (Some(fa), Some(fb)) = (a.r#final, b.r#final) {
            if fa != fb {
                let say = |f: bool| {
                    if f {
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
        if pair.shape && pair.left == RUNTIME && pair.right == STUB {
            self.disjoint(qualified, a, b);
            self.bases(qualified, a, b);
        }
        if let (Some(x), Some(y)) = (a.constructor, b.constructor) {
            self.signature(&format!("{qualified}.__init__"), x, y, pair);
        }
        // An exception's members are compared one way: what the left side has.
        let pair = Pair {
            both_ways: pair.both_ways && !a.exception,
            in_class: true,
            ..pair
        };
        self.members(&format!("{qualified}."), a.members, b.members, pair);
    }

    /// PEP 800: a class whose instances have their own layout cannot be combined with another
    /// such base. Where the runtime class cannot be subclassed at all, its finality says more,
    /// and is reported instead (as stubtest stops asking once the stub is `@final`).
    fn disjoint(&mut self, qualified: &str, runtime: &ClassView, stub: &ClassView) {
        if runtime.r#final == Some(true) || stub.r#final == Some(true) {
            return;
        }
        match (runtime.disjoint, stub.disjoint) {
            (Some(true), Some(false)) => self.fail(
                qualified,
                "is a disjoint base at runtime (instances have a layout of their own), not marked @disjoint_base in the stub".to_owned(),
            ),
            (Some(false), Some(true)) => self.fail(
                qualified,
                "is marked @disjoint_base in the stub, not a disjoint base at runtime".to_owned(),
            ),
            _ => {}
        }
    }

    /// Each base the stub states must be a base at runtime (through the MRO, or as a virtual
    /// subclass of an ABC); the members the stub inherits from a missing base are listed.
    fn bases(&mut self, qualified: &str, runtime: &ClassView, stub: &ClassView) {
        let (Some(have), Some(stated)) = (runtime.bases, stub.bases) else {
            return;
        };
        for base in stated {
            if have.contains(base) {
                continue;
            }
            let promised: Vec<&str> = stub
                .members
                .iter()
                .filter(|(name, m)| {
                    matches!(m, Member::Inherited { base: b } if b == base)
                        && !runtime.members.contains_key(*name)
                })
                .map(|(name, _)| name.as_str())
                .collect();
            let lacks = if promised.is_empty() {
                String::new()
            } else {
                format!(
                    "; the stub thereby promises {}, which the runtime lacks",
                    promised.join(", ")
                )
            };
            self.fail(
                qualified,
                format!("is a subclass of {base} in the stub, not at runtime{lacks}"),
            );
        }
    }

    /// A property settable on one side and read-only on the other, where both sides tell.
    fn settable(&mut self, qualified: &str, left: &Member, right: &Member, pair: Pair<'_>) {
        let settable = |m: &Member| match m {
            Member::Property { settable, .. } => *settable,
            _ => None,
        };
        if let (Some(a), Some(b)) = (settable(left), settable(right)) {
            if a != b {
                let say = |s: bool| if s { "settable" } else { "read-only" };
                self.fail(
                    qualified,
                    format!("is {} {}, {} {}", say(a), pair.left, say(b), pair.right),
                );
            }
        }
    }

    /// Properties and attributes: their annotations, and a runtime value's type against the
    /// other side's annotation where both are builtin scalars.
    fn value(
        &mut self,
        qualified: &str,
        (left, a): (&Member, Option<&str>),
        (right, b): (&Member, Option<&str>),
        pair: Pair<'_>,
    ) {
        if let (Some(a), Some(b)) = (a, b) {
            if normalize(a) != normalize(b) {
                self.fail(
                    qualified,
                    format!("is annotated '{a}' {}, '{b}' {}", pair.left, pair.right),
                );
            }
        }
        let value_type = |m: &Member| match m {
            Member::Attribute { value_type, .. } => value_type.clone(),
            _ => None,
        };
        let checks = [
            (value_type(left), b, pair.left, pair.right),
            (value_type(right), a, pair.right, pair.left),
        ];
        for (value_type, annotation, here, there) in checks {
            if let (Some(value_type), Some(annotation)) = (value_type, annotation) {
                if admits_type(annotation, &value_type) == Some(false) {
                    self.fail(
                        qualified,
                        format!(
                            "is a {} {here}, which its annotation '{annotation}' {there} does not admit",
                            value_type.trim_start_matches("builtins.")
                        ),
                    );
                }
            }
        }
    }
}

fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__")
}
