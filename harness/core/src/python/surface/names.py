"""What `stub.py` and `runtime.py` share, prepended to each by the harness: which names are part
of an API surface (so both judge a name the same way), and the shape both write."""


def _public(name):
    return not name.startswith("_")


# Dunders a class defines that say nothing a type checker reads, or that every object has.
_IGNORED_DUNDERS = set(dir(object)) | {
    "__dict__", "__weakref__", "__module__", "__doc__", "__annotations__", "__slots__",
    "__text_signature__", "__match_args__", "__firstlineno__", "__static_attributes__",
    "__orig_bases__", "__parameters__", "__abstractmethods__", "__qualname__", "__getattr__",
    "__instancecheck__", "__subclasscheck__", "__subclasshook__", "__class_getitem__",
    "__annotate__", "__annotate_func__", "__annotations_cache__", "__classdictcell__",
    "__vectorcalloffset__", "__getnewargs__", "__getnewargs_ex__", "__reduce__", "__final__",
}


def _dunder(name):
    return name.startswith("__") and name.endswith("__")


def _listed(name):
    """Whether a name a class defines is part of the surface without being asked for: public
    names, and the dunders that give it behaviour (`__len__`, `__deepcopy__`) beyond `object`'s."""
    return _public(name) or (_dunder(name) and name not in _IGNORED_DUNDERS)


def _member(kind, **fields):
    return {kind: fields}


def _unknown(note):
    return {"params": None, "returns": None, "note": note}


def _qualified(cls):
    module = getattr(cls, "__module__", None)
    if module == "_collections_abc":
        module = "collections.abc"
    return f"{module}.{getattr(cls, '__qualname__', cls.__name__)}"
