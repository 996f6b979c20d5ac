//! The API-surface table: every member of a module as each view sees it, one row per member,
//! sorted, so a reviewer sees any change of the Python-visible API in a snapshot diff.

use std::collections::BTreeSet;
use std::fmt::Write;

use pyo3_conformance_model::{Callable, Member, Surface};

use super::SurfaceViews;

fn describe(member: Option<&Member>) -> String {
    match member {
        None => "—".to_owned(),
        Some(Member::Class {
            constructor,
            r#final,
            ..
        }) => {
            let kind = if *r#final == Some(true) {
                "final class"
            } else {
                "class"
            };
            match constructor {
                Some(c) => format!("{kind} {}", c.render()),
                None => kind.to_owned(),
            }
        }
        Some(Member::Exception { .. }) => "exception".to_owned(),
        Some(Member::Inherited { base }) => format!("inherited from {base}"),
        Some(Member::Property { annotation }) | Some(Member::Attribute { annotation }) => {
            let kind = if matches!(member, Some(Member::Property { .. })) {
                "property"
            } else {
                "attribute"
            };
            match annotation {
                Some(a) => format!("{kind}: {a}"),
                None => kind.to_owned(),
            }
        }
        Some(other) => {
            let kind = match other {
                Member::Classmethod { .. } => "classmethod ",
                Member::Staticmethod { .. } => "staticmethod ",
                _ => "",
            };
            format!(
                "{kind}{}",
                other.signature().map(Callable::render).unwrap_or_default()
            )
        }
    }
}

/// The API-surface table: every member as each view sees it, for snapshot review.
pub fn render_table(views: &SurfaceViews) -> String {
    let mut sources: Vec<(&str, &Surface)> = Vec::new();
    if let Some(declared) = &views.declared {
        sources.push(("manifest", declared));
    }
    sources.push(("runtime", &views.runtime));
    if let Some(stub) = &views.stub {
        sources.push(("stub", stub));
    }
    let mut out = String::new();
    let mut rows: Vec<(String, Vec<Option<&Member>>)> = Vec::new();
    let names: BTreeSet<&String> = sources.iter().flat_map(|(_, s)| s.members.keys()).collect();
    for name in names {
        let top: Vec<Option<&Member>> = sources.iter().map(|(_, s)| s.members.get(name)).collect();
        rows.push((name.clone(), top.clone()));
        let nested: BTreeSet<&String> = top
            .iter()
            .flatten()
            .filter_map(|m| match m {
                Member::Class { members, .. } | Member::Exception { members, .. } => {
                    Some(members.keys())
                }
                _ => None,
            })
            .flatten()
            .collect();
        for inner in nested {
            let cells: Vec<Option<&Member>> = top
                .iter()
                .map(|m| match m {
                    Some(Member::Class { members, .. } | Member::Exception { members, .. }) => {
                        members.get(inner)
                    }
                    _ => None,
                })
                .collect();
            // A name inherited in the stub is worth a row only where another view has it.
            let stated = cells
                .iter()
                .flatten()
                .filter(|m| !matches!(m, Member::Inherited { .. }))
                .count();
            if stated > 0 {
                rows.push((format!("{name}.{inner}"), cells));
            }
        }
    }
    for (name, cells) in rows {
        let _ = writeln!(out, "{}.{name}", views.module);
        for ((source, _), cell) in sources.iter().zip(cells) {
            let _ = writeln!(out, "  {source:<9}{}", describe(cell));
        }
    }
    out
}
