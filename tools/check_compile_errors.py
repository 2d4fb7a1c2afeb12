#!/usr/bin/env python3
"""Sweeps a corpus of Python files through `replicate_migrate::parse::cpython` and CPython.

False positives (the check): every file CPython compiles must get no error from
`compile_errors`. Files CPython rejects are left out of that check; with --recall they are
listed when neither tree-sitter nor `compile_errors` reports them.

    cargo build --example compile_errors
    python3 tools/check_compile_errors.py                 # the stdlib and the project's fixtures
    python3 tools/check_compile_errors.py --recall DIR... # any directories or files

The default corpus is this interpreter's standard library (without lib2to3's test data, which is
Python 2 on purpose) plus fixtures/, tests/e2e/programs and the shared folder's harness/guide_pairs
($REPLICATE_MIGRATE_SHARED, else ../shared or ../../shared from the repo).
Exit status 1 if any file CPython compiles is flagged. Not part of `cargo test`: it takes minutes.
"""
import argparse
import os
import subprocess
import sys
import sysconfig
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BINARY = os.path.join(REPO, "target", "debug", "examples", "compile_errors")


def default_roots():
    roots = [sysconfig.get_paths()["stdlib"]]
    for rel in ("fixtures", "tests/e2e/programs"):
        roots.append(os.path.join(REPO, rel))
    shared = os.environ.get("REPLICATE_MIGRATE_SHARED")
    candidates = [shared] if shared else [os.path.join(REPO, "..", "shared"), os.path.join(REPO, "..", "..", "shared")]
    for c in candidates:
        path = os.path.normpath(os.path.join(c, "harness", "guide_pairs"))
        if os.path.isdir(path):
            roots.append(path)
            break
    return [r for r in roots if os.path.exists(r)]


def python_files(roots, skip_site_packages):
    for root in roots:
        if os.path.isfile(root):
            yield root
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            skip = {"__pycache__", "site-packages"} if skip_site_packages else {"__pycache__"}
            dirnames[:] = sorted(d for d in dirnames if d not in skip)
            if os.sep + os.path.join("lib2to3", "tests", "data") in dirpath + os.sep:
                continue
            for name in sorted(filenames):
                if name.endswith(".py"):
                    yield os.path.join(dirpath, name)


def cpython_verdict(path):
    """None if CPython compiles the file, else the error."""
    with open(path, "rb") as f:
        source = f.read()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, path, "exec", dont_inherit=True)
            return None
        except (SyntaxError, ValueError) as e:
            return e


def ours(paths):
    """path -> list of (offset, kind, message), tree-sitter's first error as kind 'tree-sitter'."""
    found = {p: [] for p in paths}
    for i in range(0, len(paths), 400):
        batch = paths[i : i + 400]
        out = subprocess.run([BINARY, "--ts", *batch], capture_output=True, check=True).stdout
        for line in out.decode("utf-8", "replace").splitlines():
            # paths may hold ':'; the last three fields do not (messages may, so split from the left
            # after the path, which is one of ours)
            path = next(p for p in batch if line.startswith(p + ":"))
            offset, kind, message = line[len(path) + 1 :].split(":", 2)
            found[path].append((int(offset), kind, message))
    return found


def line_of(path, offset):
    with open(path, "rb") as f:
        return f.read()[:offset].count(b"\n") + 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("roots", nargs="*", help="directories or files (default: stdlib and fixtures)")
    ap.add_argument("--recall", action="store_true", help="also list rejected files nothing reports")
    args = ap.parse_args()
    if not os.path.exists(BINARY):
        sys.exit(f"{BINARY} missing: run `cargo build --example compile_errors` first")
    paths = list(python_files(args.roots or default_roots(), not args.roots))
    t0 = time.time()
    verdicts = {p: cpython_verdict(p) for p in paths}
    t1 = time.time()
    found = ours(paths)
    t2 = time.time()
    valid = [p for p in paths if verdicts[p] is None]
    rejected = [p for p in paths if verdicts[p] is not None]
    false_positives = [p for p in valid if any(k != "tree-sitter" for _, k, _ in found[p])]
    ts_only = [p for p in valid if found[p] and p not in false_positives]
    for p in false_positives:
        for offset, kind, message in found[p]:
            if kind != "tree-sitter":
                print(f"FALSE POSITIVE {p}:{line_of(p, offset)}: {kind}: {message}")
    missed = []
    for p in rejected:
        if found[p]:
            continue
        missed.append(p)
        if args.recall:
            e = verdicts[p]
            print(f"MISSED {p}:{getattr(e, 'lineno', '?')}: {type(e).__name__}: {getattr(e, 'msg', e)}")
    print(
        f"{len(paths)} files: {len(valid)} compile, {len(rejected)} rejected by CPython "
        f"{sys.version.split()[0]}; false positives: {len(false_positives)}; "
        f"valid files tree-sitter alone flags: {len(ts_only)}; rejected files nothing flags: "
        f"{len(missed)}; compile() {t1 - t0:.1f}s, compile_errors (+parse) {t2 - t1:.1f}s"
    )
    sys.exit(1 if false_positives else 0)


if __name__ == "__main__":
    main()
