"""Constructors split over `__new__` and `__init__`, as PyO3 and Python subclasses make them."""


class Forwarding:
    """`__new__` only passes through: callers meet `__init__`."""

    def __new__(cls, *args, **kwargs):
        return super().__new__(cls)

    def __init__(self, size, *, label="x"):
        self.size = size


class Made:
    """`__init__` is `object.__init__`: callers meet `__new__`."""

    def __new__(cls, size, label="x"):
        return super().__new__(cls)


class Drifted:
    def __new__(cls, *args, **kwargs):
        return super().__new__(cls)

    def __init__(self, size, label="x"):
        self.size = size
