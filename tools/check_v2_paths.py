#!/usr/bin/env python3
"""Check dotted v2 API paths against the installed `replicate` v2 SDK.

Run with the interpreter of the v2 venv (replicate==2.0.0b4):

    printf 'replicate.Replicate\\nclient.predictions.get\\n' | $VENV2/bin/python tools/check_v2_paths.py

Reads one path per line on stdin (blank lines and lines starting with `#` are
skipped) and prints `ok PATH` or `missing PATH: reason` for each. Exit status:
0 if every path resolved, 1 if any is missing.

Roots:
  replicate.X.Y   import the longest importable module prefix (e.g.
                  `replicate.exceptions`), then getattr the rest
  client.X.Y      getattr on `replicate.Replicate(bearer_token="x")`
  async_client.X  getattr on `replicate.AsyncReplicate(bearer_token="x")`
  module.X.Y      getattr on the `replicate` module itself (resource proxies
                  such as `replicate.predictions` load the module-level client)

No network request is made: every client gets an httpx transport that raises
instead of sending, and the module-level client is configured the same way.
"""

from __future__ import annotations

import importlib
import sys


def _refuse(request):  # pragma: no cover - must never run
    raise RuntimeError(f"check_v2_paths must not send requests ({request.method} {request.url})")


class Roots:
    """Lazily built, network-less roots."""

    def __init__(self) -> None:
        self._client = None
        self._async_client = None
        self._module = None

    def client(self):
        if self._client is None:
            import httpx
            import replicate

            self._client = replicate.Replicate(
                bearer_token="x",
                base_url="http://127.0.0.1:9/v1",
                http_client=httpx.Client(transport=httpx.MockTransport(_refuse)),
            )
        return self._client

    def async_client(self):
        if self._async_client is None:
            import httpx
            import replicate

            self._async_client = replicate.AsyncReplicate(
                bearer_token="x",
                base_url="http://127.0.0.1:9/v1",
                http_client=httpx.AsyncClient(transport=httpx.MockTransport(_refuse)),
            )
        return self._async_client

    def module(self):
        if self._module is None:
            import httpx
            import replicate

            # The resource proxies build `_ModuleClient` from these module attributes
            # on first use; without a token that construction would raise.
            if replicate.bearer_token is None:
                replicate.bearer_token = "x"
            replicate.base_url = "http://127.0.0.1:9/v1"
            replicate.http_client = httpx.Client(transport=httpx.MockTransport(_refuse))
            self._module = replicate
        return self._module


def _getattr_chain(obj, names: list[str], done: str) -> str | None:
    """None if every attribute resolves, else the reason."""
    for name in names:
        try:
            obj = getattr(obj, name)
        except AttributeError:
            return f"{done} has no attribute {name!r}"
        except Exception as e:  # e.g. a proxy whose load fails
            return f"getattr({done}, {name!r}) raised {type(e).__name__}: {e}"
        done = f"{done}.{name}"
    return None


def check_replicate(parts: list[str]) -> str | None:
    module = None
    used = 0
    for i in range(len(parts), 0, -1):
        modname = ".".join(parts[:i])
        try:
            module = importlib.import_module(modname)
        except ModuleNotFoundError as e:
            # only "this prefix is not a module" moves on to a shorter prefix
            if e.name is not None and modname.startswith(e.name) and (e.name == modname or modname.startswith(e.name + ".")):
                continue
            return f"importing {modname} raised ModuleNotFoundError: {e}"
        except Exception as e:
            return f"importing {modname} raised {type(e).__name__}: {e}"
        used = i
        break
    if module is None:
        return "module 'replicate' is not importable"
    return _getattr_chain(module, parts[used:], ".".join(parts[:used]))


def check(path: str, roots: Roots) -> str | None:
    parts = path.split(".")
    if any(not p.isidentifier() for p in parts):
        return "not a dotted path of identifiers"
    root, rest = parts[0], parts[1:]
    if root == "replicate":
        return check_replicate(parts)
    if root == "client":
        return _getattr_chain(roots.client(), rest, "client")
    if root == "async_client":
        return _getattr_chain(roots.async_client(), rest, "async_client")
    if root == "module":
        return _getattr_chain(roots.module(), rest, "replicate")
    return f"unknown root {root!r} (expected replicate, client, async_client or module)"


def main() -> int:
    roots = Roots()
    missing = 0
    for line in sys.stdin:
        path = line.strip()
        if not path or path.startswith("#"):
            continue
        reason = check(path, roots)
        if reason is None:
            print(f"ok {path}")
        else:
            missing += 1
            print(f"missing {path}: {reason}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
