#!/usr/bin/env python3
"""Extract the rows of the API mapping (`api-mapping.md`) as JSON, for the binary to embed.

    python3 tools/gen_mapping_rows.py [PATH] > rules/mapping_rows.json

PATH defaults to `$REPLICATE_MIGRATE_SHARED/spec/api-mapping.md`, else `../shared/spec/...`
beside the repository. Any Python 3.8+; standard library only.

The binary cannot read the shared folder at run time, so what it shows of the mapping
(`replicate-migrate rule CODE` prints the v1 -> v2 text of the rows a rule implements;
`rule --coverage` counts the rows) comes from this file. `tests/ratchet.rs` regenerates it and
fails when the committed copy differs.

What is read, as `tests/ratchet.rs` always has:

  rows         every table row of sections 1-16 whose first cell is an ID (`M01`, `PO17`): its
               section number, the v1 and v2 cells, the Mech. cell and the notes, as written
               (markdown kept). Rows with Mech. `n/a` are v2-only additions.
  corrections  the numbered items of section 0b (`0b.1`, ...), which override the rows they
               name: the item's text (one paragraph), and the row IDs its bold summary names.
  sections     the title of each numbered section.

Section 17 states how many rows the tables hold and how many map a v1 element; the script fails
(exit 1) when what it parsed disagrees, so a table it cannot read does not go unnoticed.

The output is deterministic: rows and corrections in document order, keys sorted, indent=1,
non-ASCII kept, a trailing newline.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROW_ID = re.compile(r"^[A-Z]+[0-9]+$")


def default_path() -> Path:
    shared = os.environ.get("REPLICATE_MIGRATE_SHARED")
    if shared:
        base = Path(shared)
    else:
        base = Path(__file__).resolve().parent.parent.parent / "shared"
    return base / "spec" / "api-mapping.md"


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse(text: str) -> dict:
    rows: list[dict] = []
    corrections: list[dict] = []
    sections: dict[str, str] = {}
    section = ""
    columns: dict[str, int] | None = None
    counted = []
    seen = set()
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            number, _, title = heading.partition(". ")
            section = number if title else heading.split(".")[0]
            if title and number.isdigit() and 1 <= int(number) <= 16:
                sections[number] = title
            columns = None
            continue
        if section == "17":
            counted.append(line)
        if section == "0b":
            m = re.match(r"^(\d+)\. \*\*", line)
            if m:
                corrections.append({"id": f"0b.{m.group(1)}", "text": line[m.start() + len(m.group(1)) + 2:]})
            elif corrections and line.startswith(" ") and line.strip():
                corrections[-1]["text"] += " " + line.strip()
            continue
        if not (section.isdigit() and 1 <= int(section) <= 16):
            continue
        if not line.startswith("|"):
            columns = None
            continue
        c = cells(line)
        if c and c[0] == "ID":
            columns = {name: i for i, name in enumerate(c)}
            if "Mech." not in columns:
                sys.exit(f"api-mapping.md: a table in section {section} has no Mech. column")
            continue
        if not c or not ROW_ID.match(c[0]):
            continue
        if columns is None:
            sys.exit(f"api-mapping.md: row {c[0]} is in a table without a header")
        row_id = c[0]
        if row_id in seen:
            sys.exit(f"api-mapping.md: row {row_id} appears twice")
        seen.add(row_id)
        mech = c[columns["Mech."]]
        rows.append(
            {
                "id": row_id,
                "section": section,
                "v1": c[1],
                "v2": c[2],
                "mech": mech,
                "notes": c[columns["Notes"]] if "Notes" in columns and columns["Notes"] < len(c) else "",
            }
        )
    # Cross-check with what section 17 states: "contain **253 rows**", "**246** of them map".
    stated = " ".join(counted)
    total = re.search(r"contain \*\*(\d+) rows\*\*", stated)
    v1 = re.search(r"\*\*(\d+)\*\* of them map a v1 element", stated)
    parsed_v1 = sum(1 for r in rows if r["mech"] != "n/a")
    if not total or not v1 or (int(total.group(1)), int(v1.group(1))) != (len(rows), parsed_v1):
        sys.exit(
            f"api-mapping.md: parsed {len(rows)} table rows ({parsed_v1} not n/a); "
            "section 17 states otherwise"
        )
    for c in corrections:
        # "**P09 / P11 / MD17 / D11: v1 drops ...** The rest.": the rows named before the colon.
        summary = c["text"].split("**")[1] if c["text"].startswith("**") else c["text"]
        c["rows"] = [r for r in re.findall(r"\b[A-Z]+[0-9]+\b", summary.split(":")[0]) if r in seen]
    if not corrections:
        sys.exit("api-mapping.md: no section 0b corrections found")
    return {
        "source": "spec/api-mapping.md",
        "rows": rows,
        "corrections": corrections,
        "sections": sections,
    }


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default_path()
    data = parse(path.read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
