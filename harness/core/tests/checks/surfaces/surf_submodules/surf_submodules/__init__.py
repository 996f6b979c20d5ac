"""Submodules as members, and a class PyO3 left in `builtins` (a `#[pyclass]` naming no module)."""

from . import meta


class Token:
    def __init__(self, text):
        self.text = text


Token.__module__ = "builtins"
