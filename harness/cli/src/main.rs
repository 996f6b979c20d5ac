//! `conformance`, with this repository's bundled components registered.
use std::process::ExitCode;

fn main() -> ExitCode {
    pyo3_conformance::cli::main(vec![
        seed_conformance::adapter(),
        jiter_conformance::adapter(),
        uuid_conformance::adapter(),
        rtoml_conformance::adapter(),
    ])
}
