//! Ledgers: any text parses or is refused without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyo3_conformance_model::Ledger;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = serde_json::from_str::<Ledger>(text);
    }
});
