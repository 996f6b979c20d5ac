"""`conformance gate` as CI consumes it: JUnit XML that parses as JUnit, a Markdown summary,
and a report.json in the committed schema's shape."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, components, scenario_files


@pytest.fixture(scope="module")
def reports(conformance: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("conformance")
    result = subprocess.run(
        [conformance, "gate", "--fixtures", str(FIXTURES), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"\d+ passed, 0 failed(, \d+ known)?", result.stdout.splitlines()[-1])
    return out


def expected_cases() -> int:
    # every scenario, and per component: signatures, errors, snapshots, properties, ledger
    return sum(len(scenario_files(c)) + 5 for c in components())


def test_junit_has_a_testcase_per_case(reports: Path) -> None:
    root = ET.parse(reports / "junit.xml").getroot()
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == expected_cases() == int(root.get("tests"))
    assert {case.get("classname") for case in cases} == {c.name for c in components()}
    assert root.get("failures") == "0"
    known = root.findall("./testsuite[@name='jiter']/testcase/skipped")
    assert len(known) == 3, "the ledgered jiter divergences show as skipped, with their reason"


def test_report_json_has_the_documented_shape(reports: Path) -> None:
    report = json.loads((reports / "report.json").read_text())
    assert set(report["summary"]) == {"total", "passed", "failed", "known", "skipped"}
    assert report["summary"]["total"] == expected_cases() == len(report["cases"])
    assert report["complete"] is True
    for case in report["cases"]:
        assert {"id", "component", "status", "failures", "rerun"} <= set(case)
        assert case["status"] in ("pass", "fail", "known")
        assert case["rerun"]["conformance"].startswith("conformance ")
    ids = [case["id"] for case in report["cases"]]
    assert ids == sorted(ids)
    schema = json.loads((FIXTURES / "schema" / "report.schema.json").read_text())
    assert set(schema["required"]) >= {"summary", "cases", "complete"}


def test_summary_reads_as_markdown(reports: Path) -> None:
    summary = (reports / "summary.md").read_text()
    lines = summary.splitlines()
    assert lines[0] == "# pyo3-conformance: ✅ conforms"
    assert "## Known divergences (ledger)" in lines
    assert f"of {expected_cases()} cases" in summary
    assert "| component | passed | failed | known |" in lines


def test_jiter_without_its_ledger_fails_listing_the_real_divergences(conformance: str, tmp_path: Path) -> None:
    """The ledger is what lets the jiter component pass; without it the gate names each finding."""
    shutil.copytree(FIXTURES / "jiter", tmp_path / "fixtures" / "jiter", ignore=shutil.ignore_patterns("ledger.json"))
    shutil.copytree(ROOT / "snapshots" / "jiter", tmp_path / "snapshots" / "jiter")
    result = subprocess.run(
        [conformance, "gate", "--fixtures", str(tmp_path / "fixtures"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 1
    failed = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAIL ")}
    assert {"jiter/scenarios/cache_usage_after_parse", "jiter/scenarios/catch_duplicate_keys", "jiter/signatures"} <= failed
    assert "cache_usage(): at $: 0 on rust, 2 on python" in result.stdout
    assert "Python raised builtins.ValueError where Rust returned a value" in result.stdout
    assert "jiter.LosslessFloat.__init__: parameter 1 is 'raw' at runtime, 'json_float' in the stub" in result.stdout
