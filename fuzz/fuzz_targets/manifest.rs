//! Manifests: any text parses or is refused, and a parsed manifest is checked (its own
//! consistency rules), without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyo3_conformance_model::Manifest;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(manifest) = serde_json::from_str::<Manifest>(text) {
        let _ = manifest.check();
    }
});
