//! Reports, the input of `conformance merge`: any text parses or is refused without a panic,
//! and a parsed report writes back as JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyo3_conformance_model::Report;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(report) = serde_json::from_str::<Report>(text) {
        serde_json::to_string(&report).expect("a parsed report serializes");
    }
});
