"""The API surface of a live module, read the way Python resolves names, as plain data.

Run inside the harness's embedded interpreter; the Rust side reads the result into
`pyo3_conformance_model::Surface` (the shape is documented in `stub.py`, which writes the same).

Why it reads more than `vars()`: real bindings are rarely one flat compiled module. A public
class is often a thin Python subclass of a compiled one (`class Environment(_lowlevel.Environment)`),
exceptions made with `create_exception!(_native, Err, ...)` say `__module__ == "_native"` while the
package re-exports them, PyO3 classes that name no module say `builtins`, submodules are module
attributes, and error-kind classes nest inside classes. So:

- members come from the class's MRO, through every class that belongs to the package (a compiled
  base included), stopping at builtin and foreign bases (their members are read only when named);
- every name the manifest or the stub mentions (`wanted`, a tree of names) is looked up with
  `inspect.getattr_static`, dunders included, so nothing declared is "missing" by omission;
- a module member belongs to the module by `__all__`, by its `__module__` (the package, a private
  module of it, or `builtins` for a class builtins does not have), or by identity with an attribute
  of one of the package's submodules;
- the constructor is the signature callers meet: `__init__` where `__new__` only passes
  `(*args, **kwargs)` through, `__new__` (or the compiled class's `__text_signature__`) where
  `__init__` is `object.__init__`.
"""

import builtins
import collections.abc
import importlib
import inspect
import sys
import types

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}
# Nested classes and submodules are read this deep at most (a class attribute may refer back).
_MAX_DEPTH = 6
# Virtual base classes a stub may name that no MRO lists (`class M(Mapping[K, V])`).
_ABCS = [
    value
    for value in vars(collections.abc).values()
    if isinstance(value, type) and value.__module__ in ("collections.abc", "_collections_abc")
]





def _builtin(cls):
    return getattr(builtins, cls.__name__, None) is cls


# ---------------------------------------------------------------------------------------------
# what belongs to the package


class _Package:
    """The package a module is part of: what counts as its own."""

    def __init__(self, module):
        self.module = module
        self.name = module.__name__
        self.top = self.name.split(".")[0]
        self._seen = -1
        self._submodules = {}
        self._last_names = set()

    def submodules(self):
        """The package's imported submodules by name, read again only when `sys.modules` has
        grown (reading a stub-promised submodule imports it)."""
        if len(sys.modules) != self._seen:
            self._seen = len(sys.modules)
            self._submodules = {
                key: module
                for key, module in list(sys.modules.items())
                if key.startswith(self.top + ".") and isinstance(module, types.ModuleType)
            }
            self._last_names = {key.rsplit(".", 1)[-1] for key in self._submodules}
        return self._submodules

    def owns_module_name(self, owner):
        if not isinstance(owner, str):
            return False
        if owner == self.top or owner.startswith(self.top + "."):
            return True
        # A private native module named without its package (`create_exception!(_native, ...)`):
        # ours if the package has a submodule of that name.
        self.submodules()
        return owner.rsplit(".", 1)[-1] in self._last_names

    def defines(self, value):
        """Whether a class or function was defined by the package, by its `__module__` alone:
        what the reader walks the members of (a stdlib class a submodule re-exports is not)."""
        owner = getattr(value, "__module__", None)
        if owner == "builtins":
            # PyO3 names `builtins` for a class that names no module; real builtins are not ours.
            return isinstance(value, type) and not _builtin(value)
        return self.owns_module_name(owner)

    def owns(self, value):
        """Whether a class or function is a member the package exposes: one it defines, or one
        identical to a member of one of its submodules."""
        if self.defines(value):
            return True
        if getattr(value, "__module__", None) == "builtins":
            return False
        name = getattr(value, "__name__", "")
        return any(getattr(submodule, name, None) is value for submodule in self.submodules().values())

    def owns_submodule(self, value):
        name = getattr(value, "__name__", "")
        if name.startswith(self.name + ".") or name.startswith(self.top + "."):
            return True
        # A PyO3 submodule (`add_submodule`) is often named without its package: ours unless it
        # is a module imported under its own name (`import os`).
        return sys.modules.get(name) is not value


# ---------------------------------------------------------------------------------------------
# signatures


def _annotation(value):
    if value is inspect.Parameter.empty or value is inspect.Signature.empty:
        return None
    if isinstance(value, str):
        return value
    return inspect.formatannotation(value)


def _params(signature):
    params = []
    for parameter in signature.parameters.values():
        if parameter.default is inspect.Parameter.empty:
            default = None
        elif parameter.default is Ellipsis:
            default = {"opaque": "..."}
        else:
            default = {"value": parameter.default}
        params.append(
            {
                "name": parameter.name,
                "kind": _KINDS[parameter.kind],
                "annotation": _annotation(parameter.annotation),
                "default": default,
            }
        )
    return params


def _signature(obj, drop_first):
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError) as error:
        return _unknown(f"no signature at runtime: {error}")
    params = _params(signature)
    if drop_first and params and params[0]["kind"] in ("positional_only", "positional_or_keyword"):
        params = params[1:]
    return {"params": params, "returns": _annotation(signature.return_annotation), "note": None}


def _passthrough(signature):
    """`(*args, **kwargs)` (after `self`/`cls`): a constructor half that only passes through."""
    params = signature["params"]
    return params is not None and [p["kind"] for p in params] in (
        ["var_positional", "var_keyword"],
        ["var_positional"],
        ["var_keyword"],
        [],
    )


def _compiled_text_signature(klass):
    """The constructor signature a compiled class states in its own doc (`__text_signature__`
    of that class, not one inherited through `__doc__`)."""
    try:
        text = type.__dict__["__text_signature__"].__get__(klass)
    except (KeyError, TypeError, AttributeError):
        return None
    return _signature(klass, False) if text else None


# Py_TPFLAGS_DISALLOW_INSTANTIATION: a compiled class without a constructor of its own (a PyO3
# class with no `#[new]`), whose `__new__` lookup still finds a base's.
_DISALLOW_INSTANTIATION = 1 << 7


def _constructor(cls):
    """The signature callers meet: the nearest half of `__init__`/`__new__` that does more than
    pass `(*args, **kwargs)` through; `None` where Python refuses to make instances."""
    if cls.__flags__ & _DISALLOW_INSTANTIATION:
        return None
    fallback = None
    for klass in cls.__mro__:
        if klass is object:
            break
        namespace = vars(klass)
        init = namespace.get("__init__")
        new = namespace.get("__new__")
        if isinstance(new, staticmethod):
            new = new.__func__
        found = []
        if isinstance(init, types.FunctionType):
            found.append(_signature(init, True))
        if isinstance(new, types.FunctionType):
            found.append(_signature(new, True))
        if not found and (init is not None or new is not None):
            text = _compiled_text_signature(klass)
            if text is not None:
                found.append(text)
        for signature in found:
            if not _passthrough(signature):
                return signature
            fallback = fallback or signature
    return fallback or _signature(cls, False)


# ---------------------------------------------------------------------------------------------
# classes


def _disjoint(cls):
    """PEP 800: whether instances have a layout of their own, not the base's plus the `__dict__`
    and `__weakref__` slots every Python subclass adds."""
    base = cls.__base__
    if base is None:
        return True
    if cls.__itemsize__ != base.__itemsize__:
        return True
    size = cls.__basicsize__
    pointer = object.__basicsize__ // 2
    if cls.__weakrefoffset__ and not base.__weakrefoffset__:
        size -= pointer
    if cls.__dictoffset__ > 0 and not base.__dictoffset__:
        size -= pointer
    return size != base.__basicsize__


def _bases(cls, module):
    names = set()
    for klass in cls.__mro__[1:]:
        if klass is object:
            continue
        names.add(_qualified(klass))
        exposed = getattr(module, klass.__name__, None)
        if exposed is klass:
            names.add(f"{module.__name__}.{klass.__name__}")
    for abc in _ABCS:
        try:
            if issubclass(cls, abc):
                names.add(_qualified(abc))
        except TypeError:
            pass
    return sorted(names)


def _typing_form(value):
    """A type alias, union or type variable: callable, but an attribute to a type checker."""
    return not inspect.isroutine(value) and type(value).__module__ in ("typing", "typing_extensions", "types")


def _wholly_reexported(submodule, module):
    """Whether `submodule` is the package's compiled extension, every public member of which
    the package re-exports (maturin's layout: `pkg/__init__.py` does `from .pkg import *`).
    Then the package's stub covers it; it is not an API of its own."""
    origin = getattr(getattr(submodule, "__spec__", None), "origin", None) or ""
    if not origin.endswith((".so", ".pyd")):
        return False
    names = [
        n
        for n in dir(submodule)
        if _public(n) and not isinstance(getattr(submodule, n, None), types.ModuleType)
    ]
    return all(getattr(module, n, None) is getattr(submodule, n) for n in names)


class _Reader:
    def __init__(self, module):
        self.module = module
        self.package = _Package(module)
        self.reading = set()
        self.classes = {}  # (id, wanted) -> member: a class reached twice is read once

    def class_names(self, cls, wanted):
        names = []
        for klass in cls.__mro__:
            if klass is object or _builtin(klass) or not self.package.defines(klass):
                continue
            names += [n for n in vars(klass) if _listed(n) and n not in names]
        return names + [n for n in wanted if n not in names]

    def class_member(self, cls, name, wanted, depth):
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, (classmethod, types.ClassMethodDescriptorType)):
            return _member("classmethod", signature=_signature(getattr(cls, name), False))
        if isinstance(raw, staticmethod):
            return _member("staticmethod", signature=_signature(getattr(cls, name), False))
        if isinstance(raw, property):
            return _member("property", annotation=None, settable=raw.fset is not None)
        if isinstance(raw, (types.GetSetDescriptorType, types.MemberDescriptorType)):
            # A compiled descriptor does not tell whether it has a setter.
            return _member("property", annotation=None, settable=None)
        if type(raw).__name__ == "cached_property":
            return _member("property", annotation=None)
        if isinstance(raw, type):
            if name in wanted or (name in vars(cls) and self.package.defines(raw)):
                return self.klass(raw, wanted.get(name, {}), depth + 1)
            if name not in vars(cls):
                return None  # a nested class of a base (error kinds nest in their base class)
            return _member("attribute", annotation=None, value_type="builtins.type")
        if callable(raw):
            return _member("method", signature=_signature(raw, True))
        return _member("attribute", annotation=None, value_type=_qualified(type(raw)))

    def klass(self, cls, wanted, depth):
        if id(cls) in self.reading or depth > _MAX_DEPTH:
            return _member("attribute", annotation=None, value_type="builtins.type")
        key = (id(cls), repr(sorted(wanted.items())))
        if key not in self.classes:
            self.reading.add(id(cls))
            try:
                self.classes[key] = self.read_class(cls, wanted, depth)
            finally:
                self.reading.discard(id(cls))
        return self.classes[key]

    def read_class(self, cls, wanted, depth):
        members = {}
        for name in self.class_names(cls, wanted):
            if name in ("__init__", "__new__"):
                continue
            try:
                member = self.class_member(cls, name, wanted, depth)
            except AttributeError:
                continue
            if member is not None:
                members[name] = member
        bases = _bases(cls, self.module)
        if issubclass(cls, BaseException):
            return _member("exception", constructor=None, members=members, bases=bases)
        # A class without Py_TPFLAGS_BASETYPE cannot be subclassed: PyO3's default, which a
        # stub says with @final.
        final = not cls.__flags__ & (1 << 10) or bool(getattr(cls, "__final__", False))
        return _member(
            "class",
            constructor=_constructor(cls),
            members=members,
            final=final,
            bases=bases,
            # Own `__slots__` already say so to a type checker (as stubtest reasons).
            disjoint=_disjoint(cls) and not vars(cls).get("__slots__"),
        )

    def module_members(self, module, wanted, depth):
        declared_all = _declared_all(module)
        names = list(declared_all) if declared_all is not None else [n for n in dir(module) if _public(n)]
        names += [n for n in wanted if n not in names]
        # A public submodule is a member whether or not `__all__` lists it.
        names += [
            n
            for n in dir(module)
            if _public(n) and n not in names and isinstance(getattr(module, n, None), types.ModuleType)
        ]
        members = {}
        for name in names:
            try:
                value = getattr(module, name)
            except Exception:  # noqa: BLE001 - a module `__getattr__` may raise anything
                value = self.submodule(module, name) if name in wanted else None
                if value is None:
                    continue
            named = name in wanted or name in (declared_all or ())
            member = self.module_member(module, value, wanted.get(name, {}), named, depth)
            if member is not None:
                members[name] = member
        return members

    def submodule(self, module, name):
        """A submodule the stub promises but the package has not imported yet (a user's
        `import pkg.name` would import it)."""
        if not hasattr(module, "__path__"):
            return None
        try:
            return importlib.import_module(f"{module.__name__}.{name}")
        except Exception:  # noqa: BLE001 - any failure means "not there"
            return None

    def module_member(self, parent, value, wanted, named, depth):
        if isinstance(value, types.ModuleType):
            if not (named or self.package.owns_submodule(value)):
                return None
            if not named and _wholly_reexported(value, parent):
                return None
            if depth >= _MAX_DEPTH or id(value) in self.reading or not self.package.owns_submodule(value):
                return _member("module", members=None, all=None)
            self.reading.add(id(value))
            try:
                members = self.module_members(value, wanted, depth + 1)
                return _member("module", members=members, all=_declared_all(value))
            finally:
                self.reading.discard(id(value))
        if (callable(value) or isinstance(value, type)) and not named and not self.package.owns(value):
            return None  # a name the module imported (`typing.final`): not its API
        if isinstance(value, type):
            return self.klass(value, wanted, depth)
        if callable(value) and not _typing_form(value):
            return _member("function", signature=_signature(value, False))
        return _member("attribute", annotation=None, value_type=_qualified(type(value)))


def _declared_all(module):
    names = getattr(module, "__all__", None)
    if isinstance(names, (list, tuple)) and all(isinstance(n, str) for n in names):
        return list(names)
    return None


def runtime(module, wanted=None):
    """The runtime surface of `module`. `wanted` is a tree of names (`{"Class": {"__len__": {}}}`)
    that the manifest or the stub mention: each is looked up even when private or inherited."""
    wanted = wanted or {}
    reader = _Reader(module)
    surface = {"members": reader.module_members(module, wanted, 0)}
    if _declared_all(module) is not None:
        surface["all"] = _declared_all(module)
    return surface
