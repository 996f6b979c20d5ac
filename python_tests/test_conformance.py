"""Every bundled scenario, run against the installed binding and the recorded Rust results."""


def test_conformance(conformance_case) -> None:
    conformance_case.check()
