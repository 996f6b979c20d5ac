//! One signature against another: parameter by parameter, or — where one side is a stub's
//! `@overload`s — overload by overload, asking whether the concrete signature accepts every
//! call the overload allows.
//!
//! What callers can tell apart is compared, and nothing else: the names of positional-only
//! parameters and of `*args`/`**kwargs` are not compared (no caller can pass them by name),
//! their presence, kinds and order are. A default written `...` is "some default"; where the
//! other side states the value, the `...` side's annotation must admit it.

use pyo3_conformance_model::{Callable, DefaultValue, ParamKind, ParamView};

use super::annotation::{admits, normalize};
use super::{Checker, Pair};

fn positional(kind: ParamKind) -> bool {
    matches!(
        kind,
        ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword
    )
}

fn by_name(kind: ParamKind) -> bool {
    matches!(
        kind,
        ParamKind::PositionalOrKeyword | ParamKind::KeywordOnly
    )
}

fn names(params: &[ParamView]) -> String {
    params
        .iter()
        .map(|p| format!("'{}'", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Checker<'_> {
    pub(super) fn signature(
        &mut self,
        qualified: &str,
        left: &Callable,
        right: &Callable,
        pair: Pair<'_>,
    ) {
        if !left.overloads.is_empty() || !right.overloads.is_empty() {
            if pair.shape {
                self.overloads(qualified, left, right, pair);
            }
            return;
        }
        let (l, r) = (pair.left, pair.right);
        if let (Some(a), Some(b)) = (&left.returns, &right.returns) {
            if normalize(a) != normalize(b) {
                self.fail(qualified, format!("returns '{a}' {l}, '{b}' {r}"));
            }
        }
        let (Some(a), Some(b)) = (&left.params, &right.params) else {
            return;
        };
        if pair.shape {
            if let Some(problems) = absorbed(a, b, pair) {
                for (side, problem) in problems {
                    self.fail(qualified, format!("{side} {problem}"));
                }
                return;
            }
        }
        for (index, (x, y)) in a.iter().zip(b).enumerate() {
            let n = index + 1;
            if pair.shape {
                self.parameter(qualified, n, x, y, pair);
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

    fn parameter(&mut self, qualified: &str, n: usize, x: &ParamView, y: &ParamView, pair: Pair) {
        let (l, r) = (pair.left, pair.right);
        // A name matters where a caller can use it on both sides; where one side takes the
        // parameter by position only, that difference of kind is the finding.
        let names_matter = by_name(x.kind) && by_name(y.kind);
        // A runtime that also takes by name what the other side takes by position only accepts
        // every call the other side allows (a stub's `__x`, or `/`, for a Python function).
        let runtime_wider = |(runtime, other): (&ParamView, &ParamView)| {
            runtime.kind == ParamKind::PositionalOrKeyword
                && other.kind == ParamKind::PositionalOnly
        };
        let runtime_wider = (l == super::RUNTIME && runtime_wider((x, y)))
            || (r == super::RUNTIME && runtime_wider((y, x)));
        if names_matter && x.name != y.name {
            self.fail(
                qualified,
                format!("parameter {n} is '{}' {l}, '{}' {r}", x.name, y.name),
            );
            return;
        }
        if x.kind != y.kind && !runtime_wider {
            let name = if x.name == y.name {
                format!("'{}'", x.name)
            } else {
                format!("('{}' {l}, '{}' {r})", x.name, y.name)
            };
            self.fail(
                qualified,
                format!(
                    "parameter {n} {name} is {} {l}, {} {r}",
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
            (Some(DefaultValue::Value(value)), Some(DefaultValue::Opaque(_))) => {
                self.default_admitted(qualified, n, x, value, y, (l, r));
            }
            (Some(DefaultValue::Opaque(_)), Some(DefaultValue::Value(value))) => {
                self.default_admitted(qualified, n, y, value, x, (r, l));
            }
            _ => {}
        }
    }

    /// A default stated on one side (`value`, of `stated`) against the other side's `...`:
    /// the unstated side's annotation must admit it.
    fn default_admitted(
        &mut self,
        qualified: &str,
        n: usize,
        stated: &ParamView,
        value: &pyo3_conformance_model::Value,
        unstated: &ParamView,
        (here, there): (&str, &str),
    ) {
        let Some(annotation) = &unstated.annotation else {
            return;
        };
        if admits(annotation, value) == Some(false) {
            self.fail(
                qualified,
                format!(
                    "parameter {n} '{}' defaults to {} {here}, which its annotation '{annotation}' {there} does not admit",
                    stated.name,
                    DefaultValue::Value(value.clone()).python()
                ),
            );
        }
    }

    /// A side with `@overload`s against a concrete signature: each overload's calls must be
    /// accepted by the concrete one.
    fn overloads(&mut self, qualified: &str, left: &Callable, right: &Callable, pair: Pair<'_>) {
        let (overloaded, concrete, (o_side, c_side)) = if left.overloads.is_empty() {
            (right, left, (pair.right, pair.left))
        } else {
            (left, right, (pair.left, pair.right))
        };
        let Some(params) = &concrete.params else {
            return;
        };
        for (index, overload) in overloaded.overloads.iter().enumerate() {
            let Some(accepted) = &overload.params else {
                continue;
            };
            for problem in rejected_calls(accepted, params) {
                self.fail(
                    qualified,
                    format!(
                        "overload {} {o_side} is not accepted {c_side}: {problem}",
                        index + 1
                    ),
                );
            }
        }
    }
}

/// Where the runtime side takes `*args` or `**kwargs` and the other side spells out another
/// shape (a binding that forwards everything: `render_str(*args, **context)` against the
/// stub's `(source, name=None, /, **context)`), the other side's calls must be accepted, and
/// that is the whole comparison; `None` where the shapes are the same or nothing forwards.
fn absorbed(
    left: &[ParamView],
    right: &[ParamView],
    pair: Pair<'_>,
) -> Option<Vec<(&'static str, String)>> {
    let (runtime, other) = if pair.left == super::RUNTIME {
        (left, right)
    } else if pair.right == super::RUNTIME {
        (right, left)
    } else {
        return None;
    };
    let has = |ps: &[ParamView], kind| ps.iter().any(|p| p.kind == kind);
    let forwards = has(runtime, ParamKind::VarPositional) || has(runtime, ParamKind::VarKeyword);
    let same_shape =
        runtime.len() == other.len() && runtime.iter().zip(other).all(|(r, o)| r.kind == o.kind);
    if !forwards || same_shape {
        return None;
    }
    let other_side = if pair.left == super::RUNTIME {
        pair.right
    } else {
        pair.left
    };
    let render = |params: &[ParamView]| {
        Callable {
            params: Some(params.to_vec()),
            ..Callable::default()
        }
        .render()
    };
    let (runtime_sig, other_sig) = (render(runtime), render(other));
    Some(
        rejected_calls(other, runtime)
            .into_iter()
            .map(|problem| {
                (
                    "a call",
                    format!(
                        "{other_sig} {other_side} allows fails against {runtime_sig} {}: {problem}",
                        super::RUNTIME
                    ),
                )
            })
            .collect(),
    )
}

/// The ways a call that `overload` allows would fail against `concrete`.
fn rejected_calls(overload: &[ParamView], concrete: &[ParamView]) -> Vec<String> {
    let mut problems = Vec::new();
    let has = |kind| concrete.iter().any(|p| p.kind == kind);
    let concrete_positional: Vec<&ParamView> =
        concrete.iter().filter(|p| positional(p.kind)).collect();
    let mut covered = vec![false; concrete.len()];
    let index_of = |p: &ParamView| concrete.iter().position(|c| std::ptr::eq(c, p));
    let mut position = 0;
    for param in overload {
        let optional = param.default.is_some();
        let mut matched: Option<&ParamView> = None;
        match param.kind {
            ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword => {
                match concrete_positional.get(position) {
                    Some(c) => matched = Some(c),
                    None if has(ParamKind::VarPositional) => {}
                    None => problems.push(format!(
                        "it takes no positional argument {} ('{}')",
                        position + 1,
                        param.name
                    )),
                }
                position += 1;
                if param.kind == ParamKind::PositionalOrKeyword {
                    let named = concrete
                        .iter()
                        .find(|c| by_name(c.kind) && c.name == param.name);
                    if named.is_none() && !has(ParamKind::VarKeyword) {
                        problems.push(format!("it takes no argument named '{}'", param.name));
                    }
                }
            }
            ParamKind::KeywordOnly => {
                matched = concrete
                    .iter()
                    .find(|c| by_name(c.kind) && c.name == param.name);
                if matched.is_none() && !has(ParamKind::VarKeyword) {
                    problems.push(format!("it takes no argument named '{}'", param.name));
                }
            }
            ParamKind::VarPositional if !has(ParamKind::VarPositional) => {
                problems.push("it takes no *args".to_owned());
            }
            ParamKind::VarKeyword if !has(ParamKind::VarKeyword) => {
                problems.push("it takes no **kwargs".to_owned());
            }
            _ => {}
        }
        if let Some(c) = matched {
            if let Some(i) = index_of(c) {
                covered[i] |= !optional;
            }
            if optional && c.default.is_none() {
                problems.push(format!(
                    "'{}' may be left out by the overload, but is required",
                    c.name
                ));
            }
            // Left out, the parameter takes the concrete default, which the overload's
            // annotation must admit.
            if let (true, Some(DefaultValue::Value(value)), Some(annotation)) =
                (optional, &c.default, &param.annotation)
            {
                if admits(annotation, value) == Some(false) {
                    problems.push(format!(
                        "'{}' defaults to {}, which '{annotation}' does not admit",
                        c.name,
                        DefaultValue::Value(value.clone()).python()
                    ));
                }
            }
        }
    }
    for (c, covered) in concrete.iter().zip(covered) {
        let required =
            c.default.is_none() && (positional(c.kind) || c.kind == ParamKind::KeywordOnly);
        if required
            && !covered
            && !problems
                .iter()
                .any(|p| p.contains(&format!("'{}'", c.name)))
        {
            problems.push(format!(
                "it requires '{}', which the overload does not pass",
                c.name
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyo3_conformance_model::Value;

    fn p(name: &str, kind: ParamKind, default: bool) -> ParamView {
        ParamView {
            name: name.into(),
            kind,
            annotation: None,
            default: default.then_some(DefaultValue::Value(Value::Null)),
        }
    }

    #[test]
    fn a_wider_runtime_accepts_each_overload() {
        use ParamKind::*;
        let runtime = [
            p("x", PositionalOrKeyword, false),
            p("y", PositionalOrKeyword, true),
        ];
        assert!(rejected_calls(&[p("x", PositionalOrKeyword, false)], &runtime).is_empty());
        assert!(
            rejected_calls(
                &[
                    p("x", PositionalOrKeyword, false),
                    p("y", KeywordOnly, false)
                ],
                &runtime
            )
            .is_empty()
        );
        let problems = rejected_calls(
            &[
                p("x", PositionalOrKeyword, false),
                p("z", KeywordOnly, false),
            ],
            &runtime,
        );
        assert_eq!(problems, ["it takes no argument named 'z'"]);
        let problems = rejected_calls(&[p("y", KeywordOnly, true)], &runtime);
        assert_eq!(
            problems,
            ["it requires 'x', which the overload does not pass"]
        );
    }
}
