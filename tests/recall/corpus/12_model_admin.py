"""Housekeeping for our organisation's models: prune old versions, delete abandoned models."""
import argparse
import datetime as dt
import logging

import replicate
from replicate.model import Model  # v1: IM06
from replicate.version import Version, Versions  # v1: IM08
from replicate.pagination import Page  # v1: IM20

log = logging.getLogger("admin")


def iter_models(client) -> "list[Model]":
    models = []
    page: Page = client.models.list()
    while True:
        models.extend(page.results)
        if not page.next:
            break
        page = client.models.list(cursor=page.next)  # v1: MD06, PG07
    return models


def ours(models, owner: str):
    return [m for m in models if m.owner == owner]


def old_versions(model: Model, keep: int) -> "list[Version]":
    versions = list(model.versions.list())  # v1: V03, PG04
    versions.sort(key=lambda v: v.created_at, reverse=True)
    return versions[keep:]


def prune(model: Model, keep: int, dry_run: bool) -> int:
    removed = 0
    for v in old_versions(model, keep):
        log.info("deleting %s:%s from %s", model.id, v.id, v.created_at.isoformat())  # v1: MO04
        if not dry_run:
            if model.versions.delete(v.id):  # v1: V05
                removed += 1
    return removed


def delete_if_unused(client, model: Model, dry_run: bool) -> bool:
    model.reload()  # v1: MO08
    if model.run_count:
        return False
    log.warning("model %s/%s has no runs", model.owner, model.name)
    if dry_run:
        return False
    return client.models.delete(model.owner, model.name)  # v1: MD10


def versions_for(client, ref: str) -> Versions:
    return Versions(client, ref)  # v1: V07


def latest_schema(client, ref: str) -> dict:
    model = client.models.get(key=ref)  # v1: MD04
    if model.latest_version is None:
        return {}
    return model.latest_version.openapi_schema


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("owner")
    ap.add_argument("--keep", type=int, default=3)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()
    client = replicate.Client(timeout=60)  # v1: M01
    started = dt.datetime.now()
    total = 0
    for model in ours(iter_models(client), args.owner):
        total += prune(model, args.keep, args.dry_run)
        if delete_if_unused(client, model, args.dry_run):
            log.info("deleted %s", model.url)
    log.info("removed %d versions in %s", total, dt.datetime.now() - started)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
