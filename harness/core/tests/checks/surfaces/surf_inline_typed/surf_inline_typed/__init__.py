"""An inline-typed package (PEP 561 `py.typed`, no `.pyi`): its annotated source is its stub."""

from ._impl import helper  # seeded: not a re-export by the typing spec
from ._impl import shared as shared


def greet(name: str, *, excited: bool = False) -> str:
    return name + ("!" if excited else "")


class Greeter:
    greeting: str

    def __init__(self, greeting: str = "hi") -> None:
        self.greeting = greeting

    def greet(self, name: str) -> str:
        return f"{self.greeting} {name}"
