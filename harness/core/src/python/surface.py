"""The API surface of a module as the runtime and as its stub see it, as plain data.

Run inside the harness's embedded interpreter. `runtime(module)` reads the live objects with
`inspect`; `stub(path)` reads a `.pyi` file with `ast`, without importing anything. Both return
the same shape, which the Rust side reads into `pyo3_conformance_model::Surface`:

    {"members": {name: member}}
    member = {"function" | "method" | "classmethod" | "staticmethod": {"signature": sig}}
           | {"class": {"constructor": sig | None, "members": {...}, "final": bool}}
           | {"exception": {"constructor": None, "members": {name: member}}}
           | {"property" | "attribute": {"annotation": str | None}}
           | {"inherited": {"base": str}}    (stub only: a name a class gets from a base the
                                             stub imports, such as `Mapping.get`)
    sig    = {"params": [param] | None, "returns": str | None, "note": str | None}
    param  = {"name": str, "kind": str, "annotation": str | None,
              "default": None | {"value": object} | {"opaque": text}}

Defaults stay Python objects (the Rust side turns them into canonical values), except those
no source states: `...` in a stub, or `Ellipsis` from a `__text_signature__`, is "opaque".
"""

import ast
import builtins
import importlib.util
import inspect
import os
import sys
import types

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}
_UNKNOWN = {"params": None, "returns": None, "note": None}


def _public(name):
    return not name.startswith("_")


def _member(kind, **fields):
    return {kind: fields}


def _unknown(note):
    return dict(_UNKNOWN, note=note)


# ---------------------------------------------------------------------------------------------
# runtime


def _annotation(value):
    if value is inspect.Parameter.empty or value is inspect.Signature.empty:
        return None
    if isinstance(value, str):
        return value
    return inspect.formatannotation(value)


def _runtime_signature(obj, drop_first):
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError) as error:
        return _unknown(f"no signature at runtime: {error}")
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
    if drop_first and params and params[0]["kind"] in ("positional_only", "positional_or_keyword"):
        params = params[1:]
    return {"params": params, "returns": _annotation(signature.return_annotation), "note": None}


def _runtime_class_member(cls, name):
    raw = inspect.getattr_static(cls, name)
    if isinstance(raw, (classmethod, types.ClassMethodDescriptorType)):
        return _member("classmethod", signature=_runtime_signature(getattr(cls, name), False))
    if isinstance(raw, staticmethod):
        return _member("staticmethod", signature=_runtime_signature(getattr(cls, name), False))
    if isinstance(raw, (property, types.GetSetDescriptorType, types.MemberDescriptorType)):
        return _member("property", annotation=None)
    if callable(raw):
        return _member("method", signature=_runtime_signature(raw, True))
    return _member("attribute", annotation=None)


def _runtime_class(cls, wanted):
    names = [n for n in vars(cls) if _public(n)]
    names += [n for n in wanted if n not in names]
    members = {}
    for name in names:
        if name in ("__init__", "__new__"):
            continue
        try:
            inspect.getattr_static(cls, name)
        except AttributeError:
            continue
        members[name] = _runtime_class_member(cls, name)
    if issubclass(cls, BaseException):
        return _member("exception", constructor=None, members=members)
    # A class without Py_TPFLAGS_BASETYPE cannot be subclassed: PyO3's default, which a stub
    # says with @final.
    final = not cls.__flags__ & (1 << 10) or getattr(cls, "__final__", False)
    return _member("class", constructor=_runtime_signature(cls, False), members=members, final=final)


def _imported_from_elsewhere(value, module):
    """Whether a module attribute is a function or class another package defines (a name the
    module imported, such as `typing.final`), which is not part of its API."""
    owner = getattr(value, "__module__", None)
    if not isinstance(owner, str) or not (callable(value) or isinstance(value, type)):
        return False
    return owner.split(".")[0] != module.__name__.split(".")[0]


def runtime(module, wanted=None):
    """The runtime surface of `module`. `wanted` maps class names to member names worth
    looking up even when private or inherited (the dunders a stub declares, say)."""
    wanted = wanted or {}
    members = {}
    for name in [n for n in dir(module) if _public(n)]:
        try:
            value = getattr(module, name)
        except AttributeError:
            continue
        if isinstance(value, types.ModuleType) or _imported_from_elsewhere(value, module):
            continue
        if isinstance(value, type):
            members[name] = _runtime_class(value, wanted.get(name, []))
        elif callable(value):
            members[name] = _member("function", signature=_runtime_signature(value, False))
        else:
            members[name] = _member("attribute", annotation=None)
    return {"members": members}


# ---------------------------------------------------------------------------------------------
# stub


def _text(node):
    return None if node is None else ast.unparse(node)


def _stub_default(node):
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return {"opaque": "..."}
    try:
        return {"value": ast.literal_eval(node)}
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return {"opaque": ast.unparse(node)}


def _stub_signature(function, drop_first):
    args = function.args
    params = []
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults)):
        kind = "positional_only" if index < len(args.posonlyargs) else "positional_or_keyword"
        params.append((arg, kind, default))
    if args.vararg:
        params.append((args.vararg, "var_positional", None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append((arg, "keyword_only", default))
    if args.kwarg:
        params.append((args.kwarg, "var_keyword", None))
    if drop_first and params and params[0][1] in ("positional_only", "positional_or_keyword"):
        params = params[1:]
    return {
        "params": [
            {
                "name": arg.arg,
                "kind": kind,
                "annotation": _text(arg.annotation),
                "default": None if default is None else _stub_default(default),
            }
            for arg, kind, default in params
        ],
        "returns": _text(function.returns),
        "note": None,
    }


def _decorators(function):
    return {ast.unparse(d).rsplit(".", 1)[-1] for d in function.decorator_list}


def _flatten(body):
    """Module or class statements, looking inside `if`/`try` blocks (version checks)."""
    for node in body:
        if isinstance(node, ast.If):
            yield from _flatten(node.body)
            yield from _flatten(node.orelse)
        elif isinstance(node, ast.Try):
            yield from _flatten(node.body)
        else:
            yield node


def _stub_functions(body, in_class):
    """Function members of a body, with overloads collapsed."""
    members = {}
    for node in _flatten(body):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorators = _decorators(node)
        plain = "method" if in_class else "function"
        if "overload" in decorators:
            members[node.name] = _member(plain, signature=_unknown("overloaded in the stub"))
        elif in_class and ("property" in decorators or "cached_property" in decorators):
            members[node.name] = _member("property", annotation=_text(node.returns))
        elif in_class and any(d in ("setter", "deleter") for d in decorators):
            continue
        elif in_class and "staticmethod" in decorators:
            members[node.name] = _member("staticmethod", signature=_stub_signature(node, False))
        elif in_class and "classmethod" in decorators:
            members[node.name] = _member("classmethod", signature=_stub_signature(node, True))
        else:
            members[node.name] = _member(plain, signature=_stub_signature(node, in_class))
    return members


def _exception_names(tree):
    """Classes whose bases, followed within the stub, reach a builtin exception."""
    bases = {}
    for node in _flatten(tree.body):
        if isinstance(node, ast.ClassDef):
            bases[node.name] = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]

    def builtin_exception(name):
        value = getattr(builtins, name, None)
        return isinstance(value, type) and issubclass(value, BaseException)

    known = set()
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in known and any(p in known or builtin_exception(p) for p in parents):
                known.add(name)
                changed = True
    return known


def _imported(tree):
    """Names the stub imports, mapped to (module, attribute)."""
    names = {}
    for node in _flatten(tree.body):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name] = (alias.name, None)
    return names


def _base_members(base, imported, local):
    """The member names a stub class inherits from `base` (an expression), where they can be
    known: builtins, classes the stub imports (their real runtime classes), and local classes."""
    if isinstance(base, ast.Subscript):
        base = base.value
    name = ast.unparse(base)
    if name in local:
        return set(local[name])
    head, _, attribute = name.rpartition(".")
    try:
        if not head and name in imported:
            module, attribute = imported[name]
            value = importlib.import_module(module)
            value = getattr(value, attribute) if attribute else value
        elif head in imported and imported[head][1] is None:
            value = getattr(importlib.import_module(imported[head][0]), attribute)
        else:
            value = getattr(builtins, name)
    except (ImportError, AttributeError, ValueError):
        return set()
    if not isinstance(value, type):
        return set()
    # Only public names matter: a runtime dunder the stub does not state is never compared.
    return {name for name in dir(value) if _public(name)}


def stub(path):
    """The stub surface of the `.pyi` file at `path`."""
    with open(path, encoding="utf-8") as file:
        tree = ast.parse(file.read(), filename=path)
    exceptions = _exception_names(tree)
    imported = _imported(tree)
    local = {}
    members = {}
    for node in _flatten(tree.body):
        if isinstance(node, ast.ClassDef):
            body = _stub_functions(node.body, True)
            constructor = body.pop("__new__", None) or body.pop("__init__", None)
            body.pop("__init__", None)
            for item in _flatten(node.body):
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    body.setdefault(item.target.id, _member("attribute", annotation=_text(item.annotation)))
            local[node.name] = set(body)
            for base in node.bases:
                for name in _base_members(base, imported, local) - set(body):
                    body[name] = _member("inherited", base=ast.unparse(base))
                    local[node.name].add(name)
            if node.name in exceptions:
                members[node.name] = _member("exception", constructor=None, members=body)
                continue
            if constructor is None:
                # Inherited from a base the stub does not spell out: nothing to compare.
                signature = _unknown("no constructor in the stub")
            else:
                signature = next(iter(constructor.values()))["signature"]
            final = "final" in {ast.unparse(d).rsplit(".", 1)[-1] for d in node.decorator_list}
            members[node.name] = _member("class", constructor=signature, members=body, final=final)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            members[node.target.id] = _member("attribute", annotation=_text(node.annotation))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    members[target.id] = _member("attribute", annotation=None)
    members.update(_stub_functions(tree.body, False))
    return {"members": {name: member for name, member in members.items() if _public(name)}}


def dunders(surface):
    """For each class of a surface, its private and dunder members: what `runtime` must look
    up beyond the public names."""
    wanted = {}
    for name, member in surface["members"].items():
        kind, fields = next(iter(member.items()))
        if kind in ("class", "exception"):
            wanted[name] = [
                m for m, spec in fields["members"].items() if not _public(m) and "inherited" not in spec
            ]
    return wanted


def stub_path(module_name):
    """Where the stub of an importable module is: beside it, or in a `-stubs` package."""
    spec = importlib.util.find_spec(module_name)
    candidates = []
    if spec is not None and spec.origin:
        directory, filename = os.path.split(spec.origin)
        if filename.startswith("__init__."):
            candidates.append(os.path.join(directory, "__init__.pyi"))
        else:
            candidates.append(os.path.join(directory, filename.split(".", 1)[0] + ".pyi"))
    top, _, rest = module_name.partition(".")
    for entry in sys.path:
        base = os.path.join(entry, top + "-stubs", *(rest.split(".") if rest else []))
        candidates += [os.path.join(base, "__init__.pyi"), base + ".pyi"]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    return None
