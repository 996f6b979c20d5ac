"""Functions a stub describes with `@overload`s: the runtime must accept each."""


def parse(data, *, strict=False):
    return data


def convert(value, unit=None):
    return value


def pick(mode=None):
    return mode


class Reader:
    def read(self, size=-1):
        return b""
