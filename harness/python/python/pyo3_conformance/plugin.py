"""The pytest plugin: every scenario file is a test of the installed binding.

A test asks for the `conformance_case` fixture, and the plugin parametrizes it with every
scenario under the fixtures directory (ini option `conformance_fixtures`, default `fixtures`
beside the rootdir), so each scenario is its own item with a readable id
(`test_conformance[seed/scenarios/store_basic]`) that `-k`, `--lf`, `-x` and `pytest-xdist`
handle as usual::

    def test_conformance(conformance_case):
        conformance_case.check()

`check()` runs the scenario's steps against the installed binding in this interpreter and
judges them against the Rust results `cargo test` recorded (`snapshots/<component>/*.snap`).
A divergence the component's ledger accepts is an expected failure (xfail, with the ledger's
reason); a ledger entry that no longer holds fails the test.
With `--conformance-update`, a Python side that differs is written beside the snapshot as
insta's `.snap.new`, for `cargo insta review`; never when the `CI` variable is set.
With `--conformance-report PATH`, the cases are also written to PATH in the gate's
`report.json` schema, each with the interpreter it ran in (rewritten as tests finish, whole at
the end; under pytest-xdist by the controller), for `conformance merge` across interpreters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyo3_conformance import _native


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pyo3-conformance")
    group.addoption(
        "--conformance-update",
        action="store_true",
        help="write a pending .snap.new (insta format) for each scenario whose Python side differs",
    )
    group.addoption(
        "--conformance-report",
        metavar="PATH",
        default=None,
        help="write the cases as a report.json (the gate's schema, the interpreter on every case)",
    )
    parser.addini("conformance_fixtures", "the fixtures directory, relative to the rootdir", default="fixtures")


def fixtures_dir(config: pytest.Config) -> Path:
    return Path(config.rootpath) / str(config.getini("conformance_fixtures"))


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@dataclass(frozen=True)
class ConformanceCase:
    """One scenario file, checked against its recorded Rust result."""

    id: str
    path: Path
    component: str
    update: bool

    def check(self) -> None:
        try:
            result = _native.check_scenario(self.path)
        except _native.HarnessError as error:
            pytest.fail(str(error), pytrace=False)
        _CASES[self.id] = result["case"]
        if result["status"] == "pass":
            return
        if result["status"] == "known":
            pytest.xfail(xfail_reason(result["ledger"]))
        report = result["report"] + "\n" + result["details"]
        if self.update:
            report += "\n" + self._write_pending(Path(result["snapshot"]), result["pending"])
        pytest.fail(report, pytrace=False)

    def _write_pending(self, snapshot: Path, body: str) -> str:
        if _in_ci():
            return "  (CI: no pending snapshot written)"
        pending = snapshot.with_name(snapshot.name + ".new")
        pending.write_text(f"---\nsource: pyo3_conformance pytest plugin (Python side)\n---\n{body}\n")
        return f"  pending: {pending} (review with `cargo insta review`)"


def xfail_reason(ledger: list[str]) -> str:
    """The xfail reason of a known case: each ledger reason once, however many of the case's
    failures its entry accepts."""
    return "known divergence (ledger): " + "; ".join(dict.fromkeys(ledger))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "conformance_case" not in metafunc.fixturenames:
        return
    config = metafunc.config
    root = fixtures_dir(config)
    update = bool(config.getoption("conformance_update"))
    cases = [
        ConformanceCase(case["id"], Path(case["path"]), case["component"], update) for case in _native.discover(root)
    ]
    metafunc.parametrize("conformance_case", cases, ids=[case.id for case in cases])


# The report cases of the tests this process ran, by case id (for --conformance-report).
_CASES: dict[str, str] = {}
_REPORT_KEY = "conformance_case"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    case = getattr(item, "callspec", None) and item.callspec.params.get("conformance_case")
    if call.when == "call" and isinstance(case, ConformanceCase) and case.id in _CASES:
        # user_properties travel to an xdist controller with the report.
        outcome.get_result().user_properties.append((_REPORT_KEY, _CASES.pop(case.id)))


class _ReportWriter:
    """Collects the cases' reports and rewrites PATH as they arrive."""

    def __init__(self, path: Path, fixtures: Path) -> None:
        self.path = path
        self.fixtures = fixtures
        self.cases: list[str] = []

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = [value for key, value in report.user_properties if key == _REPORT_KEY]
        if found:
            self.cases.extend(found)
            self.write(complete=False)

    @pytest.hookimpl
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.write(complete=True)

    def write(self, complete: bool) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(_native.report_json(self.cases, complete, self.fixtures))
        partial.replace(self.path)


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("conformance_report", None)
    # Under pytest-xdist only the controller writes (workers have `workerinput`).
    if path and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_ReportWriter(Path(path), fixtures_dir(config)), "conformance-report-writer")
