//! rust_decimal ↔ `Decimal`, as PyO3's `rust_decimal` feature converts: through the text
//! (`Decimal(str(value))`), so the scale is kept (`1.10` stays `1.10`). A NaN, an infinity
//! or more digits than 96 bits hold do not fit, and are refused.

use rust_decimal::Decimal as RustDecimal;

use crate::value::ValueError;
use crate::value::canonical::{Canonical, mismatch};
use crate::value::stdlib::StdValue;

impl Canonical for RustDecimal {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        self.to_string()
            .parse()
            .map(StdValue::Decimal)
            .map_err(ValueError::new)
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::Decimal(decimal) => {
                let text = decimal.to_plain_string().ok_or_else(|| {
                    ValueError::new(format!("rust_decimal cannot hold {decimal}"))
                })?;
                RustDecimal::from_str_exact(&text).map_err(|e| {
                    ValueError::new(format!("rust_decimal cannot hold {decimal}: {e}"))
                })
            }
            other => Err(mismatch("Decimal", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Std;

    #[test]
    fn the_scale_survives_both_ways() {
        let value = crate::to_value(&Std(RustDecimal::new(110, 2))).unwrap();
        assert_eq!(value.to_json_string(), r#"{"$decimal":"1.10"}"#);
        let back: Std<RustDecimal> = crate::from_value(value).unwrap();
        assert_eq!(back.0.scale(), 2);
        let nan: crate::Value = serde_json::from_str(r#"{"$decimal": "NaN"}"#).unwrap();
        assert!(crate::from_value::<Std<RustDecimal>>(nan).is_err());
    }
}
