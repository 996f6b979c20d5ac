//! The tagged JSON of canonical values (fixtures' arguments and expectations, snapshots,
//! reports): any text parses or is refused, never panics or overflows the stack; what parses
//! encodes and parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyo3_conformance_model::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let encoded = value.to_json_string();
    let again: Value = serde_json::from_str(&encoded).expect("an encoded value parses");
    assert_eq!(again, value, "{encoded}");
});
