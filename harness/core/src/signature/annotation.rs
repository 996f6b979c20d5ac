//! Type annotations as text: compared loosely, and asked whether they admit a value.
//!
//! Annotations come from three sources that spell the same type differently (`Optional[int]`,
//! `int | None`, `typing.Optional[int]`), so they are normalized before they are compared. A
//! stub's annotation is also the only thing that can contradict a runtime default the stub
//! writes as `...` (`x: Literal["a", "b"] = ...` where the runtime says `x=None`); `admits`
//! answers that conservatively — `Some(false)` only where the annotation names nothing but
//! builtin scalars, `None` and literals, so a TypeVar, a class or a protocol never raises a
//! false alarm.

use pyo3_conformance_model::Value;

/// Splits `text` at top-level occurrences of `separator` (outside brackets and quotes).
fn split_top(text: &str, separator: char) -> Vec<String> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut parts = vec![String::new()];
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            _ => {}
        }
        if quote.is_none() && c == separator && depth == 0 {
            parts.push(String::new());
        } else {
            parts.last_mut().expect("never empty").push(c);
        }
    }
    parts.into_iter().map(|p| p.trim().to_owned()).collect()
}

/// Each dotted name as its last part (`pathlib.Path` as `Path`), outside quotes: the runtime
/// writes an annotation's classes qualified (`inspect` formats `pathlib.Path`), a stub or an
/// inline-typed source as it imported them (`from pathlib import Path`).
fn unqualified(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut name = String::new();
    let mut quote: Option<char> = None;
    let flush = |name: &mut String, out: &mut String| {
        let starts_as_name = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_');
        match name.rsplit_once('.') {
            Some((_, last)) if starts_as_name && !last.is_empty() => out.push_str(last),
            _ => out.push_str(name),
        }
        name.clear();
    };
    for c in text.chars() {
        if quote.is_none() && (c.is_alphanumeric() || c == '_' || c == '.') {
            name.push(c);
            continue;
        }
        flush(&mut name, &mut out);
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            _ => {}
        }
        out.push(c);
    }
    flush(&mut name, &mut out);
    out
}

/// Type annotations compared loosely: spaces, module qualifiers (`typing.`, `builtins.`,
/// `pathlib.`), `Optional[X]`, old generic aliases (`List`), a `Final[X]` or `ClassVar[X]`
/// qualifier (it says how a name may be assigned, not its type), `LiteralString` for `str`, and
/// the order of a top-level union do not matter.
pub(super) fn normalize(annotation: &str) -> String {
    let spaceless: String = annotation.chars().filter(|c| !c.is_whitespace()).collect();
    let mut text = unqualified(&spaceless);
    for qualifier in ["Final[", "typing.Final[", "ClassVar[", "typing.ClassVar["] {
        if let Some(inner) = text
            .strip_prefix(qualifier)
            .and_then(|t| t.strip_suffix(']'))
        {
            text = inner.to_owned();
        }
    }
    for (old, new) in [
        ("typing_extensions.", ""),
        ("typing.", ""),
        ("builtins.", ""),
        ("LiteralString", "str"),
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
    let mut parts = split_top(&text, '|');
    parts.sort();
    parts.join("|")
}

/// The union members of an annotation, with `Optional`, `Union`, `Final` and `ClassVar`
/// unwrapped.
fn alternatives(annotation: &str) -> Vec<String> {
    let text = annotation
        .replace("typing_extensions.", "")
        .replace("typing.", "");
    let mut out = Vec::new();
    for part in split_top(&text, '|') {
        let unwrap = |prefix: &str| {
            part.strip_prefix(prefix)
                .and_then(|t| t.strip_suffix(']'))
                .map(str::to_owned)
        };
        if let Some(inner) = unwrap("Optional[") {
            out.extend(alternatives(&inner));
            out.push("None".to_owned());
        } else if let Some(inner) = unwrap("Union[") {
            for item in split_top(&inner, ',') {
                out.extend(alternatives(&item));
            }
        } else if let Some(inner) = unwrap("Final[").or_else(|| unwrap("ClassVar[")) {
            out.extend(alternatives(&inner));
        } else {
            out.push(part);
        }
    }
    out
}

/// A Python literal as it appears inside `Literal[...]`, as a canonical value.
fn literal(text: &str) -> Option<Value> {
    let text = text.trim();
    match text {
        "None" => return Some(Value::Null),
        "True" => return Some(Value::Bool(true)),
        "False" => return Some(Value::Bool(false)),
        _ => {}
    }
    if let Some(inner) = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
    {
        return (!inner.contains('\\')).then(|| Value::Str(inner.to_owned()));
    }
    text.parse::<i64>().ok().map(|i| Value::Int(i.into()))
}

/// Whether one union member admits `value`: `Some(true)`/`Some(false)` where it can tell.
fn alternative_admits(alternative: &str, value: &Value) -> Option<bool> {
    if let Some(items) = alternative
        .strip_prefix("Literal[")
        .and_then(|t| t.strip_suffix(']'))
    {
        let literals: Option<Vec<Value>> =
            split_top(items, ',').iter().map(|i| literal(i)).collect();
        return literals.map(|ls| {
            ls.iter()
                .any(|l| l == value && l.type_name() == value.type_name())
        });
    }
    let head = alternative.split('[').next().unwrap_or(alternative);
    let kind = match head {
        "None" | "NoneType" => "None",
        "bool" => "bool",
        "int" => "int",
        "float" => "float",
        "complex" => "complex",
        "str" => "str",
        "bytes" => "bytes",
        "list" | "List" => "list",
        "dict" | "Dict" => "dict",
        "tuple" | "Tuple" => "tuple",
        "set" | "Set" => "set",
        "frozenset" | "FrozenSet" => "frozenset",
        _ => return None, // a class, a protocol, a TypeVar, `Any`, `object`: cannot tell
    };
    let actual = value.type_name();
    // The numeric tower as type checkers apply it: a bool is an int, an int may stand for a float.
    let admitted = kind == actual
        || (kind == "int" && actual == "bool")
        || (matches!(kind, "float" | "complex") && matches!(actual, "int" | "bool" | "float"));
    Some(admitted)
}

/// Whether `annotation` admits `value`: `Some(false)` only when every alternative of the
/// annotation is known and none admits it.
pub(super) fn admits(annotation: &str, value: &Value) -> Option<bool> {
    let mut all_known = true;
    for alternative in alternatives(annotation) {
        match alternative_admits(&alternative, value) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => all_known = false,
        }
    }
    all_known.then_some(false)
}

/// Whether `annotation` admits a value of the runtime type `value_type` (`builtins.int`),
/// where both are builtin scalars; `None` where it cannot tell.
pub(super) fn admits_type(annotation: &str, value_type: &str) -> Option<bool> {
    let sample = match value_type {
        "builtins.NoneType" => Value::Null,
        "builtins.bool" => Value::Bool(false),
        "builtins.int" => Value::Int(0.into()),
        "builtins.float" => Value::Float(0.0),
        "builtins.str" => Value::Str(String::new()),
        "builtins.bytes" => Value::Bytes(Vec::new()),
        _ => return None,
    };
    // Literals name values, not the type: a constant's literal annotation is not checked here.
    if annotation.contains("Literal[") {
        return None;
    }
    admits(annotation, &sample)
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
        assert_eq!(normalize("Final[builtins.int]"), normalize("int"));
        assert_eq!(normalize("Final[LiteralString]"), normalize("str"));
        assert_eq!(
            normalize("str | pathlib.Path | typing.TextIO"),
            normalize("str | Path | TextIO")
        );
        assert_eq!(normalize("tuple[int, ...]"), "tuple[int,...]");
        assert_ne!(normalize("Literal['a.b']"), normalize("Literal['b']"));
    }

    #[test]
    fn admits_only_what_it_can_tell() {
        let none = Value::Null;
        assert_eq!(admits("Literal['a', 'b']", &none), Some(false));
        assert_eq!(admits("Literal['a', 'b'] | None", &none), Some(true));
        assert_eq!(admits("Optional[int]", &none), Some(true));
        assert_eq!(admits("int", &Value::Bool(true)), Some(true));
        assert_eq!(admits("float", &Value::Int(1.into())), Some(true));
        assert_eq!(admits("str", &Value::Int(1.into())), Some(false));
        assert_eq!(admits("T", &none), None);
        assert_eq!(admits("MyClass | int", &none), None);
        assert_eq!(admits("Literal[1]", &Value::Bool(true)), Some(false));
        assert_eq!(admits_type("Final[int]", "builtins.str"), Some(false));
        assert_eq!(admits_type("float", "builtins.int"), Some(true));
        assert_eq!(admits_type("UUID", "uuid.UUID"), None);
    }
}
