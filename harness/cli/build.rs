//! The CLI embeds CPython: let it find `libpython` at run time.
fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
}
