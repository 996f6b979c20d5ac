"""A package re-exporting its private native module (`from ._native import Err`), whose members
say `__module__ == "_native"` as `create_exception!(_native, Err, ...)` makes them."""

from ._native import Codec, Err, encode
