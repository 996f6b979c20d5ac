"""`conformance gate` as CI consumes it: JUnit XML that parses as JUnit, a Markdown summary,
and a report.json in the committed schema's shape."""

from __future__ import annotations

import json
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
    assert result.stdout.splitlines()[-1].endswith(" passed, 0 failed")
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


def test_report_json_has_the_documented_shape(reports: Path) -> None:
    report = json.loads((reports / "report.json").read_text())
    assert set(report["summary"]) == {"total", "passed", "failed", "known"}
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
    assert f"of {expected_cases()} cases" in summary
    assert "| component | passed | failed | known |" in lines
