"""Parameter names no caller can use, and one a caller can."""


def total(*numbers, **options):
    return sum(numbers)


def key_of(item, /):
    return str(item)


def legacy(first, second):
    return first + second


def renamed(value, *, scale=1):
    return value * scale
