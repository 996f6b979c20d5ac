"""Shared fixtures: paths into the repository, read in place (never copied into the tests)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import os

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SNAPSHOTS = ROOT / "snapshots"

# Set by ci/wheel-test: only the built wheels and pytest are installed (no CLI, no Rust, no
# third-party wheels), and tests that need more are skipped, saying so.
PYTHON_ONLY = os.environ.get("PYO3_CONFORMANCE_PYTHON_ONLY") == "1"
needs_full_setup = pytest.mark.skipif(PYTHON_ONLY, reason="needs the CLI and third-party wheels (ci/setup)")


def components() -> list[Path]:
    """Every component directory under fixtures/ (those with a manifest)."""
    return sorted(p.parent for p in FIXTURES.glob("*/manifest.json"))


def scenario_files(component: Path) -> list[Path]:
    """A component's scenario files, where the harness looks for them."""
    found: list[Path] = []
    for folder in ("scenarios", "regressions"):
        found.extend((component / folder).rglob("*.json"))
    return sorted(found)


@pytest.fixture(scope="session")
def conformance() -> str:
    """The installed CLI (ci/setup puts it in .venv/bin)."""
    if PYTHON_ONLY:
        pytest.skip("the CLI is not part of a wheel-only environment")
    path = shutil.which("conformance") or str(ROOT / ".venv" / "bin" / "conformance")
    if not Path(path).exists():
        pytest.fail("the conformance CLI is not installed: run ci/setup")
    return path


@pytest.fixture(scope="session")
def seed_manifest() -> dict:
    return json.loads((FIXTURES / "seed" / "manifest.json").read_text())
