//! num-complex ↔ `complex`, as PyO3's `num-complex` feature converts `Complex<f64>`.

use num_complex::Complex64;

use crate::value::ValueError;
use crate::value::canonical::{Canonical, mismatch};
use crate::value::stdlib::{Complex, StdValue};

impl Canonical for Complex64 {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::Complex(Complex {
            re: self.re,
            im: self.im,
        }))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::Complex(Complex { re, im }) => Ok(Complex64::new(re, im)),
            other => Err(mismatch("complex", &other)),
        }
    }
}
