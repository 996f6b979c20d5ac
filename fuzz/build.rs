//! The snapshot and planner targets link libpython (through the harness core): let them find it.
fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
}
