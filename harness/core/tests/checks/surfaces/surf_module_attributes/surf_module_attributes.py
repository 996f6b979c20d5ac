"""Module-level attributes: constants, an instance, a type alias."""

from typing import Union

VERSION = "1.0"
MAX_SIZE = 10
DEFAULT = object()
Number = Union[int, float]
RATIO = "0.5"
