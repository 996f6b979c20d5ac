"""Classes whose stub states base classes: one the runtime lacks, one it has."""

from collections.abc import Mapping


class Frozen:
    def __init__(self, items=()):
        self._items = frozenset(items)

    def __contains__(self, item):
        return item in self._items

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def union(self, other):
        return Frozen(self._items | other._items)


class Table(Mapping):
    def __getitem__(self, key):
        raise KeyError(key)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0
