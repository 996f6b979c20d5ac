//! Embedding CPython: let test binaries find `libpython` at run time without `LD_LIBRARY_PATH`.
fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
}
