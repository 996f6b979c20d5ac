//! uuid ↔ `uuid.UUID`, as PyO3's `uuid` feature converts: the 128 bits.

use crate::value::ValueError;
use crate::value::canonical::{Canonical, mismatch};
use crate::value::stdlib::{StdValue, Uuid};

impl Canonical for uuid::Uuid {
    fn to_canonical(&self) -> Result<StdValue, ValueError> {
        Ok(StdValue::Uuid(Uuid(self.as_u128())))
    }
    fn from_canonical(value: StdValue) -> Result<Self, ValueError> {
        match value {
            StdValue::Uuid(Uuid(bits)) => Ok(uuid::Uuid::from_u128(bits)),
            other => Err(mismatch("UUID", &other)),
        }
    }
}
