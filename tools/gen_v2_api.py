#!/usr/bin/env python3
"""Dump the public API surface of the installed `replicate` v2 SDK as JSON.

Run with the interpreter of the v2 venv (replicate==2.0.0b4):

    $VENV2/bin/python tools/gen_v2_api.py > src/validate/v2_api.json

The output is deterministic (sorted keys, sorted name lists, parameters in
signature order, indent=1, trailing newline) and depends only on the installed
packages (`replicate` and, for the httpx client wrappers, `httpx`).

Top-level keys:

  sdk_version  the installed distribution version (e.g. "2.0.0b4")
  exports      public names that resolve on `replicate` after a plain `import replicate`
  modules      public names of every importable public submodule of `replicate`
  callables    parameter model of every callable the migration may emit
  resources    sub-resource attribute names of every resource path

A callable entry is
  {"params": [{"name", "kind", "required"}, ...], "var_positional": bool,
   "var_keyword": bool, ["is_async": true]}
with kind in positional_only | positional_or_keyword | keyword_only.

Wrappers whose runtime signature hides what they accept are resolved by
following the delegation in their source (never recorded as a bare
`(*args, **kwargs)`):
  * `**params: Unpack[SomeTypedDict]` is expanded into the TypedDict's keys
    (keyword-only; required per Required[]/total=).
  * `def f(*args, **kwargs): return g(*args, **kwargs)` takes g's signature.
  * `**kwargs` forwarded to a callee (`callee(..., **kwargs)`, including
    `super().__init__(**kwargs)`) becomes the callee's keyword parameters that
    the call does not bind itself; var_keyword stays true only if the callee
    has `**kwargs` too.
No network request is made: clients are built with a dummy token and a
transport that refuses to send.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.metadata
import inspect
import json
import pkgutil
import sys
import textwrap
import types
import typing

try:
    import typing_extensions as te
except ImportError:  # pragma: no cover - replicate depends on typing_extensions
    te = None  # type: ignore[assignment]

KIND = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
}
KEYWORD_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
SKIP_ATTRS = {"with_raw_response", "with_streaming_response"}
# Constructors recorded as top-level callables keys (`__init__` without self).
CONSTRUCTORS = ["Replicate", "AsyncReplicate", "DefaultHttpxClient", "DefaultAsyncHttpxClient"]


def die(msg: str) -> "typing.NoReturn":
    print(f"gen_v2_api: error: {msg}", file=sys.stderr)
    sys.exit(2)


def _forms(name: str) -> list:
    """All objects that spell a typing special form (typing and typing_extensions)."""
    out = []
    for mod in (typing, te):
        obj = getattr(mod, name, None) if mod is not None else None
        if obj is not None and obj not in out:
            out.append(obj)
    return out


UNPACK = _forms("Unpack")
REQUIRED = _forms("Required")
NOT_REQUIRED = _forms("NotRequired")


def _origin(tp):
    getter = te.get_origin if te is not None else typing.get_origin
    return getter(tp)


def _args(tp):
    getter = te.get_args if te is not None else typing.get_args
    return getter(tp)


def _is_typeddict(tp) -> bool:
    checks = [c for c in (getattr(typing, "is_typeddict", None), getattr(te, "is_typeddict", None)) if c is not None]
    return isinstance(tp, type) and any(c(tp) for c in checks)


def _eval_annotation(ann, globalns):
    """Evaluate a string / ForwardRef annotation; None if it cannot be resolved."""
    if isinstance(ann, typing.ForwardRef):
        ann = ann.__forward_arg__
    if isinstance(ann, str):
        try:
            return eval(ann, dict(globalns))  # noqa: S307 - annotations of the installed SDK
        except Exception:
            return None
    return ann


# --------------------------------------------------------------------------- signatures


def typeddict_fields(td) -> list[tuple[str, bool]]:
    """(key, required) for every key of a TypedDict, in declaration order.

    `__required_keys__` is wrong for TypedDicts declared under
    `from __future__ import annotations` on Python < 3.12 (a string
    `Required[...]` is not recognised), so Required/NotRequired wrappers are
    re-read from the evaluated annotations.
    """
    fields = []
    required_keys = set(getattr(td, "__required_keys__", ()))
    modules = [sys.modules.get(td.__module__)]
    for base in getattr(td, "__orig_bases__", ()):
        modules.append(sys.modules.get(getattr(base, "__module__", ""), None))
    for key, ann in td.__annotations__.items():
        required = key in required_keys
        for mod in modules:
            if mod is None:
                continue
            resolved = _eval_annotation(ann, vars(mod))
            if resolved is None:
                continue
            origin = _origin(resolved)
            if origin in REQUIRED or resolved in REQUIRED:
                required = True
            elif origin in NOT_REQUIRED or resolved in NOT_REQUIRED:
                required = False
            break
        fields.append((key, required))
    return fields


def _unpacked_typeddict(param: inspect.Parameter, func):
    """The TypedDict of `**kw: Unpack[TD]`, else None."""
    ann = param.annotation
    if ann is inspect.Parameter.empty:
        return None
    ann = _eval_annotation(ann, getattr(inspect.unwrap(func), "__globals__", {}))
    if ann is None or _origin(ann) not in UNPACK:
        return None
    args = _args(ann)
    if len(args) == 1 and _is_typeddict(args[0]):
        return args[0]
    return None


def _function_ast(func) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        src = textwrap.dedent(inspect.getsource(inspect.unwrap(func)))
    except (OSError, TypeError):
        return None
    tree = ast.parse(src)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node
    return None


def _resolve_name(name: str, func, fnode) -> object | None:
    """Resolve a bare name used inside `func`: function-local `from x import y`
    statements first, then the function's globals."""
    func = inspect.unwrap(func)
    module = sys.modules.get(func.__module__)
    package = module.__package__ if module is not None else None
    for node in ast.walk(fnode):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    modname = ("." * node.level) + (node.module or "")
                    try:
                        mod = importlib.import_module(modname, package) if node.level else importlib.import_module(modname)
                        return getattr(mod, alias.name)
                    except Exception:
                        return None
    return func.__globals__.get(name)


def _callee_of(call: ast.Call, func, fnode, owner):
    """(callable, drop_first) for the callee of `call`, or (None, False).

    Handles `name(...)`, `name().method(...)` (receiver class from the return
    annotation of `name`) and `super().method(...)` (needs `owner`)."""
    f = call.func
    if isinstance(f, ast.Name):
        return _resolve_name(f.id, func, fnode), False
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Call) and isinstance(f.value.func, ast.Name):
        inner = f.value.func.id
        if inner == "super" and owner is not None:
            # super() inside a method defined on some class in owner's MRO
            raw = inspect.unwrap(func)
            mro = owner.__mro__
            defining = next((c for c in mro if any(v is raw for v in vars(c).values())), None)
            if defining is None:
                return None, False
            for c in mro[mro.index(defining) + 1 :]:
                if f.attr in vars(c):
                    return vars(c)[f.attr], True
            return None, False
        factory = _resolve_name(inner, func, fnode)
        if factory is None:
            return None, False
        # `_load_client()` builds replicate._ModuleClient, a subclass of the annotated
        # `Replicate`; use the most derived class defined next to the factory if any.
        cls = _eval_annotation(inspect.signature(factory).return_annotation, getattr(factory, "__globals__", {}))
        if not isinstance(cls, type):
            return None, False
        fmod = sys.modules.get(getattr(factory, "__module__", ""))
        for value in vars(fmod).values() if fmod else ():
            if isinstance(value, type) and issubclass(value, cls) and value.__module__ == fmod.__name__:
                cls = value
        raw = inspect.getattr_static(cls, f.attr, None)
        if raw is None:
            return None, False
        if isinstance(raw, staticmethod):
            return raw.__func__, False
        if isinstance(raw, classmethod):
            return raw.__func__, True
        return raw, True
    return None, False


def _params_of(sig: inspect.Signature, drop_first: bool) -> list[inspect.Parameter]:
    params = list(sig.parameters.values())
    if drop_first and params and params[0].kind in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        params = params[1:]
    return params


def describe(func, *, drop_first: bool, owner=None, depth: int = 0) -> dict:
    """The JSON entry for one callable."""
    if depth > 5:
        die(f"delegation too deep at {func!r}")
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError) as e:
        die(f"no signature for {func!r}: {e}")
    params = _params_of(sig, drop_first)
    out_params: list[dict] = []
    var_pos = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params)
    var_kw_param = next((p for p in params if p.kind is inspect.Parameter.VAR_KEYWORD), None)
    for p in params:
        if p.kind in KIND:
            out_params.append({"name": p.name, "kind": KIND[p.kind], "required": p.default is inspect.Parameter.empty})
    var_kw = var_kw_param is not None

    fnode = None
    if var_pos or var_kw:
        fnode = _function_ast(func)

    # 1. def f(*args, **kwargs): return g(*args, **kwargs)  -> g's signature
    if var_pos and var_kw and not out_params and fnode is not None:
        pos_name = next(p.name for p in params if p.kind is inspect.Parameter.VAR_POSITIONAL)
        kw_name = var_kw_param.name
        targets = []
        for node in ast.walk(fnode):
            if not isinstance(node, ast.Call):
                continue
            star = any(isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id == pos_name for a in node.args)
            dstar = any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kw_name for k in node.keywords)
            if star and dstar and len(node.args) == 1 and len(node.keywords) == 1:
                targets.append(node)
        if len(targets) == 1:
            callee, callee_drop = _callee_of(targets[0], func, fnode, owner)
            if callee is not None:
                entry = describe(callee, drop_first=callee_drop, owner=owner, depth=depth + 1)
                entry.pop("is_async", None)  # the wrapper's own kind decides
                if inspect.iscoroutinefunction(inspect.unwrap(func)):
                    entry["is_async"] = True
                return entry
        die(f"cannot follow the (*args, **kwargs) delegation of {func!r}")

    # 2. **params: Unpack[TypedDict] -> the TypedDict keys, keyword-only
    if var_kw_param is not None:
        td = _unpacked_typeddict(var_kw_param, func)
        if td is not None:
            seen = {p["name"] for p in out_params}
            for key, required in typeddict_fields(td):
                if key not in seen:
                    out_params.append({"name": key, "kind": "keyword_only", "required": required})
            var_kw = False

    # 3. **kwargs forwarded to callees -> the callees' unbound keyword params
    if var_kw and fnode is not None:
        kw_name = var_kw_param.name
        calls = [
            node
            for node in ast.walk(fnode)
            if isinstance(node, ast.Call)
            and any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kw_name for k in node.keywords)
        ]
        # Only `kwargs.setdefault(...)` is understood; any other use of the dict
        # (pop, get, subscript) might consume keys, so the **kwargs is then kept.
        consuming = [
            n for n in ast.walk(fnode)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == kw_name
            and n.attr not in ("setdefault",)
        ]
        if calls and not consuming and not any(
            isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == kw_name for n in ast.walk(fnode)
        ):
            extra: list[str] = []
            callee_var_kw = False
            resolved_all = True
            for call in calls:
                callee, callee_drop = _callee_of(call, func, fnode, owner)
                if callee is None:
                    resolved_all = False
                    break
                centry = describe(callee, drop_first=callee_drop, owner=owner, depth=depth + 1)
                bound = {k.arg for k in call.keywords if k.arg is not None}
                npos = sum(1 for a in call.args if not isinstance(a, ast.Starred))
                positional = [p for p in centry["params"] if p["kind"] != "keyword_only"]
                bound |= {p["name"] for p in positional[:npos]}
                for p in centry["params"]:
                    if p["kind"] != "positional_only" and p["name"] not in bound and p["name"] not in extra:
                        extra.append(p["name"])
                callee_var_kw = callee_var_kw or centry["var_keyword"]
            if resolved_all:
                seen = {p["name"] for p in out_params}
                for name in extra:
                    if name not in seen:
                        out_params.append({"name": name, "kind": "keyword_only", "required": False})
                var_kw = callee_var_kw
            else:
                print(f"gen_v2_api: warning: kept **{kw_name} of {func!r}: callee not resolved", file=sys.stderr)

    entry = {"params": out_params, "var_positional": var_pos, "var_keyword": var_kw}
    if inspect.iscoroutinefunction(inspect.unwrap(func)):
        entry["is_async"] = True
    return entry


# --------------------------------------------------------------------------- clients


def _resource_bases():
    from replicate._resource import AsyncAPIResource, SyncAPIResource

    return (SyncAPIResource, AsyncAPIResource)


def _safe_clients():
    """A Replicate and an AsyncReplicate that cannot reach the network."""
    import httpx
    import replicate

    def refuse(request):  # pragma: no cover - must never run
        raise RuntimeError(f"gen_v2_api must not send requests ({request.method} {request.url})")

    sync = replicate.Replicate(
        bearer_token="x", base_url="http://127.0.0.1:9/v1", http_client=httpx.Client(transport=httpx.MockTransport(refuse))
    )
    async_ = replicate.AsyncReplicate(
        bearer_token="x",
        base_url="http://127.0.0.1:9/v1",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(refuse)),
    )
    return sync, async_


def _methods_and_resources(cls, instance) -> tuple[dict, dict]:
    """Public methods {name: (func, drop_first)} and resource attrs {name: (cls, instance)}."""
    bases = _resource_bases()
    methods: dict = {}
    resources: dict = {}
    for name in sorted(dir(cls)):
        if name.startswith("_") or name in SKIP_ATTRS:
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, functools.cached_property):
            ann = _eval_annotation(raw.func.__annotations__.get("return", inspect.Parameter.empty), raw.func.__globals__)
            value = getattr(instance, name)
            rcls = type(value)
            if isinstance(ann, type) and not issubclass(rcls, ann):
                die(f"{cls.__name__}.{name}: annotation {ann!r} disagrees with runtime {rcls!r}")
            if issubclass(rcls, bases):
                resources[name] = (rcls, value)
            continue
        if isinstance(raw, staticmethod):
            methods[name] = (raw.__func__, False)
        elif isinstance(raw, classmethod):
            methods[name] = (raw.__func__, True)
        elif inspect.isfunction(raw):
            methods[name] = (raw, True)
        # properties and plain attributes are not callables of the API
    return methods, resources


def walk(prefix: str, cls, instance, callables: dict, resources_out: dict) -> None:
    methods, res = _methods_and_resources(cls, instance)
    resources_out[prefix] = sorted(res)
    for name, (func, drop) in methods.items():
        callables[f"{prefix}.{name}"] = describe(func, drop_first=drop, owner=cls)
    for name, (rcls, value) in res.items():
        walk(f"{prefix}.{name}", rcls, value, callables, resources_out)


# --------------------------------------------------------------------------- module level


def _is_noise(name: str, value, module_all: set[str]) -> bool:
    """Names that resolve but are not SDK API: `from __future__` feature flags,
    pydantic's generic cache entries ("BasePage[~_T]"), and typing helpers,
    third-party modules or foreign classes/functions imported for internal use.
    Anything listed in the module's `__all__` is kept."""
    import __future__

    if not name.isidentifier():
        return True
    if isinstance(value, __future__._Feature):
        return True
    if name in module_all:
        return False
    missing = object()
    for mod in (typing, te):
        if mod is not None and getattr(mod, name, missing) is value:
            return True  # `from typing import List`, `from typing_extensions import override`, ...
    if isinstance(value, types.ModuleType):
        return not value.__name__.startswith("replicate")
    if isinstance(value, (type, types.FunctionType)):
        return not (getattr(value, "__module__", None) or "").startswith("replicate")
    return False


def public_names(mod) -> list[str]:
    package_all = set(getattr(mod, "__all__", ()) or ())
    out = []
    for name in dir(mod):
        if name.startswith("_"):
            continue
        try:
            value = getattr(mod, name)
        except Exception:
            continue
        if _is_noise(name, value, package_all):
            continue
        out.append(name)
    return sorted(out)


def main() -> int:
    # Exports first: dir(replicate) must reflect a plain `import replicate`, before
    # anything here imports replicate.exceptions / replicate.pagination.
    import replicate

    exports = public_names(replicate)

    modules: dict[str, list[str]] = {}
    names = [
        m.name
        for m in pkgutil.walk_packages(replicate.__path__, "replicate.")
        if not any(part.startswith("_") for part in m.name.split("."))
    ]
    for modname in sorted(names):
        try:
            mod = importlib.import_module(modname)
        except Exception as e:  # pragma: no cover - not importable means not public
            print(f"gen_v2_api: warning: skipping {modname}: {e}", file=sys.stderr)
            continue
        modules[modname] = public_names(mod)

    callables: dict[str, dict] = {}
    for name in CONSTRUCTORS:
        cls = getattr(replicate, name)
        callables[name] = describe(cls.__init__, drop_first=True, owner=cls)

    resources_out: dict[str, list[str]] = {}
    sync, async_ = _safe_clients()
    walk("client", replicate.Replicate, sync, callables, resources_out)
    walk("async_client", replicate.AsyncReplicate, async_, callables, resources_out)

    # Module level: plain functions of `replicate`, and the lazy resource proxies,
    # which forward to the sync client's resources (same signatures).
    from replicate._utils import LazyProxy

    module_resources = []
    for name in exports:
        value = getattr(replicate, name)
        if isinstance(value, LazyProxy):
            if f"client.{name}" in resources_out or name in resources_out["client"]:
                module_resources.append(name)
            continue  # e.g. `replicate.resources` (module proxy)
        if isinstance(value, types.FunctionType) and (value.__module__ or "").startswith("replicate"):
            callables[f"module.{name}"] = describe(value, drop_first=False)
    resources_out["module"] = sorted(module_resources)
    for name in module_resources:
        for key, entry in list(callables.items()):
            if key.startswith(f"client.{name}."):
                callables["module" + key[len("client") :]] = entry
        for key, subs in list(resources_out.items()):
            if key == f"client.{name}" or key.startswith(f"client.{name}."):
                resources_out["module" + key[len("client") :]] = subs

    doc = {
        "sdk_version": importlib.metadata.version("replicate"),
        "exports": exports,
        "modules": modules,
        "callables": callables,
        "resources": resources_out,
    }
    sys.stdout.write(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
