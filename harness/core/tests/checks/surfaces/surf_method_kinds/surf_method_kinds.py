"""Classmethods and staticmethods, each its own kind of member."""


class Factory:
    @classmethod
    def from_text(cls, text):
        return cls()

    @staticmethod
    def version():
        return "1"

    @classmethod
    def from_bytes(cls, data):
        return cls()

    @classmethod
    def with_size(cls, size):
        return cls()

    def build(self):
        return self
