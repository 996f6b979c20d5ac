"""One verdict everywhere: the rtoml component, with its ledger, through `conformance gate`,
`cargo test`, pytest and `conformance prop`, gets the same verdict for every case in each.

rtoml is the component whose ledger holds every kind of entry: a case and step (a scenario),
a case (signatures), and operation entries that accept property-run failures of four targets.
The property run uses the gate's case count everywhere (64), so the same divergences are found.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, PYTHON_ONLY, ROOT

COMPONENT = "rtoml"
CASES = "64"

pytestmark = pytest.mark.skipif(
    PYTHON_ONLY or shutil.which("cargo") is None, reason="needs the CLI and cargo (ci/setup)"
)


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, check=False, env={**os.environ, **env}
    )


@pytest.fixture(scope="module")
def gate(conformance: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Each case of the component as the gate's report.json has it."""
    out = tmp_path_factory.mktemp("gate")
    result = run([conformance, "gate", "--component", COMPONENT, "--cases", CASES, "--out", str(out)])
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((out / "report.json").read_text())
    return {case["id"]: case for case in report["cases"]}


def case_of_test(name: str) -> str:
    """The gate's case id for a `cargo test` test name (`scenario::scenarios/x.json`)."""
    kind, path = name.split("::", 1)
    return {
        "api_surface": f"{COMPONENT}/signatures",
        "error_contract": f"{COMPONENT}/errors",
        "properties": f"{COMPONENT}/properties",
    }.get(kind) or f"{COMPONENT}/{path.removesuffix('.json')}"


def test_cargo_test_passes_exactly_the_cases_the_gate_passes_or_knows(gate: dict[str, dict]) -> None:
    result = run(
        ["cargo", "test", "-p", f"{COMPONENT}-conformance", "--test", "scenarios"],
        PROPTEST_CASES=CASES,
        PROPTEST_RNG_SEED="0",
    )
    outcomes = {}
    for line in (result.stdout + result.stderr).splitlines():
        found = re.match(r"^test (\S+) +\.\.\. (ok|FAILED)$", line.strip())
        if found:
            outcomes[case_of_test(found[1])] = found[2] == "ok"
    assert outcomes, result.stdout + result.stderr
    for case, passed in outcomes.items():
        assert passed == (gate[case]["status"] in ("pass", "known")), (case, gate[case], result.stdout)


def test_pytest_passes_what_the_gate_passes_and_xfails_what_it_knows(gate: dict[str, dict]) -> None:
    result = run([
        sys.executable, "-m", "pytest", str(ROOT / "python_tests" / "test_conformance.py"),
        "-k", COMPONENT, "-rA", "-q", "-p", "no:cacheprovider",
    ])
    outcomes = dict(
        (found[2], found[1])
        for found in re.finditer(r"^(PASSED|XFAIL|FAILED) \S+\[([^\]]+)\]", result.stdout, re.MULTILINE)
    )
    assert outcomes, result.stdout
    expected = {"pass": "PASSED", "known": "XFAIL", "fail": "FAILED"}
    for case, outcome in outcomes.items():
        assert outcome == expected[gate[case]["status"]], (case, gate[case], result.stdout)
    # Every scenario the gate judged, pytest judged too.
    scenarios = {case for case in gate if case.startswith(f"{COMPONENT}/scenarios/")}
    assert scenarios <= set(outcomes)


def test_prop_knows_what_the_gate_knows_in_the_same_words(conformance: str, gate: dict[str, dict]) -> None:
    result = run([conformance, "prop", "--component", COMPONENT, "--cases", CASES, "--no-write"])
    statuses = dict(
        (found[2], found[1])
        for found in re.finditer(rf"^(PASS|KNOWN|FAIL) {COMPONENT}/prop/(\S+)", result.stdout, re.MULTILINE)
    )
    # `  known [kind] message (in N of M cases)`: the message, as the gate words it.
    messages = re.findall(r"^  (?:known|new) \[\w+\] (.+) \(in \d+ of \d+ cases\)$", result.stdout, re.MULTILINE)
    properties = gate[f"{COMPONENT}/properties"]
    assert "FAIL" not in statuses.values(), result.stdout
    assert (result.returncode == 0) == (properties["status"] != "fail"), result.stdout
    known_in_gate = [f["message"] for f in properties["failures"] if f["known"]]
    assert sorted(messages) == sorted(known_in_gate), result.stdout
    assert list(statuses.values()).count("KNOWN") == len(known_in_gate) > 0, result.stdout


def test_the_ledger_entries_of_the_component_all_hold(gate: dict[str, dict]) -> None:
    ledger = json.loads((FIXTURES / COMPONENT / "ledger.json").read_text())
    assert gate[f"{COMPONENT}/ledger"]["status"] == "pass"
    known = [f for case in gate.values() for f in case["failures"] if f["known"]]
    reasons = {f["ledger"].rsplit(" (", 1)[0] for f in known}
    assert reasons == {entry["reason"] for entry in ledger["entries"]}


def test_a_drafted_ledger_applied_unchanged_turns_the_run_green_in_gate_prop_and_pytest(
    conformance: str, pytester: pytest.Pytester
) -> None:
    """`ledger update` after a run without a ledger: its entries, as drafted, make the gate
    exit 0, `prop` report nothing but PASS and KNOWN, and pytest pass or xfail every case."""
    root = pytester.path
    shutil.copytree(FIXTURES / COMPONENT, root / "fixtures" / COMPONENT, ignore=shutil.ignore_patterns("ledger.json"))
    shutil.copytree(FIXTURES / "schema", root / "fixtures" / "schema")
    shutil.copytree(ROOT / "snapshots" / COMPONENT, root / "snapshots" / COMPONENT)
    fixtures = str(root / "fixtures")

    first = run([conformance, "gate", "--fixtures", fixtures, "--cases", CASES, "--out", str(root / "first")])
    assert first.returncode == 1, first.stdout
    update = run([conformance, "ledger", "update", "--fixtures", fixtures, "--report", str(root / "first" / "report.json")])
    assert update.returncode == 0, update.stdout + update.stderr

    gate = run([conformance, "gate", "--fixtures", fixtures, "--cases", CASES, "--out", str(root / "again")])
    assert gate.returncode == 0, gate.stdout
    prop = run([conformance, "prop", "--fixtures", fixtures, "--component", COMPONENT, "--cases", CASES, "--no-write"])
    assert prop.returncode == 0 and "\nFAIL " not in prop.stdout, prop.stdout
    assert "KNOWN" in prop.stdout, prop.stdout

    pytester.makepyfile(test_drafted="def test_conformance(conformance_case):\n    conformance_case.check()\n")
    pytester.makeini("[pytest]\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes.get("xfailed", 0) > 0, result.stdout.str()
