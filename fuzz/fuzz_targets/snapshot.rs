//! Recorded snapshots (insta `.snap` files of a scenario's Rust side, read by the pytest
//! plugin): any file reads or is refused with its name, without a panic.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use pyo3_conformance::__private::read_snapshot;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(data).expect("written");
    let _ = read_snapshot(file.path());
});
