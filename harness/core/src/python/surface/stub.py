"""The API surface a module's stub declares, read with `ast`, as plain data.

Run inside the harness's embedded interpreter. `stub(path, module)` reads a `.pyi` file — or,
for an inline-typed package (PEP 561 `py.typed`, no `.pyi`), the annotated `.py` source — and
returns the shape the Rust side reads into `pyo3_conformance_model::Surface`:

    {"members": {name: member}, "all": [name] | absent}
    member = {"function" | "method" | "classmethod" | "staticmethod": {"signature": sig}}
           | {"class": {"constructor": sig | None, "members": {...}, "final": bool,
                        "bases": [qualified name], "disjoint": bool}}
           | {"exception": {"constructor": None, "members": {...}, "bases": [...]}}
           | {"module": {"members": {...} | None, "all": [name] | None}}
           | {"property" | "attribute": {"annotation": str | None}}
           | {"inherited": {"base": str}}    (a name got from a base, such as `Mapping.get`)
           | {"reexported": {"from": str}}   (a name re-exported from a module with no stub)
    sig    = {"params": [param] | None, "returns": str | None, "note": str | None,
              "overloads": [sig]}
    param  = {"name": str, "kind": str, "annotation": str | None,
              "default": None | {"value": object} | {"opaque": text}}

What a stub exports follows the typing spec: its own definitions, names imported as `X as X`, by
`from m import *`, or listed in `__all__`; a re-export from the package's own private module
(`from ._native import Err as Err`) is read from that module's stub. Classes nest, `@overload`s
are kept one by one, and parameters named `__x` (the pre-3.8 spelling) are positional-only.
Nothing is imported except to resolve a base class the stub imports (its real runtime class).
"""

import ast
import builtins
import importlib
import importlib.util
import os
import sys

_SKIPPED_BASES = {"object", "Generic", "Protocol"}



def _text(node):
    return None if node is None else ast.unparse(node)


def _instance_attribute(member):
    """An attribute a class body annotates without `ClassVar`: set on instances, so the runtime
    class need not have it (as stubtest reads it too)."""
    fields = member.get("attribute")
    return fields is not None and not (fields["annotation"] or "").startswith("ClassVar")


class _ExpandAliases(ast.NodeTransformer):
    """Replaces private type aliases (`_Behavior = Literal["strict", "lenient"]`) by what they
    stand for: no caller can name them, and a default's type is judged against the expansion."""

    def __init__(self, aliases):
        self.aliases = aliases
        self.depth = 0

    def visit_Name(self, node):
        if node.id in self.aliases and self.depth < 8:
            self.depth += 1
            try:
                return self.visit(ast.parse(ast.unparse(self.aliases[node.id]), mode="eval").body)
            finally:
                self.depth -= 1
        return node


def _decorators(node):
    return {ast.unparse(d).rsplit(".", 1)[-1].split("(")[0] for d in node.decorator_list}


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


# ---------------------------------------------------------------------------------------------
# signatures


def _stub_default(node):
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return {"opaque": "..."}
    try:
        return {"value": ast.literal_eval(node)}
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return {"opaque": ast.unparse(node)}


def _old_style_positional(name):
    return name.startswith("__") and not name.endswith("__")


def _signature(function, drop_first, annotate):
    args = function.args
    params = []
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults)):
        kind = "positional_only" if index < len(args.posonlyargs) else "positional_or_keyword"
        params.append([arg, kind, default])
    if drop_first and params and params[0][1] in ("positional_only", "positional_or_keyword"):
        params = params[1:]
    # Before PEP 570, stubs spelled positional-only parameters `__x`.
    for param in params:
        if param[1] != "positional_or_keyword" or not _old_style_positional(param[0].arg):
            break
        param[1] = "positional_only"
    if args.vararg:
        params.append([args.vararg, "var_positional", None])
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append([arg, "keyword_only", default])
    if args.kwarg:
        params.append([args.kwarg, "var_keyword", None])
    return {
        "params": [
            {
                "name": arg.arg,
                "kind": kind,
                "annotation": annotate(arg.annotation),
                "default": None if default is None else _stub_default(default),
            }
            for arg, kind, default in params
        ],
        "returns": annotate(function.returns),
        "note": None,
    }


def _functions(body, in_class, annotate):
    """Function members of a body; `@overload`s kept one by one (an implementation after them,
    as an inline-typed `.py` has, is the runtime's business)."""
    members = {}
    overloads = {}
    for node in _flatten(body):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorators = _decorators(node)
        plain = "method" if in_class else "function"
        kind, drop_first = plain, in_class
        if in_class and "staticmethod" in decorators:
            kind, drop_first = "staticmethod", False
        elif in_class and "classmethod" in decorators:
            kind = "classmethod"
        if "overload" in decorators:
            overloads.setdefault(node.name, (kind, []))[1].append(_signature(node, drop_first, annotate))
            members[node.name] = None
        elif node.name in overloads:
            continue
        elif in_class and ({"property", "cached_property"} & decorators):
            settable = members.get(node.name, {}).get("property", {}).get("settable", False)
            members[node.name] = _member("property", annotation=annotate(node.returns), settable=settable)
        elif in_class and "setter" in decorators:
            if "property" in (members.get(node.name) or {}):
                members[node.name]["property"]["settable"] = True
        elif in_class and "deleter" in decorators:
            continue
        else:
            members[node.name] = _member(kind, signature=_signature(node, drop_first, annotate))
    for name, (kind, signatures) in overloads.items():
        signature = dict(_unknown("overloaded in the stub"), overloads=signatures)
        members[name] = _member(kind, signature=signature)
    return members


# ---------------------------------------------------------------------------------------------
# modules


def _private_aliases(tree):
    """Module-level private type aliases: `_X = <type>` or `_X: TypeAlias = <type>`."""
    aliases = {}
    for node in _flatten(tree.body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None and "TypeAlias" in ast.unparse(node.annotation):
            target, value = node.target, node.value
        else:
            continue
        if not (isinstance(target, ast.Name) and target.id.startswith("_") and not target.id.startswith("__")):
            continue
        # A type expression, not a call (`_T = TypeVar("_T")`) or a constant.
        if isinstance(value, (ast.Subscript, ast.BinOp, ast.Attribute, ast.Name)):
            aliases[target.id] = value
    return aliases


def _all_names(tree):
    names = None
    for node in _flatten(tree.body):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        if not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            continue
        try:
            value = ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError):
            continue
        if isinstance(value, (list, tuple)):
            names = (names or []) + [n for n in value if isinstance(n, str)]
    return names


class _StubReader:
    """Reads one stub file, and the stubs of the package's modules it re-exports from."""

    def __init__(self, path, module, cache):
        self.path = path
        self.module = module
        self.cache = cache
        with open(path, encoding="utf-8") as file:
            self.tree = ast.parse(file.read(), filename=path)
        self.is_package = os.path.basename(path).startswith("__init__.")
        self.package = module if self.is_package else module.rpartition(".")[0]
        self.aliases = _private_aliases(self.tree)
        self.imported = {}  # local name -> (module, attribute or None)
        self.local = {}  # class name -> its member names
        self.exceptions = set()

    def annotation(self, node):
        if node is None:
            return None
        if not self.aliases:
            return ast.unparse(node)
        return ast.unparse(_ExpandAliases(self.aliases).visit(ast.parse(ast.unparse(node), mode="eval").body))

    # -- imports ------------------------------------------------------------------------------

    def absolute(self, node):
        if not node.level:
            return node.module
        parts = self.package.split(".") if self.package else []
        if node.level > 1:
            parts = parts[: len(parts) - (node.level - 1)]
        return ".".join(parts + ([node.module] if node.module else []))

    def read_imports(self):
        for node in _flatten(self.tree.body):
            if isinstance(node, ast.ImportFrom):
                source = self.absolute(node)
                for alias in node.names:
                    if alias.name != "*":
                        self.imported[alias.asname or alias.name] = (source, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = (alias.name, None)

    def other_stub(self, module):
        """The surface of another module's stub, or None when it has none."""
        if module in self.cache:
            return self.cache[module]
        self.cache[module] = None  # a cycle reads as "no stub"
        path = stub_path(module)
        if path is not None:
            self.cache[module] = stub(path, module, self.cache)
        return self.cache[module]

    def exported_imports(self, exported_all):
        members = {}
        for node in _flatten(self.tree.body):
            if isinstance(node, ast.ImportFrom):
                source = self.absolute(node)
                for alias in node.names:
                    if alias.name == "*":
                        surface = self.other_stub(source)
                        if surface is not None:
                            names = surface.get("all") or [n for n in surface["members"] if _public(n)]
                            for name in names:
                                if name in surface["members"]:
                                    members[name] = surface["members"][name]
                        continue
                    name = alias.asname or alias.name
                    # `from . import meta` in an `__init__` re-exports a submodule (as pyright
                    # reads the typing spec); otherwise only `X as X` and `__all__` export.
                    submodule = node.level == 1 and node.module is None and self.is_package
                    if alias.asname == alias.name or name in (exported_all or ()) or submodule:
                        member = self.imported_member(source, alias.name)
                        if member is not None:
                            members[name] = member
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname and (alias.asname == alias.name.rsplit(".", 1)[-1] or alias.asname in (exported_all or ())):
                        members[alias.asname] = self.module_member(alias.name)
        return members

    def aliased(self, value):
        """What `X = module.Y` or `X = Y` names, where `Y` is a class or function another stub
        declares (`TomlParsingError = _rtoml.TomlParsingError` in an inline-typed package is
        that class, as type checkers read it); None for any other value."""
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id in self.imported:
            source, name = self.imported[value.value.id]
            module, member = (f"{source}.{name}" if name else source), value.attr
        elif isinstance(value, ast.Name) and self.imported.get(value.id, (None, None))[1]:
            module, member = self.imported[value.id]
        else:
            return None
        surface = self.other_stub(module)
        found = None if surface is None else surface["members"].get(member)
        return found if found is not None and next(iter(found)) in ("class", "exception", "function") else None

    def module_member(self, module):
        surface = self.other_stub(module) or {}
        return _member("module", members=surface.get("members"), all=surface.get("all"))

    def imported_member(self, source, name):
        """What `from source import name` brings: a submodule, a member of source's stub, or
        (source has no stub, or does not state it) a name whose presence alone can be compared."""
        if stub_path(f"{source}.{name}") is not None:
            return self.module_member(f"{source}.{name}")
        surface = self.other_stub(source)
        found = None if surface is None else surface["members"].get(name)
        return found or _member("reexported", **{"from": source})

    # -- classes ------------------------------------------------------------------------------

    def resolve(self, base):
        """A base expression as a runtime class, a local class name, or None."""
        if isinstance(base, ast.Subscript):
            base = base.value
        name = ast.unparse(base)
        if name in self.local:
            return name
        head, _, attribute = name.rpartition(".")
        try:
            if not head and name in self.imported:
                module, attribute = self.imported[name]
                value = importlib.import_module(module)
                value = getattr(value, attribute) if attribute else value
            elif head in self.imported and self.imported[head][1] is None:
                value = getattr(importlib.import_module(self.imported[head][0]), attribute)
            elif head in self.imported:
                module, inner = self.imported[head]
                value = getattr(getattr(importlib.import_module(module), inner), attribute)
            else:
                value = getattr(builtins, name)
        except (ImportError, AttributeError, ValueError):
            return None
        value = getattr(value, "__origin__", value)  # typing.Mapping -> collections.abc.Mapping
        return value if isinstance(value, type) else None

    def is_exception(self, resolved):
        if isinstance(resolved, str):
            return resolved in self.exceptions
        return isinstance(resolved, type) and issubclass(resolved, BaseException)

    def klass(self, node, prefix):
        qualname = f"{prefix}{node.name}"
        body = _functions(node.body, True, self.annotation)
        constructor = body.pop("__new__", None) or body.pop("__init__", None)
        body.pop("__init__", None)
        nested = []
        for item in _flatten(node.body):
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                body.setdefault(item.target.id, _member("attribute", annotation=self.annotation(item.annotation)))
            elif isinstance(item, ast.Assign):
                for target in item.targets:
                    if isinstance(target, ast.Name):
                        body.setdefault(target.id, _member("attribute", annotation="ClassVar"))
            elif isinstance(item, ast.ClassDef):
                nested.append(item)
        bases = []
        exception = False
        constructor_bases = []  # where an unstated constructor comes from: local classes, or
        all_local = True        # a base the stub does not spell out (then unknown)
        for base in node.bases:
            if ast.unparse(base).rsplit(".", 1)[-1].split("[")[0] in _SKIPPED_BASES:
                continue
            resolved = self.resolve(base)
            if resolved is None:
                continue
            exception = exception or self.is_exception(resolved)
            if isinstance(resolved, str):
                qualified = f"{self.module}.{resolved}"
                inherited = self.local[resolved]["names"]
                constructor_bases.append(self.local[resolved]["constructor"])
            else:
                all_local = False
                qualified = _qualified(resolved)
                inherited = {n for n in dir(resolved) if _listed(n)}
            bases.append(qualified)
            for name in inherited - set(body):
                body[name] = _member("inherited", base=qualified)
        if constructor is not None:
            signature = next(iter(constructor.values()))["signature"]
        elif any(b is not None for b in constructor_bases):
            signature = next(b for b in constructor_bases if b is not None)
        elif all_local and not [b for b in node.bases if ast.unparse(b).split("[")[0] in ("Protocol", "typing.Protocol")]:
            # Every base is spelled out here and none states one: `object()`'s.
            signature = {"params": [], "returns": None, "note": None}
        else:
            # Inherited from a base the stub does not spell out: nothing to compare.
            signature = _unknown("no constructor in the stub")
        self.local[qualname] = {
            # Instance attributes a class body annotates are no class members at runtime.
            "names": {n for n, m in body.items() if not _instance_attribute(m)},
            "constructor": None if signature["params"] is None and "overloads" not in signature else signature,
        }
        # Every class has what `object` has (`__str__`, `__eq__`), as typeshed's `object` says.
        for name in dir(object):
            body.setdefault(name, _member("inherited", base="builtins.object"))
        # Nested classes last: they may name this class as their base (error kinds nest so).
        if exception:
            self.exceptions.add(qualname)
        for item in nested:
            body[item.name] = self.klass(item, f"{qualname}.")
        if exception:
            return _member("exception", constructor=None, members=body, bases=bases)
        decorators = _decorators(node)
        return _member(
            "class",
            constructor=signature,
            members=body,
            final="final" in decorators,
            bases=bases,
            disjoint="disjoint_base" in decorators,
        )

    # -- the module ---------------------------------------------------------------------------

    def submodule_stubs(self):
        """A package's submodules that have stubs of their own: members, imported or not."""
        directory = os.path.dirname(self.path)
        suffix = os.path.splitext(self.path)[1]
        members = {}
        for entry in sorted(os.listdir(directory)):
            if entry.endswith(suffix):
                name = entry[: -len(suffix)]
            elif os.path.isfile(os.path.join(directory, entry, "__init__" + suffix)):
                name = entry
            else:
                continue
            if _public(name) and "." not in name:
                members[name] = self.module_member(f"{self.module}.{name}")
        return members

    def read(self):
        self.read_imports()
        exported_all = _all_names(self.tree)
        members = self.exported_imports(exported_all)
        for node in _flatten(self.tree.body):
            if isinstance(node, ast.ClassDef):
                members[node.name] = self.klass(node, "")
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                members[node.target.id] = _member("attribute", annotation=_text(node.annotation))
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id != "__all__":
                        members[target.id] = self.aliased(node.value) or _member("attribute", annotation=None)
            elif type(node).__name__ == "TypeAlias":  # `type X = ...` (3.12)
                members[node.name.id] = _member("attribute", annotation="TypeAlias")
        members.update(_functions(self.tree.body, False, self.annotation))
        if self.is_package:
            members.update({n: m for n, m in self.submodule_stubs().items() if n not in members})
        keep = set(exported_all or ())
        surface = {"members": {n: m for n, m in members.items() if _public(n) or n in keep}}
        if exported_all is not None:
            surface["all"] = exported_all
        return surface


def stub(path, module, cache=None):
    """The stub surface of the file at `path`, the stub (or inline-typed source) of `module`."""
    cache = {} if cache is None else cache
    return _StubReader(path, module, cache).read()


def _inline_typed(origin):
    """Whether `origin` (a module's `.py` file) is in a PEP 561 inline-typed package."""
    directory = os.path.dirname(origin)
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        if os.path.isfile(os.path.join(directory, "py.typed")):
            return True
        directory = os.path.dirname(directory)
    return False


def stub_path(module_name):
    """Where the stub of an importable module is: beside it, in a `-stubs` package, or (for an
    inline-typed package) its own annotated `.py` source."""
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError, AttributeError):
        spec = None
    candidates = []
    origin = spec.origin if spec is not None and isinstance(spec.origin, str) else None
    if origin:
        directory, filename = os.path.split(origin)
        if filename.startswith("__init__."):
            candidates.append(os.path.join(directory, "__init__.pyi"))
        else:
            candidates.append(os.path.join(directory, filename.split(".", 1)[0] + ".pyi"))
    top, _, rest = module_name.partition(".")
    for entry in sys.path:
        if not isinstance(entry, str):
            continue
        base = os.path.join(entry, top + "-stubs", *(rest.split(".") if rest else []))
        candidates += [os.path.join(base, "__init__.pyi"), base + ".pyi"]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    if origin and origin.endswith(".py") and _inline_typed(origin):
        return origin
    return None
