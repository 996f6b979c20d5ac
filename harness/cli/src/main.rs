//! `conformance`, with this repository's bundled components registered.
use std::process::ExitCode;

/// Property runs allocate many small values per case; mimalloc serves them for a fraction of
/// glibc malloc's instructions (see `ci/bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    pyo3_conformance::cli::main(vec![
        seed_conformance::adapter(),
        jiter_conformance::adapter(),
        uuid_conformance::adapter(),
        rtoml_conformance::adapter(),
    ])
}
