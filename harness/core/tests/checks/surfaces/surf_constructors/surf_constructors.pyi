class Forwarding:
    def __init__(self, size: int, *, label: str = "x") -> None: ...

class Made:
    def __new__(cls, size: int, label: str = "x") -> Made: ...

class Drifted:
    def __init__(self, size: int, *, label: str = "x") -> None: ...  # seeded: label is keyword-only
