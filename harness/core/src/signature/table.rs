//! The API-surface table: every member of a module as each view sees it, one row per member,
//! sorted, so a reviewer sees any change of the Python-visible API in a snapshot diff.

use std::collections::{BTreeMap, BTreeSet};
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
        Some(Member::Module { .. }) => "module".to_owned(),
        Some(Member::Inherited { base }) => format!("inherited from {base}"),
        Some(Member::Reexported { from }) => format!("re-exported from {from}"),
        Some(Member::Property { annotation, .. }) | Some(Member::Attribute { annotation, .. }) => {
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

/// The members of a member that has some (a class, an exception, a module).
fn nested(member: &Member) -> Option<&BTreeMap<String, Member>> {
    match member {
        Member::Class { members, .. } | Member::Exception { members, .. } => Some(members),
        Member::Module { members, .. } => members.as_ref(),
        _ => None,
    }
}

/// Appends the rows of `cells` (one member per view, or none) and of their members, nested.
fn rows<'a>(
    name: String,
    cells: Vec<Option<&'a Member>>,
    out: &mut Vec<(String, Vec<Option<&'a Member>>)>,
    depth: usize,
) {
    // A name the stub only inherits is worth a row only where another view has it.
    let stated = cells
        .iter()
        .flatten()
        .filter(|m| !matches!(m, Member::Inherited { .. }))
        .count();
    if stated == 0 {
        return;
    }
    let inner: BTreeSet<&String> = cells
        .iter()
        .flatten()
        .filter_map(|m| nested(m))
        .flat_map(|members| members.keys())
        .collect();
    out.push((name.clone(), cells.clone()));
    // A submodule only one view has (the compiled module a package re-exports) would repeat
    // the package's rows: its one row says enough.
    let module_in_one_view = cells.iter().flatten().count() < 2
        && cells
            .iter()
            .flatten()
            .any(|m| matches!(m, Member::Module { .. }));
    if depth >= 8 || module_in_one_view {
        return;
    }
    for key in inner {
        let cells: Vec<Option<&Member>> = cells
            .iter()
            .map(|m| m.and_then(nested).and_then(|members| members.get(key)))
            .collect();
        rows(format!("{name}.{key}"), cells, out, depth + 1);
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
    let mut table = Vec::new();
    let names: BTreeSet<&String> = sources.iter().flat_map(|(_, s)| s.members.keys()).collect();
    for name in names {
        let cells = sources.iter().map(|(_, s)| s.members.get(name)).collect();
        rows(name.clone(), cells, &mut table, 0);
    }
    for (name, cells) in table {
        let _ = writeln!(out, "{}.{name}", views.module);
        for ((source, _), cell) in sources.iter().zip(cells) {
            let _ = writeln!(out, "  {source:<9}{}", describe(cell));
        }
    }
    out
}
