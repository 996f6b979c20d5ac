"""The Rust core of pyo3-conformance (see `pyo3_conformance`)."""

from os import PathLike
from typing import Any, TypedDict

class HarnessError(Exception):
    """Bad input: a broken fixture, a missing or outdated snapshot. Never a divergence."""

class Case(TypedDict):
    id: str
    path: str
    component: str

class Failure(TypedDict):
    kind: str
    step: int | None
    message: str
    path: str | None
    rust: str | None
    python: str | None

class Check(TypedDict):
    id: str
    component: str
    file: str
    passed: bool
    failures: list[Failure]
    report: str
    snapshot: str
    pending: str
    status: str
    ledger: list[str]
    details: str
    case: str

class Difference(TypedDict):
    path: str
    reason: str

def discover(fixtures: str | PathLike[str]) -> list[Case]: ...
def check_scenario(path: str | PathLike[str]) -> Check: ...
def report_json(cases: list[str], complete: bool, fixtures: str | PathLike[str]) -> str: ...
def encode(value: Any) -> str: ...
def decode(text: str) -> Any: ...
def compare(left: Any, right: Any) -> list[Difference]: ...
