//! `decimal.Decimal`, exactly: sign, coefficient and exponent, so `Decimal("1.10")` and
//! `Decimal("1.1")` are different canonical values (a binding that normalises an exponent
//! diverges), while [`Decimal::numeric_key`] lets the comparator compare numbers only.
//! Text is read as Python's `Decimal(str)` reads it and written as `str(Decimal)` writes it
//! (the General Decimal Arithmetic spec's to-scientific-string, which round-trips exactly).

use std::fmt;

use num_bigint::BigUint;
use num_traits::Zero;

/// A decimal number, NaN or infinity, as Python's `Decimal` holds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal {
    /// The sign (`Decimal("-0")` is negative).
    pub negative: bool,
    /// What the value is.
    pub form: DecimalForm,
}

/// The kinds of decimal value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DecimalForm {
    /// `coefficient × 10^exponent`.
    Finite {
        /// The digits, as a number (trailing zeros are significant through `exponent`).
        coefficient: BigUint,
        /// The power of ten.
        exponent: i64,
    },
    /// `Infinity`.
    Infinity,
    /// `NaN` (quiet) or `sNaN` (signalling), with its diagnostic payload.
    NaN {
        /// Whether it is `sNaN`.
        signaling: bool,
        /// The payload digits (`NaN123`); zero when none.
        payload: BigUint,
    },
}

impl Decimal {
    /// A finite decimal.
    pub fn finite(negative: bool, coefficient: impl Into<BigUint>, exponent: i64) -> Self {
        Self {
            negative,
            form: DecimalForm::Finite {
                coefficient: coefficient.into(),
                exponent,
            },
        }
    }

    /// The number this decimal stands for, with trailing zeros moved into the exponent and
    /// every zero alike: equal for `1.10` and `1.1`, for `0E+3` and `-0`. NaNs keep their form
    /// (the comparator treats NaN like a float NaN: equal to NaN).
    pub fn numeric_key(&self) -> Decimal {
        match &self.form {
            DecimalForm::Finite { coefficient, .. } if coefficient.is_zero() => {
                Self::finite(false, 0u8, 0)
            }
            DecimalForm::Finite {
                coefficient,
                exponent,
            } => {
                let ten = BigUint::from(10u8);
                let (mut coefficient, mut exponent) = (coefficient.clone(), *exponent);
                while (&coefficient % &ten).is_zero() {
                    coefficient /= &ten;
                    exponent += 1;
                }
                Self::finite(self.negative, coefficient, exponent)
            }
            DecimalForm::Infinity => self.clone(),
            DecimalForm::NaN { .. } => Self {
                negative: false,
                form: DecimalForm::NaN {
                    signaling: false,
                    payload: BigUint::zero(),
                },
            },
        }
    }

    /// The text without scientific notation (`1E+3` as `1000`, `1.2E-7` as `0.00000012`), for
    /// Rust decimal types that read no exponent; `None` for NaN and infinities.
    pub fn to_plain_string(&self) -> Option<String> {
        let DecimalForm::Finite {
            coefficient,
            exponent,
        } = &self.form
        else {
            return None;
        };
        let digits = coefficient.to_string();
        let sign = if self.negative { "-" } else { "" };
        Some(if *exponent >= 0 {
            format!("{sign}{digits}{}", "0".repeat(*exponent as usize))
        } else {
            let point = digits.len() as i64 + exponent;
            if point > 0 {
                let (whole, fraction) = digits.split_at(point as usize);
                format!("{sign}{whole}.{fraction}")
            } else {
                format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
            }
        })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        match &self.form {
            DecimalForm::Infinity => f.write_str("Infinity"),
            DecimalForm::NaN { signaling, payload } => {
                f.write_str(if *signaling { "sNaN" } else { "NaN" })?;
                if !payload.is_zero() {
                    write!(f, "{payload}")?;
                }
                Ok(())
            }
            DecimalForm::Finite {
                coefficient,
                exponent,
            } => {
                let digits = coefficient.to_string();
                let adjusted = exponent + digits.len() as i64 - 1;
                if *exponent <= 0 && adjusted >= -6 {
                    let plain = Decimal::finite(false, coefficient.clone(), *exponent);
                    return f.write_str(&plain.to_plain_string().unwrap_or_default());
                }
                let (first, rest) = digits.split_at(1);
                f.write_str(first)?;
                if !rest.is_empty() {
                    write!(f, ".{rest}")?;
                }
                write!(f, "E{}{adjusted}", if adjusted >= 0 { "+" } else { "" })
            }
        }
    }
}

impl std::str::FromStr for Decimal {
    type Err = String;

    /// Python's `Decimal(str)` syntax: surrounding whitespace and digit-separating underscores
    /// allowed, `Inf`/`Infinity`/`NaN`/`sNaN` in any case.
    fn from_str(text: &str) -> Result<Self, String> {
        let invalid = || format!("not a decimal: {text:?}");
        let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
        let (negative, body) = match cleaned.as_bytes().first() {
            Some(b'-') => (true, &cleaned[1..]),
            Some(b'+') => (false, &cleaned[1..]),
            _ => (false, cleaned.as_str()),
        };
        let lower = body.to_ascii_lowercase();
        if lower == "inf" || lower == "infinity" {
            return Ok(Self {
                negative,
                form: DecimalForm::Infinity,
            });
        }
        for (prefix, signaling) in [("snan", true), ("nan", false)] {
            if let Some(payload) = lower.strip_prefix(prefix) {
                let payload = if payload.is_empty() {
                    BigUint::zero()
                } else if payload.bytes().all(|b| b.is_ascii_digit()) {
                    payload.parse().map_err(|_| invalid())?
                } else {
                    return Err(invalid());
                };
                return Ok(Self {
                    negative,
                    form: DecimalForm::NaN { signaling, payload },
                });
            }
        }
        let (mantissa, exponent) = match lower.split_once('e') {
            Some((mantissa, exponent)) => {
                (mantissa, exponent.parse::<i64>().map_err(|_| invalid())?)
            }
            None => (lower.as_str(), 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if whole.is_empty() && fraction.is_empty()
            || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let coefficient: BigUint = format!("0{whole}{fraction}")
            .parse()
            .map_err(|_| invalid())?;
        Ok(Self::finite(
            negative,
            coefficient,
            exponent - fraction.len() as i64,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        text.parse::<Decimal>().unwrap().to_string()
    }

    #[test]
    fn text_is_written_as_python_writes_it() {
        // Each pair is (input, str(Decimal(input))) as CPython 3.11 prints it.
        for (input, python) in [
            ("1.10", "1.10"),
            ("1.1", "1.1"),
            ("-0", "-0"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1E-7"),
            ("1E+3", "1E+3"),
            ("1000", "1000"),
            ("12.5e2", "1.25E+3"),
            ("0E-8", "0E-8"),
            ("-inf", "-Infinity"),
            ("NaN", "NaN"),
            ("-sNaN42", "-sNaN42"),
            ("1_000.5", "1000.5"),
            (".5", "0.5"),
            ("5.", "5"),
        ] {
            assert_eq!(round_trip(input), python, "{input}");
        }
        assert!("1.2.3".parse::<Decimal>().is_err());
        assert!("e5".parse::<Decimal>().is_err());
    }

    #[test]
    fn the_exponent_is_part_of_the_value_but_not_of_the_number() {
        let a: Decimal = "1.10".parse().unwrap();
        let b: Decimal = "1.1".parse().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.numeric_key(), b.numeric_key());
        let zero: Decimal = "0E+3".parse().unwrap();
        assert_eq!(
            zero.numeric_key(),
            "-0.00".parse::<Decimal>().unwrap().numeric_key()
        );
    }

    #[test]
    fn plain_text_has_no_exponent() {
        let plain = |text: &str| text.parse::<Decimal>().unwrap().to_plain_string().unwrap();
        assert_eq!(plain("1E+3"), "1000");
        assert_eq!(plain("-1.2E-7"), "-0.00000012");
        assert_eq!(plain("1.10"), "1.10");
    }
}
