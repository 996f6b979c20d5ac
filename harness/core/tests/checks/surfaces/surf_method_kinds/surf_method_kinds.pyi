from typing_extensions import Self

class Factory:
    @classmethod
    def from_text(cls, text: str) -> Self: ...
    @staticmethod
    def version() -> str: ...
    @staticmethod
    def from_bytes(data: bytes) -> Factory: ...  # seeded: a classmethod at runtime
    @classmethod
    def with_size(cls, n: int) -> Self: ...  # seeded: the runtime calls it 'size'
    def build(self) -> Self: ...
