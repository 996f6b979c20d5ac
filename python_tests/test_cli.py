"""The installed `conformance` CLI, driven from Python as CI and users drive it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from conftest import FIXTURES, ROOT, components, scenario_files


def run(conformance: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [conformance, "run", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_every_bundled_scenario_conforms(conformance: str) -> None:
    result = run(conformance, "--fixtures", str(FIXTURES))
    assert result.returncode == 0, result.stdout + result.stderr
    scenarios = sum(len(scenario_files(c)) for c in components())
    assert scenarios >= 20
    expected = scenarios + 2 * len(components())  # and a signature and an error-contract case each
    totals = re.fullmatch(r"(\d+) passed, 0 failed(?:, (\d+) known)?", result.stdout.splitlines()[-1])
    assert totals, result.stdout.splitlines()[-1]
    assert int(totals[1]) + int(totals[2] or 0) == expected
    verdicts = [line for line in result.stdout.splitlines() if re.match(r"^(PASS|FAIL|KNOWN) ", line)]
    assert len(verdicts) == expected


def test_a_divergence_exits_1_with_both_sides(conformance: str, tmp_path: Path, seed_manifest: dict) -> None:
    component = tmp_path / "seed"
    (component / "scenarios").mkdir(parents=True)
    (component / "manifest.json").write_text(json.dumps(seed_manifest))
    steps = [{"call": "invert", "args": [{"a": 1}], "expect": {"$dict": [[1, ["b"]]]}}]
    (component / "scenarios" / "wrong.json").write_text(json.dumps({"steps": steps}))
    result = run(conformance, "--fixtures", str(tmp_path), "seed/s")  # scenarios and signatures
    assert result.returncode == 1, result.stderr
    assert '$[1][0]: "b" on expected, "a" on rust and python' in result.stdout
    assert "PASS seed/signatures" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed"


def test_bad_input_exits_2_with_one_line(conformance: str, tmp_path: Path, seed_manifest: dict) -> None:
    component = tmp_path / "seed"
    (component / "scenarios").mkdir(parents=True)
    (component / "manifest.json").write_text(json.dumps(seed_manifest))
    (component / "scenarios" / "bad.json").write_text('{"steps": [\n  {"call": "scale", "args": []}\n]}')
    result = run(conformance, "--fixtures", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {component}/scenarios/bad.json:2: step 1: wrong arguments for 'scale': "
        "scale() missing required argument 'values'\n"
    )
