"""The seed binding as a Python user receives it: importable, typed, and complete."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def module(seed_manifest: dict):
    return importlib.import_module(seed_manifest["module"])


def test_ships_a_stub_and_py_typed(module) -> None:
    package = Path(module.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "__init__.pyi").exists()


def test_every_manifest_member_exists_at_runtime_and_in_the_stub(module, seed_manifest: dict) -> None:
    stub = ast.parse((Path(module.__file__).parent / "__init__.pyi").read_text())
    stub_functions = {n.name for n in stub.body if isinstance(n, ast.FunctionDef)}
    stub_classes = {n.name: n for n in stub.body if isinstance(n, ast.ClassDef)}
    for name in seed_manifest["functions"]:
        assert callable(getattr(module, name)), name
        assert name in stub_functions, name
    for name, spec in seed_manifest["classes"].items():
        cls = getattr(module, name)
        members = {n.name for n in stub_classes[name].body if isinstance(n, ast.FunctionDef)}
        for method in spec.get("methods", {}):
            assert callable(getattr(cls, method)), f"{name}.{method}"
            assert method in members, f"{name}.{method}"
        for prop in spec.get("properties", {}):
            assert isinstance(getattr(cls, prop), property) or hasattr(getattr(cls, prop), "__get__")
            assert prop in members, f"{name}.{prop}"


def test_every_contracted_exception_exists(module, seed_manifest: dict) -> None:
    import builtins

    for kind, mapping in seed_manifest["errors"].items():
        owner, _, name = mapping["exception"].rpartition(".")
        source = builtins if owner == "builtins" else importlib.import_module(owner)
        exception = getattr(source, name)
        assert issubclass(exception, Exception), f"{kind} -> {mapping['exception']}"
