from typing import Final, TypeAlias, Union

VERSION: str
MAX_SIZE: Final = 10
DEFAULT: object
Number: TypeAlias = Union[int, float]
JSONType: TypeAlias = Union[dict[str, object], list[object], str]  # seeded: missing at runtime
RATIO: float  # seeded: a str at runtime
