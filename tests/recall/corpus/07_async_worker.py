"""Background worker: pulls jobs from Redis and fans them out to Replicate concurrently."""
import asyncio
import json
import logging
import os
import signal

import redis.asyncio as aioredis
import replicate
from replicate.exceptions import ReplicateError  # v1: IM16

log = logging.getLogger("worker")
CONCURRENCY = int(os.environ.get("CONCURRENCY", "8"))


class Worker:
    def __init__(self, client=None):
        self.client = client or replicate.Client()  # v1: M01, C03
        self.redis = aioredis.from_url(os.environ.get("REDIS_URL", "redis://localhost"))
        self.stop = asyncio.Event()
        self.sem = asyncio.Semaphore(CONCURRENCY)

    async def handle(self, job: dict) -> dict:
        kind = job["kind"]
        if kind == "run":
            out = await self.client.async_run(job["ref"], input=job["input"])  # v1: R02
            return {"output": [str(o) for o in out] if isinstance(out, list) else str(out)}
        if kind == "prediction":
            p = await self.client.predictions.async_create(version=job["version"], input=job["input"])  # v1: P13
            await p.async_wait()  # v1: PO02
            return {"id": p.id, "status": p.status, "output": p.output}
        if kind == "model":
            m = await self.client.models.async_get(job["ref"])  # v1: MD05
            return {"owner": m.owner, "name": m.name, "runs": m.run_count}
        if kind == "upload":
            with open(job["path"], "rb") as fh:
                f = await self.client.files.async_create(fh)  # v1: F02
            return {"file": f.id, "url": f.urls["get"]}  # v1: F09
        if kind == "cancel":
            p = await self.client.predictions.async_get(job["id"])  # v1: P04
            await p.async_cancel()  # v1: PO04
            return {"id": p.id, "status": p.status}
        raise ValueError(f"unknown job kind {kind!r}")

    async def process(self, raw: bytes) -> None:
        job = json.loads(raw)
        async with self.sem:
            try:
                result = await self.handle(job)
            except ReplicateError as e:
                log.error("replicate error %s for job %s", e.status, job.get("id"))  # v1: E03
                result = {"error": e.to_dict()}  # v1: E05
            await self.redis.set(f"result:{job['id']}", json.dumps(result))

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, self.stop.set)
        tasks = set()
        while not self.stop.is_set():
            item = await self.redis.blpop("jobs", timeout=1)
            if item is None:
                continue
            task = asyncio.create_task(self.process(item[1]))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def report_recent(client) -> None:
    async for page in replicate.async_paginate(client.predictions.async_list):  # v1: M08, P02
        for p in page.results:
            log.info("%s %s", p.id, p.status)
    models_page = await client.models.async_list()  # v1: MD07
    log.info("first model page has %d entries", len(models_page.results))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(Worker().run())
