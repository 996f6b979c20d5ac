"""Stands in for a compiled `_native` module: its members name the module without its package."""


class Err(Exception):
    pass


class Codec:
    def __init__(self, level=3):
        self.level = level


def encode(data, level=3):
    return data


for _member in (Err, Codec, encode):
    _member.__module__ = "_native"
