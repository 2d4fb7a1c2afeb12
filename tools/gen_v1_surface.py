#!/usr/bin/env python3
"""List the whole public surface of the installed `replicate` v1 SDK as JSON.

Run with the interpreter of the v1 venv (replicate==1.0.7):

    $VENV1/bin/python tools/gen_v1_surface.py > rules/v1_surface.json

`tests/ratchet.rs` regenerates it and compares it with the committed file, and checks that every
element is accounted for by `rules/v1_rows.toml` (its rows of api-mapping.md) or
`rules/unchanged.toml`.

The output is deterministic (elements sorted by name then kind, keys sorted, indent=1, trailing
newline) and depends only on the installed `replicate` (and the `pydantic`/`typing_extensions` it
imports). Nothing is called that could reach the network; `import replicate` builds
`default_client`, which sends nothing until used.

Top-level keys:

  sdk_version  the installed distribution version ("1.0.7")
  elements     one object per public name:
                 {"name": "replicate.prediction.Prediction.wait", "kind": "method", ...}

kind is one of
  module      every importable module `replicate.*` (pkgutil walk), plus `replicate.__about__`
  class       a class defined in the SDK (nested classes too: `replicate.deployment.Deployment.Release`)
  function    a module-level function; also the package's bound aliases (`replicate.run` is
              `default_client.run`), with "alias_of"
  method      a function defined in a class body (incl. `async_*`, static and class methods, and the
              SDK's own dunders such as `__init__`, `__iter__`, `__str__`)
  property    a `property` defined in a class body ("setter": true if it has one)
  field       a declared field of a pydantic model, TypedDict, NamedTuple or dataclass
  attribute   any other public value: class attributes (`Models.model`), annotated instance
              attributes of plain classes (`ReplicateError.status`), enum members, module
              constants (`replicate.file.FileEncodingStrategy`), the package's namespace
              instances (`replicate.predictions`) and re-exports (`replicate.Client`, "alias_of")
  parameter   one parameter of a function or method: "callable" names it, "param_kind" is
              positional_only | positional_or_keyword | keyword_only | var_positional |
              var_keyword. `self`/`cls` are left out. A `**params: Unpack[SomeTypedDict]` is
              listed as the TypedDict's keys (keyword_only, "via": the TypedDict), and the
              parameters that only `typing.get_overloads()` shows (`Models.get(key)`,
              `Models.get(owner, name)`) are added with "via": "overload".

Other keys, where they apply: "is_async" (an `async def` or async generator), "binding"
("staticmethod" | "classmethod"), "setter" (a property with a setter), "alias_of" (the canonical
name of a re-export or bound alias), "instance_of" (the class of a module-level instance, such as
`replicate.predictions`), "inherited" (see below).

Left out: private names (leading `_`), except the few the mapping names (`Client._client`,
`Client._async_client`, `Client._request`, row C21; `replicate.__about__.__version__`, rows M19 and
IM25); names imported into a module from elsewhere (each element is listed where it is defined,
except the package's own re-exports); members inherited from third-party bases (pydantic's
`BaseModel`, httpx's streams and transports, `Exception`), except pydantic's `dict()` and `json()`
on `Prediction`, which mapping row PO17 names (listed as methods with "inherited": true and
without their pydantic parameters); TypeVars; code that Python generates (dataclass and NamedTuple
methods).
"""

from __future__ import annotations

import ast
import enum
import importlib
import importlib.metadata
import inspect
import json
import os
import pkgutil
import sys
import typing

import typing_extensions as te

# Private names the mapping names (row C21); every other `_x` is skipped.
PRIVATE_ALLOWED = {
    "replicate.client.Client._client",
    "replicate.client.Client._async_client",
    "replicate.client.Client._request",
}
# Modules whose name starts with `_` but that the mapping names (M19, IM25).
PRIVATE_MODULES = ["replicate.__about__"]
# Dunder module attributes the mapping names.
DUNDER_ATTRS = {"replicate.__about__": ["__version__"]}
# Members inherited from a third-party base that the mapping names (row PO17).
INHERITED = {"replicate.prediction.Prediction": ["dict", "json"]}

KIND = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}


def die(msg: str) -> typing.NoReturn:
    print(f"gen_v1_surface: error: {msg}", file=sys.stderr)
    sys.exit(2)


class Surface:
    def __init__(self, package_dir: str) -> None:
        self.package_dir = package_dir
        self.elements: dict[tuple[str, str], dict] = {}
        self.modules: list = []

    def add(self, name: str, kind: str, **extra) -> None:
        key = (name, kind)
        if key in self.elements:
            die(f"{kind} {name} listed twice")
        self.elements[key] = {"name": name, "kind": kind, **extra}

    # ------------------------------------------------------------------ helpers

    def in_sdk_source(self, func) -> bool:
        """A function whose code lives in the installed package (not generated, not third-party)."""
        func = inspect.unwrap(func)
        code = getattr(func, "__code__", None)
        if code is None:
            return False
        return os.path.abspath(code.co_filename).startswith(self.package_dir + os.sep)

    def resolve_annotation(self, ann, func):
        """Evaluate a (possibly forward-referenced) annotation, first in the function's globals,
        then in every SDK module (for names imported only under TYPE_CHECKING)."""
        if isinstance(ann, typing.ForwardRef):
            ann = ann.__forward_arg__
        if not isinstance(ann, str):
            return ann
        namespaces = [getattr(inspect.unwrap(func), "__globals__", {})]
        namespaces += [vars(m) for m in self.modules]
        for ns in namespaces:
            try:
                return eval(ann, dict(ns))  # noqa: S307 - annotations of the installed SDK
            except Exception:
                continue
        return None

    def unpacked_typeddict(self, param: inspect.Parameter, func):
        """The TypedDict of `**kw: Unpack[TD]`, else None."""
        ann = self.resolve_annotation(param.annotation, func)
        if ann is None or ann is inspect.Parameter.empty:
            return None
        if te.get_origin(ann) not in (te.Unpack, getattr(typing, "Unpack", te.Unpack)):
            return None
        (arg,) = te.get_args(ann)
        arg = self.resolve_annotation(arg, func)
        if not te.is_typeddict(arg):
            die(f"cannot resolve the TypedDict of **{param.name} in {func!r}")
        return arg

    # ------------------------------------------------------------------ callables

    def add_params(self, callable_name: str, func, *, drop_first: bool) -> None:
        try:
            sig = inspect.signature(func)
        except (TypeError, ValueError) as e:
            die(f"no signature for {callable_name}: {e}")
        params = list(sig.parameters.values())
        if drop_first:
            if not params or params[0].kind not in (
                inspect.Parameter.POSITIONAL_ONLY,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
            ):
                die(f"{callable_name}: no self/cls parameter")
            params = params[1:]
        seen = set()

        def emit(name, param_kind, via=None):
            if name in seen:
                return
            seen.add(name)
            extra = {"callable": callable_name, "param_kind": param_kind}
            if via:
                extra["via"] = via
            self.add(f"{callable_name}.{name}", "parameter", **extra)

        for p in params:
            td = self.unpacked_typeddict(p, func) if p.kind is inspect.Parameter.VAR_KEYWORD else None
            if td is None:
                emit(p.name, KIND[p.kind])
                continue
            via = f"{td.__module__}.{td.__qualname__}"
            for key in td.__annotations__:
                emit(key, "keyword_only", via)
        # Parameters that only the @overload signatures name (the runtime signature of
        # `Models.get` is `(*args, **kwargs)`).
        for ov in typing.get_overloads(inspect.unwrap(func)):
            ov_params = list(inspect.signature(ov).parameters.values())
            if drop_first:
                ov_params = ov_params[1:]
            for p in ov_params:
                if p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
                    continue
                emit(p.name, KIND[p.kind], "overload")

    def add_callable(self, name: str, kind: str, func, *, drop_first: bool, **extra) -> None:
        raw = inspect.unwrap(func)
        if inspect.iscoroutinefunction(raw) or inspect.isasyncgenfunction(raw):
            extra["is_async"] = True
        self.add(name, kind, **extra)
        self.add_params(name, func, drop_first=drop_first)

    # ------------------------------------------------------------------ classes

    def field_kind(self, cls) -> str:
        """`field` for declared data fields (pydantic, TypedDict, NamedTuple, dataclass),
        `attribute` for annotated attributes of plain classes."""
        if te.is_typeddict(cls) or hasattr(cls, "__fields__") or hasattr(cls, "_fields"):
            return "field"
        if hasattr(cls, "__dataclass_fields__"):
            return "field"
        return "attribute"

    def add_class(self, name: str, cls) -> None:
        self.add(name, "class")
        own = vars(cls)
        annotations = own.get("__annotations__", {})
        fkind = self.field_kind(cls)
        members: dict[str, tuple] = {}
        for attr in annotations:
            if attr.startswith("_"):
                continue
            members[attr] = (fkind, None)
        for attr, raw in own.items():
            full = f"{name}.{attr}"
            dunder = attr.startswith("__") and attr.endswith("__")
            if attr.startswith("_") and full not in PRIVATE_ALLOWED and not dunder:
                continue
            func = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
            if dunder:
                # only the SDK's own protocol methods (`__init__`, `__iter__`, `__str__`, ...)
                if inspect.isfunction(func) and self.in_sdk_source(func):
                    members[attr] = ("method", raw)
                continue
            if isinstance(raw, property):
                members[attr] = ("property", raw)
            elif isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw):
                if not self.in_sdk_source(func):
                    continue
                members[attr] = ("method", raw)
            elif isinstance(raw, type):
                if raw.__module__ == cls.__module__ and raw.__qualname__ == f"{cls.__qualname__}.{attr}":
                    members[attr] = ("class", raw)
                else:
                    members[attr] = ("attribute", raw)  # `Models.model = Model`
            elif isinstance(raw, enum.Enum):
                members[attr] = ("attribute", raw)
            elif attr in members:
                continue  # a declared field with a default value (or a NamedTuple accessor)
            else:
                members[attr] = ("attribute", raw)
        for attr in sorted(members):
            kind, raw = members[attr]
            full = f"{name}.{attr}"
            if kind == "class":
                self.add_class(full, raw)
            elif kind == "method":
                func = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
                extra = {}
                if isinstance(raw, staticmethod):
                    extra["binding"] = "staticmethod"
                elif isinstance(raw, classmethod):
                    extra["binding"] = "classmethod"
                self.add_callable(full, "method", func, drop_first=not isinstance(raw, staticmethod), **extra)
            elif kind == "property":
                extra = {"setter": True} if raw.fset is not None else {}
                self.add(full, "property", **extra)
            else:
                self.add(full, kind)
        for attr in INHERITED.get(name, []):
            if attr in members or not callable(getattr(cls, attr, None)):
                die(f"{name}.{attr}: expected an inherited method")
            self.add(f"{name}.{attr}", "method", inherited=True)

    # ------------------------------------------------------------------ modules

    def module_assignments(self, mod) -> set[str]:
        """Names bound by assignment at the top level of a module's source (inside `try`/`if`
        blocks too), i.e. the module's own constants rather than its imports."""
        try:
            src = inspect.getsource(mod)
        except (OSError, TypeError):
            return set()
        names = set()

        def visit(stmts):
            for node in stmts:
                if isinstance(node, ast.Assign):
                    for t in node.targets:
                        if isinstance(t, ast.Name):
                            names.add(t.id)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.add(node.target.id)
                elif isinstance(node, (ast.If, ast.Try)):
                    visit(node.body)
                    visit(node.orelse)
                    for h in getattr(node, "handlers", []):
                        visit(h.body)
                    visit(getattr(node, "finalbody", []))

        visit(ast.parse(src).body)
        return names

    def canonical(self, value) -> str | None:
        qual = getattr(value, "__qualname__", None)
        mod = getattr(value, "__module__", None)
        if qual and mod and mod.startswith("replicate"):
            return f"{mod}.{qual}"
        return None

    def add_module(self, mod) -> None:
        modname = mod.__name__
        self.add(modname, "module")
        assigned = self.module_assignments(mod)
        for attr in sorted(vars(mod)):
            value = vars(mod)[attr]
            full = f"{modname}.{attr}"
            if attr in DUNDER_ATTRS.get(modname, []):
                self.add(full, "attribute")
                continue
            if attr.startswith("_"):
                continue
            if inspect.ismodule(value):
                continue  # submodules are listed as modules; third-party modules are not API
            if isinstance(value, type) and value.__module__ == modname and value.__qualname__ == attr:
                self.add_class(full, value)
            elif inspect.isfunction(value) and value.__module__ == modname:
                self.add_callable(full, "function", value, drop_first=False)
            elif attr in assigned:
                if isinstance(value, typing.TypeVar) or attr == "__all__":
                    continue
                self.add_alias(full, value)
            elif modname == "replicate":
                # the package's re-exports (`from replicate.client import Client`)
                if self.canonical(value) is None:
                    die(f"replicate.{attr}: unexpected third-party re-export {value!r}")
                self.add_alias(full, value)

    def add_alias(self, full: str, value) -> None:
        """A module-level value: a bound method or function alias, a class alias, a namespace
        instance, or a plain constant."""
        if inspect.ismethod(value) or inspect.isfunction(value):
            target = self.canonical(value.__func__ if inspect.ismethod(value) else value)
            if target is None:
                die(f"{full}: alias of a non-SDK callable {value!r}")
            extra = {"alias_of": target}
            if inspect.iscoroutinefunction(value) or inspect.isasyncgenfunction(value):
                extra["is_async"] = True
            self.add(full, "function", **extra)
        elif isinstance(value, type):
            target = self.canonical(value)
            self.add(full, "attribute", **({"alias_of": target} if target else {}))
        else:
            target = self.canonical(type(value))
            if target is not None:
                self.add(full, "attribute", instance_of=target)
            else:
                self.add(full, "attribute")


def main() -> int:
    import replicate

    package_dir = os.path.abspath(os.path.dirname(replicate.__file__))
    surface = Surface(package_dir)
    names = ["replicate"]
    names += [
        m.name
        for m in pkgutil.walk_packages(replicate.__path__, "replicate.")
        if not any(part.startswith("_") for part in m.name.split("."))
    ]
    names += PRIVATE_MODULES
    for modname in sorted(set(names)):
        try:
            surface.modules.append(importlib.import_module(modname))
        except Exception as e:  # pragma: no cover - not importable means not public
            die(f"cannot import {modname}: {e}")
    for mod in surface.modules:
        surface.add_module(mod)
    missing = sorted(PRIVATE_ALLOWED - {n for n, _ in surface.elements})
    if missing:
        die(f"private names named by the mapping are gone: {missing}")

    elements = [surface.elements[k] for k in sorted(surface.elements)]
    doc = {"sdk_version": importlib.metadata.version("replicate"), "elements": elements}
    sys.stdout.write(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
