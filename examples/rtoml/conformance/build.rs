//! The scenario tests embed CPython: let them find `libpython` at run time.
fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
}
