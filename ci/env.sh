# Sourced by the ci/ scripts: one environment for every build, so nothing rebuilds for a
# changed variable. PYO3_PYTHON is what maturin sets too, so pyo3's build script sees the same
# interpreter in `maturin develop`, `cargo build` and `cargo test`.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export VIRTUAL_ENV="$root/.venv"
export PYO3_PYTHON="$VIRTUAL_ENV/bin/python"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
cd "$root"
