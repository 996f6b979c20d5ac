//! Python type annotations (`dict[str, list[int]] | None`), read into a type the property
//! runner can generate values of. Only the vocabulary of canonical values is understood; any
//! other name is an error that names it, so a manifest says what it cannot generate.

use std::iter::Peekable;
use std::str::Chars;

use pyo3_conformance_model::Value;

/// A type values can be generated for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    None,
    Bool,
    Int,
    Float,
    Str,
    Bytes,
    List(Box<Ty>),
    Set(Box<Ty>),
    FrozenSet(Box<Ty>),
    /// `tuple[A, B]`.
    Tuple(Vec<Ty>),
    /// `tuple[T, ...]`.
    TupleOf(Box<Ty>),
    Dict(Box<Ty>, Box<Ty>),
    Union(Vec<Ty>),
    /// A standard-library type (`datetime`, `Decimal`, ...).
    Std(StdTy),
}

/// The standard-library types values can be generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StdTy {
    DateTime,
    Date,
    Time,
    TimeDelta,
    TimeZone,
    Decimal,
    Uuid,
    Path,
    Complex,
}

impl StdTy {
    /// The type an annotation names, module-qualified or not (`datetime.datetime`, `Decimal`).
    fn named(name: &str) -> Option<Self> {
        let unqualified = ["datetime.", "decimal.", "uuid.", "pathlib.", "os."]
            .iter()
            .find_map(|module| name.strip_prefix(module))
            .unwrap_or(name);
        Some(match unqualified {
            "datetime" => Self::DateTime,
            "date" => Self::Date,
            "time" => Self::Time,
            "timedelta" => Self::TimeDelta,
            "timezone" => Self::TimeZone,
            "Decimal" => Self::Decimal,
            "UUID" => Self::Uuid,
            "Path" | "PurePath" | "PosixPath" | "PurePosixPath" | "PathLike" => Self::Path,
            "complex" => Self::Complex,
            _ => return None,
        })
    }
}

/// Parses an annotation.
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Result<Ty, String> {
    parse_among(text, &|_| false)
}

/// Parses an annotation in a module whose own classes are `declared`: an unqualified name of
/// one of them is that class, never the standard-library type of the same name (`UUID` in
/// `uuid_utils` is `uuid_utils.UUID`, which is no `uuid.UUID`).
pub(crate) fn parse_among(text: &str, declared: &dyn Fn(&str) -> bool) -> Result<Ty, String> {
    let mut parser = Parser {
        chars: text.chars().peekable(),
        declared,
    };
    let ty = parser.union()?;
    parser.skip_space();
    match parser.chars.next() {
        None => Ok(ty),
        Some(c) => Err(format!("unexpected '{c}' in type '{text}'")),
    }
}

struct Parser<'a> {
    chars: Peekable<Chars<'a>>,
    declared: &'a dyn Fn(&str) -> bool,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.chars.peek().is_some_and(|c| c.is_whitespace()) {
            self.chars.next();
        }
    }

    fn eat(&mut self, wanted: char) -> bool {
        self.skip_space();
        if self.chars.peek() == Some(&wanted) {
            self.chars.next();
            true
        } else {
            false
        }
    }

    fn name(&mut self) -> String {
        self.skip_space();
        let mut name = String::new();
        while let Some(&c) = self.chars.peek() {
            if c.is_alphanumeric() || c == '_' || c == '.' {
                name.push(c);
                self.chars.next();
            } else {
                break;
            }
        }
        name
    }

    fn union(&mut self) -> Result<Ty, String> {
        let mut options = vec![self.atom()?];
        while self.eat('|') {
            options.push(self.atom()?);
        }
        Ok(if options.len() == 1 {
            options.remove(0)
        } else {
            Ty::Union(options)
        })
    }

    fn arguments(&mut self) -> Result<Vec<Ty>, String> {
        if !self.eat('[') {
            return Ok(Vec::new());
        }
        let mut arguments = Vec::new();
        loop {
            let name_is_ellipsis = {
                self.skip_space();
                self.chars.peek() == Some(&'.')
            };
            if name_is_ellipsis {
                let dots = self.name();
                if dots != "..." {
                    return Err(format!("unexpected '{dots}'"));
                }
                arguments.push(Ty::TupleOf(Box::new(Ty::None)));
            } else {
                arguments.push(self.union()?);
            }
            if self.eat(']') {
                return Ok(arguments);
            }
            if !self.eat(',') {
                return Err("expected ',' or ']'".to_owned());
            }
        }
    }

    fn atom(&mut self) -> Result<Ty, String> {
        let name = self.name();
        let name = name.strip_prefix("typing.").unwrap_or(&name).to_owned();
        let mut arguments = self.arguments()?;
        let one = |arguments: &mut Vec<Ty>, what: &str| -> Result<Box<Ty>, String> {
            if arguments.len() == 1 {
                Ok(Box::new(arguments.remove(0)))
            } else {
                Err(format!("{what}[...] takes one type argument"))
            }
        };
        Ok(match name.as_str() {
            "None" | "NoneType" => Ty::None,
            "bool" => Ty::Bool,
            "int" => Ty::Int,
            "float" => Ty::Float,
            "str" => Ty::Str,
            "bytes" => Ty::Bytes,
            "list" | "List" | "Sequence" => Ty::List(one(&mut arguments, "list")?),
            "set" | "Set" => Ty::Set(one(&mut arguments, "set")?),
            "frozenset" | "FrozenSet" => Ty::FrozenSet(one(&mut arguments, "frozenset")?),
            "Optional" => Ty::Union(vec![*one(&mut arguments, "Optional")?, Ty::None]),
            "tuple" | "Tuple" => match arguments.as_slice() {
                [item, Ty::TupleOf(_)] => Ty::TupleOf(Box::new(item.clone())),
                _ => Ty::Tuple(arguments),
            },
            "dict" | "Dict" | "Mapping" => match <[Ty; 2]>::try_from(arguments) {
                Ok([key, value]) => Ty::Dict(Box::new(key), Box::new(value)),
                Err(_) => return Err("dict[...] takes two type arguments".to_owned()),
            },
            "" => return Err("a type is missing".to_owned()),
            other if (self.declared)(other) => {
                return Err(format!(
                    "cannot generate values of type '{other}' (a class of the module)"
                ));
            }
            other if StdTy::named(other).is_some() => Ty::Std(StdTy::named(other).expect("named")),
            other => return Err(format!("cannot generate values of type '{other}'")),
        })
    }
}

/// A simple value of `ty`, for a drafted scenario to start from (`0`, `""`, `[]`, the first
/// member of a union, a plain date); `None` where `ty` is `None` only.
pub(crate) fn example(ty: &Ty) -> Value {
    let std = |json: &str| serde_json::from_str(json).expect("a valid example");
    match ty {
        Ty::None => Value::Null,
        Ty::Bool => Value::Bool(false),
        Ty::Int => Value::int(0),
        Ty::Float => Value::Float(0.0),
        Ty::Str => Value::str(""),
        Ty::Bytes => Value::Bytes(Vec::new()),
        Ty::List(_) => Value::List(Vec::new()),
        Ty::Set(_) => Value::Set(Vec::new()),
        Ty::FrozenSet(_) => Value::FrozenSet(Vec::new()),
        Ty::Tuple(items) => Value::Tuple(items.iter().map(example).collect()),
        Ty::TupleOf(_) => Value::Tuple(Vec::new()),
        Ty::Dict(..) => Value::Dict(Vec::new()),
        Ty::Union(options) => options
            .iter()
            .find(|option| **option != Ty::None)
            .map_or(Value::Null, example),
        Ty::Std(std_ty) => std(match std_ty {
            StdTy::DateTime => r#"{"$datetime": "2024-02-29T12:00:00+00:00"}"#,
            StdTy::Date => r#"{"$date": "2024-02-29"}"#,
            StdTy::Time => r#"{"$time": "12:00:00"}"#,
            StdTy::TimeDelta => r#"{"$timedelta": "1"}"#,
            StdTy::TimeZone => r#"{"$timezone": "+00:00"}"#,
            StdTy::Decimal => r#"{"$decimal": "1.10"}"#,
            StdTy::Uuid => r#"{"$uuid": "00000000-0000-0000-0000-000000000000"}"#,
            StdTy::Path => r#"{"$path": "example.txt"}"#,
            StdTy::Complex => r#"{"$complex": [1.0, 0.0]}"#,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_parse_into_types() {
        assert_eq!(
            parse("int | None").unwrap(),
            Ty::Union(vec![Ty::Int, Ty::None])
        );
        assert_eq!(
            parse("dict[int, list[str]]").unwrap(),
            Ty::Dict(Box::new(Ty::Int), Box::new(Ty::List(Box::new(Ty::Str))))
        );
        assert_eq!(
            parse("tuple[int, ...]").unwrap(),
            Ty::TupleOf(Box::new(Ty::Int))
        );
        assert_eq!(
            parse("Optional[bytes]").unwrap(),
            Ty::Union(vec![Ty::Bytes, Ty::None])
        );
        assert_eq!(parse("decimal.Decimal").unwrap(), Ty::Std(StdTy::Decimal));
        assert_eq!(
            parse("datetime | None").unwrap(),
            Ty::Union(vec![Ty::Std(StdTy::DateTime), Ty::None])
        );
        assert!(parse("Fraction").unwrap_err().contains("'Fraction'"));
        let module_class = |name: &str| name == "UUID";
        assert!(parse_among("UUID", &module_class).is_err());
        assert_eq!(
            parse_among("uuid.UUID", &module_class).unwrap(),
            Ty::Std(StdTy::Uuid)
        );
    }
}
