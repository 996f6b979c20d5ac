"""The bundled fixtures, read in place: together they exercise every declared operation."""

from __future__ import annotations

import json

import pytest

from conftest import components, scenario_files


def operations(manifest: dict) -> set[str]:
    ops = set(manifest.get("functions", {})) | set(manifest.get("attributes", {}))
    for name, spec in manifest.get("classes", {}).items():
        if spec.get("constructor", {}) is not None:  # null: Python cannot instantiate it
            ops.add(name)
        ops.update(f"{name}.{m}" for m in spec.get("methods", {}))
        ops.update(f"{name}.{p}" for p in spec.get("properties", {}))
    return ops


def result_class(manifest: dict, operation: str) -> str | None:
    """The declared class of an operation's result, if it is an object (what `bind` keeps)."""
    classes = manifest.get("classes", {})
    if operation in classes:
        return operation
    if "." in operation:
        cls, member = operation.split(".", 1)
        spec = classes[cls]
        declared = spec.get("methods", {}).get(member) or spec.get("properties", {}).get(member) or {}
        returns = declared.get("returns") or declared.get("type")
    else:
        declared = manifest.get("functions", {}).get(operation) or manifest.get("attributes", {}).get(operation)
        returns = (declared or {}).get("returns") or (declared or {}).get("type")
    return returns if returns in classes else None


def exercised(scenario: dict, manifest: dict) -> set[str]:
    classes: dict[str, str] = {}
    used = set()
    for step in scenario["steps"]:
        if "new" in step:
            operation = step["new"]
        elif "on" in step:
            member = step.get("call") or step.get("get") or step.get("set")
            operation = f"{classes[step['on']]}.{member}"
        else:
            operation = step.get("call") or step.get("get")
        used.add(operation)
        bound = result_class(manifest, operation)
        if "bind" in step and bound:
            classes[step["bind"]] = bound
    return used


@pytest.mark.parametrize("component", components(), ids=lambda c: c.name)
def test_scenarios_call_every_declared_operation(component) -> None:
    manifest = json.loads((component / "manifest.json").read_text())
    used: set[str] = set()
    for path in scenario_files(component):
        used |= exercised(json.loads(path.read_text()), manifest)
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
