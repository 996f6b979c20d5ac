"""pyo3-conformance for Python: check an installed PyO3 binding against recorded Rust results.

The value codec, the comparator and the judge are the Rust core's, through `_native`: one
implementation for `cargo test`, the `conformance` CLI and pytest. The pytest plugin
(`pyo3_conformance.plugin`, registered under the `pytest11` entry point) turns every scenario
under the configured fixtures directory into its own test.
"""

from pyo3_conformance._native import HarnessError, check_scenario, compare, decode, discover, encode

__all__ = ["HarnessError", "check_scenario", "compare", "decode", "discover", "encode"]
