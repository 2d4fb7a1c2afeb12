"""Monthly usage report: pulls our prediction history and writes a CSV + summary (run as a script)."""
import argparse
import csv
import datetime as dt
import json
from collections import Counter, defaultdict

import pandas as pd
import replicate

rep_client = replicate.Client(api_token=None, timeout=120)  # v1: C02


def fetch(limit_pages: int):
    rows = []
    pages = 0
    for page in replicate.paginate(rep_client.predictions.list):  # v1: M07
        pages += 1
        for p in page:  # v1: PG04
            created = dt.datetime.fromisoformat(p.created_at.replace("Z", "+00:00"))  # v1: PO13
            rows.append(
                {
                    "id": p.id,
                    "model": p.model,
                    "version": p.version,
                    "status": p.status,
                    "created": created,
                    "seconds": (p.metrics or {}).get("predict_time"),  # v1: PO14
                    "source": p.source if hasattr(p, "source") else None,
                    "cancel_url": p.urls["cancel"],  # v1: PO15
                }
            )
        if pages >= limit_pages:
            break
    return rows


def dump_raw(path: str, limit: int = 50) -> None:
    first = rep_client.predictions.list()
    with open(path, "w") as fh:
        for p in first.results[:limit]:
            fh.write(p.json() + "\n")  # v1: PO17


def summarise(rows):
    df = pd.DataFrame(rows)
    df["month"] = df["created"].dt.to_period("M")
    by_model = df.groupby(["month", "model"])["seconds"].agg(["count", "sum"]).reset_index()
    statuses = Counter(r["status"] for r in rows)
    return by_model, statuses


def owners_of(rows):
    owners = defaultdict(int)
    for r in rows:
        owners[r["model"].split("/")[0]] += 1
    return dict(owners)


def model_details(refs):
    out = {}
    for ref in refs:
        owner, name = ref.split("/")
        m = replicate.models.get(owner, name)  # v1: MD02
        out[ref] = {"id": m.id, "visibility": m.visibility, "runs": m.run_count}  # v1: MO04
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--csv", default="usage.csv")
    ap.add_argument("--raw")
    args = ap.parse_args()
    rows = fetch(args.pages)
    with open(args.csv, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["id"])
        w.writeheader()
        w.writerows(rows)
    by_model, statuses = summarise(rows)
    print(by_model.to_string(index=False))
    print(json.dumps(statuses, indent=2))
    print(json.dumps(owners_of(rows), indent=2))
    top = [r for r, _ in Counter(r["model"] for r in rows).most_common(5)]
    print(json.dumps(model_details(top), indent=2, default=str))
    if args.raw:
        dump_raw(args.raw)


if __name__ == "__main__":
    main()
