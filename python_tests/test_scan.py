"""`conformance scan` on installed modules: the seed binding and third-party PyO3 wheels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import seed_components

from conftest import ROOT, needs_full_setup

pytestmark = needs_full_setup

# The wheels ci/scan-wheels measures (pinned in ci/requirements.txt).
WHEELS = ["jiter", "rpds", "blake3", "minijinja", "jsonschema_rs", "uuid_utils"]


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


def test_inherited_members_of_a_compiled_base_are_not_missing(conformance: str) -> None:
    # minijinja's Environment is a Python subclass of _lowlevel.Environment: the methods it
    # inherits are there at runtime. Only `Path`, which the stub declares, is really missing.
    lines = scan(conformance, "minijinja").stdout.splitlines()
    missing = [line for line in lines if "missing at runtime" in line]
    assert missing == ["minijinja.Path: present in the stub, missing at runtime"]


def test_nested_error_kinds_are_read_in_both_views(conformance: str) -> None:
    # jsonschema-rs nests its error kinds inside ValidationErrorKind; each is found on both
    # sides, and the constructors its stub leaves out are reported.
    lines = scan(conformance, "jsonschema_rs").stdout.splitlines()
    assert not [line for line in lines if "ValidationErrorKind." in line and "missing" in line]
    assert "jsonschema_rs.ValidationErrorKind.Required.__init__: takes 1 parameter at runtime ('property'), 0 in the stub ()" in lines


def test_every_stubtest_error_is_matched_or_explained() -> None:
    # ci/scan_compare.py pairs each `mypy.stubtest` error with the scan's finding, or with the
    # written reason in ci/scan_reasons.json why the scan does not report it.
    result = subprocess.run(
        [sys.executable, str(ROOT / "ci" / "scan_compare.py"), "--check", *WHEELS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
