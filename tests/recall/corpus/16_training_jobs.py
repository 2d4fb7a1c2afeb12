"""Nightly LoRA training jobs, driven by a YAML config (run from cron)."""
import asyncio
import logging
import sys
from dataclasses import dataclass
from typing import Optional

import yaml
import replicate
from replicate.exceptions import ReplicateError  # v1: IM16

log = logging.getLogger("nightly")


@dataclass
class JobSpec:
    name: str
    base: str          # "owner/model"
    version: str       # version id of the trainer
    dataset_url: str
    destination: str   # "owner/model"
    steps: int = 1000
    webhook: Optional[str] = None


def load(path: str) -> list[JobSpec]:
    with open(path) as fh:
        return [JobSpec(**j) for j in yaml.safe_load(fh)["jobs"]]


def submit(spec: JobSpec, client=None):
    client = client or replicate
    if spec.webhook:
        return client.trainings.create(  # v1: T02
            model=spec.base,
            version=spec.version,
            input={"input_images": spec.dataset_url, "steps": spec.steps},
            destination=spec.destination,
            webhook=spec.webhook,
        )
    return client.trainings.create(  # v1: T01
        f"{spec.base}:{spec.version}",
        {"input_images": spec.dataset_url, "steps": spec.steps},
        spec.destination,
    )


def ensure_destination(spec: JobSpec) -> None:
    owner, name = spec.destination.split("/")
    try:
        replicate.models.get(owner=owner, name=name)  # v1: MD03
    except ReplicateError as err:
        if err.status != 404:  # v1: E03
            raise
        replicate.models.create(owner, name, visibility="private", hardware="gpu-a40-large")  # v1: MD12


def kill_stale(max_running: int) -> None:
    running = [t for t in replicate.trainings.list() if t.status == "processing"]  # v1: PG04
    for training in running[max_running:]:
        log.warning("cancelling %s", training.id)
        training.cancel()  # v1: T11


async def watch(ids: list[str]) -> dict[str, str]:
    result = {}
    pending = set(ids)
    while pending:
        for tid in list(pending):
            t = await replicate.trainings.async_get(tid)  # v1: T06
            if t.status in ("succeeded", "failed", "canceled"):
                result[tid] = t.status
                pending.discard(tid)
        await asyncio.sleep(30)
    return result


async def abort_all(ids: list[str]) -> None:
    await asyncio.gather(*(replicate.trainings.async_cancel(i) for i in ids))  # v1: T10


async def resubmit_async(spec: JobSpec):
    t = await replicate.trainings.async_create(  # v1: T04
        spec.base,
        spec.version,
        {"input_images": spec.dataset_url},
        destination=spec.destination,
    )
    await t.async_reload()  # v1: T14
    if t.status == "failed":
        await t.async_cancel()  # v1: T12
    return t


def main(path: str) -> int:
    specs = load(path)
    kill_stale(max_running=4)
    ids = []
    for spec in specs:
        ensure_destination(spec)
        t = submit(spec)
        log.info("%s -> %s (%s)", spec.name, t.id, t.urls["get"])  # v1: T16
        ids.append(t.id)
    statuses = asyncio.run(watch(ids))
    failed = [i for i, s in statuses.items() if s != "succeeded"]
    return 1 if failed else 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "jobs.yaml"))
