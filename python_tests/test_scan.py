"""`conformance scan` on installed modules: the seed binding and third-party PyO3 wheels."""

from __future__ import annotations

import subprocess
from pathlib import Path

import seed_components

from conftest import ROOT, needs_full_setup

pytestmark = needs_full_setup


def scan(conformance: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([conformance, "scan", *args], capture_output=True, text=True, cwd=ROOT, check=False)


def test_the_seed_binding_matches_its_stub(conformance: str) -> None:
    result = scan(conformance, "seed_components")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("0 findings in seed_components")


def test_jiter_stub_drift_is_found(conformance: str) -> None:
    result = scan(conformance, "jiter")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "jiter.LosslessFloat.__init__: parameter 1 is 'raw' at runtime, 'json_float' in the stub" in lines
    assert "jiter.LosslessFloat: is final (cannot be subclassed) at runtime, subclassable in the stub" in lines


def test_rpds_stub_drift_is_found(conformance: str) -> None:
    lines = scan(conformance, "rpds").stdout.splitlines()
    assert "rpds.HashTrieMap.insert: parameter 2 is 'value' at runtime, 'val' in the stub" in lines
    assert "rpds.Queue.peek: is a method at runtime, a property in the stub" in lines
    assert "rpds.Stack: present at runtime, missing in the stub" in lines
    # `get` comes from `Mapping`, which the stub's HashTrieMap subclasses: not a finding.
    assert not any(line.startswith("rpds.HashTrieMap.get:") for line in lines)


def test_an_explicit_broken_stub_is_compared(conformance: str, tmp_path: Path) -> None:
    stub = (Path(seed_components.__file__).parent / "__init__.pyi").read_text()
    broken = stub.replace("def put(self, key: str, value: int)", "def put(self, key: str, val: int)")
    assert broken != stub
    (tmp_path / "seed.pyi").write_text(broken)
    result = scan(conformance, "seed_components", "--stub", str(tmp_path / "seed.pyi"))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "seed_components.Store.put: parameter 2 is 'value' at runtime, 'val' in the stub"
    )


def test_an_unknown_module_is_bad_input(conformance: str) -> None:
    result = scan(conformance, "no_such_module_here")
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot import 'no_such_module_here'")
    assert len(result.stderr.splitlines()) == 1
