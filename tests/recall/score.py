#!/usr/bin/env python3
"""Recall audit for `replicate-migrate check` against the hand-labelled corpus.

Every line of tests/recall/corpus/*.py that holds a v1 use needing a change for v2 ends with a
comment `# v1: <row id>[, <row id>...]` (row ids from ../shared/spec/api-mapping.md). This script
runs `<binary> check --output-format json <corpus>` and compares the lines it reports with the
labelled lines:

  hit            a labelled line with >= 1 finding
  miss           a labelled line with no finding
  false positive a line with a finding but no label

Usage:
  cargo build && python3 tests/recall/score.py [--binary PATH] [--corpus DIR] [--json]
                                               [--min-recall X] [--max-fp N]

Exit status: 0, unless --min-recall is given and recall < X, or --max-fp is given and the number
of false-positive lines exceeds N (then 1); 2 when the tool could not be run or its output parsed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LABEL_RE = re.compile(r"#\s*v1:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)\s*$")


def read_labels(corpus: Path) -> dict[str, dict[int, tuple[list[str], str]]]:
    """{file name: {line number: ([row ids], source text without the label)}}"""
    labels: dict[str, dict[int, tuple[list[str], str]]] = {}
    for path in sorted(corpus.glob("*.py")):
        per: dict[int, tuple[list[str], str]] = {}
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = LABEL_RE.search(line)
            if m:
                ids = [x.strip() for x in m.group(1).split(",")]
                per[n] = (ids, line[: m.start()].rstrip())
        labels[path.name] = per
    return labels


def _findings_list(data):
    """Accept a bare list of findings or an object wrapping one."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("findings", "diagnostics", "results", "messages", "violations"):
            if isinstance(data.get(key), list):
                return data[key]
    raise ValueError("unrecognised JSON shape: expected a list of findings")


def _file_and_line(f: dict) -> tuple[str, int]:
    name = f.get("filename") or f.get("file") or f.get("path")
    loc = f.get("location") or f.get("start") or {}
    row = None
    if isinstance(loc, dict):
        row = loc.get("row", loc.get("line"))
    if row is None:
        row = f.get("row", f.get("line"))
    if name is None or row is None:
        raise ValueError(f"finding without file/line: {f!r}")
    return str(name), int(row)


def run_tool(binary: Path, corpus: Path) -> list[tuple[str, int, str, str]]:
    """[(file name, line, code, message)] for every finding in the corpus."""
    cmd = [str(binary), "check", "--output-format", "json", str(corpus)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO))
    # `check` exits 1 when it has findings; anything >1 is an error.
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr)
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    data = json.loads(proc.stdout or "[]")
    out = []
    for f in _findings_list(data):
        name, row = _file_and_line(f)
        code = str(f.get("code") or f.get("rule") or "")
        msg = str(f.get("message") or "")
        out.append((Path(name).name, row, code, msg))
    return out


def score(labels, findings, corpus: Path):
    found: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for name, row, code, msg in findings:
        found[name][row].append((code, msg))
    files = []
    tot = {"labelled": 0, "hits": 0, "false_positives": 0, "findings": len(findings)}
    all_misses, all_fps = [], []
    for name in sorted(set(labels) | set(found)):
        lab = labels.get(name, {})
        fnd = found.get(name, {})
        hits = [n for n in lab if n in fnd]
        misses = sorted(n for n in lab if n not in fnd)
        fps = sorted(n for n in fnd if n not in lab)
        src = corpus / name
        lines = src.read_text(encoding="utf-8").splitlines() if src.exists() else []
        for n in misses:
            all_misses.append({"file": name, "line": n, "labels": lab[n][0], "source": lab[n][1].strip()})
        for n in fps:
            text = lines[n - 1].strip() if 0 < n <= len(lines) else ""
            all_fps.append({"file": name, "line": n, "codes": sorted({c for c, _ in fnd[n]}),
                            "messages": [m for _, m in fnd[n]], "source": text})
        files.append({"file": name, "labelled": len(lab), "hits": len(hits),
                      "recall": (len(hits) / len(lab)) if lab else None,
                      "false_positives": len(fps), "misses": len(misses)})
        tot["labelled"] += len(lab)
        tot["hits"] += len(hits)
        tot["false_positives"] += len(fps)
    tot["recall"] = tot["hits"] / tot["labelled"] if tot["labelled"] else 0.0
    tot["misses"] = tot["labelled"] - tot["hits"]
    return {"files": files, "totals": tot, "misses": all_misses, "false_positives": all_fps}


def print_report(res) -> None:
    print(f"{'file':32} {'labelled':>8} {'hits':>5} {'recall':>7} {'FP':>4}")
    for f in res["files"]:
        r = "-" if f["recall"] is None else f"{100 * f['recall']:.1f}%"
        print(f"{f['file']:32} {f['labelled']:8d} {f['hits']:5d} {r:>7} {f['false_positives']:4d}")
    t = res["totals"]
    print(f"{'TOTAL':32} {t['labelled']:8d} {t['hits']:5d} {100 * t['recall']:6.1f}% {t['false_positives']:4d}")
    print()
    print(f"misses ({len(res['misses'])}):")
    for m in res["misses"]:
        print(f"  {m['file']}:{m['line']}  [{', '.join(m['labels'])}]  {m['source']}")
    print()
    print(f"false positives ({len(res['false_positives'])}):")
    for f in res["false_positives"]:
        print(f"  {f['file']}:{f['line']}  {','.join(f['codes'])}  {f['source']}")
        for msg in f["messages"]:
            print(f"      - {msg}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Recall audit of `replicate-migrate check`.")
    ap.add_argument("--binary", default=str(REPO / "target/debug/replicate-migrate"))
    ap.add_argument("--corpus", default=str(HERE / "corpus"))
    ap.add_argument("--json", action="store_true", help="print machine-readable results")
    ap.add_argument("--min-recall", type=float, help="exit 1 if recall is below this (0.9 or 90)")
    ap.add_argument("--max-fp", type=int, help="exit 1 if false-positive lines exceed this")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus).resolve()
    binary = Path(args.binary)
    if not binary.is_absolute():
        binary = (Path.cwd() / binary).resolve()
    if not os.access(binary, os.X_OK):
        sys.stderr.write(f"no executable at {binary}; run `cargo build` first\n")
        return 2
    try:
        findings = run_tool(binary, corpus)
    except (RuntimeError, ValueError, json.JSONDecodeError) as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    res = score(read_labels(corpus), findings, corpus)
    if args.json:
        json.dump(res, sys.stdout, indent=2)
        print()
    else:
        print_report(res)
    t = res["totals"]
    min_recall = args.min_recall
    if min_recall is not None and min_recall > 1:
        min_recall /= 100.0  # accept 90 as well as 0.9
    if min_recall is not None and t["recall"] < min_recall:
        return 1
    if args.max_fp is not None and t["false_positives"] > args.max_fp:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
