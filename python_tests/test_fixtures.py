"""The bundled fixtures, read in place: together they exercise every declared operation."""

from __future__ import annotations

import json

import pytest

from conftest import components, scenario_files


def operations(manifest: dict) -> set[str]:
    ops = set(manifest.get("functions", {}))
    for name, spec in manifest.get("classes", {}).items():
        ops.add(name)
        ops.update(f"{name}.{m}" for m in spec.get("methods", {}))
        ops.update(f"{name}.{p}" for p in spec.get("properties", {}))
    return ops


def exercised(scenario: dict) -> set[str]:
    classes: dict[str, str] = {}
    used = set()
    for step in scenario["steps"]:
        if "new" in step:
            used.add(step["new"])
            if "bind" in step:
                classes[step["bind"]] = step["new"]
        elif "on" in step:
            used.add(f"{classes[step['on']]}.{step.get('call') or step.get('get')}")
        else:
            used.add(step["call"])
    return used


@pytest.mark.parametrize("component", components(), ids=lambda c: c.name)
def test_scenarios_call_every_declared_operation(component) -> None:
    manifest = json.loads((component / "manifest.json").read_text())
    used: set[str] = set()
    for path in scenario_files(component):
        used |= exercised(json.loads(path.read_text()))
    assert operations(manifest) - used == set(), "operations no scenario calls"


@pytest.mark.parametrize("component", components(), ids=lambda c: c.name)
def test_scenarios_exercise_every_contracted_error_kind(component) -> None:
    manifest = json.loads((component / "manifest.json").read_text())
    raised = {
        step["raises"]
        for path in scenario_files(component)
        for step in json.loads(path.read_text())["steps"]
        if "raises" in step
    }
    assert set(manifest.get("errors", {})) - raised == set(), "error kinds no scenario raises"
