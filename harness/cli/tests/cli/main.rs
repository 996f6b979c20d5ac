//! The `conformance` binary, run as a user runs it: `cargo test -p conformance-cli`.
//!
//! Each test writes a small fixtures tree into a temporary directory (a copy of the seed
//! manifest plus the scenario under test) and checks the exit code and what is printed. Tests
//! that reach Python need the seed binding installed in the project's `.venv` (`ci/setup`).
//! Debug one with `cargo test -p conformance-cli --test cli -- wrong_expectation --nocapture`.

use std::path::Path;
use std::process::{Command, Output};

pub(crate) fn seed_manifest() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/seed/manifest.json");
    std::fs::read_to_string(path).unwrap()
}

/// A fixtures tree with these files (paths relative to the fixtures root).
pub(crate) fn fixtures(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

pub(crate) fn run(fixtures: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("run")
        .arg("--fixtures")
        .arg(fixtures)
        .args(extra)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

mod gate;
mod hostile;
mod init;
mod matrix;
mod objects;
mod properties;
mod run;
