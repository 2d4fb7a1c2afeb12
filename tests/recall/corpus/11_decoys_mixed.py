"""Utility module mixing Replicate calls that are unchanged in v2 with lookalikes from other libraries."""
import asyncio
import concurrent.futures
import importlib
import subprocess
import threading

import httpx
import openai
import replicate
from replicate.exceptions import ModelError


def replicate_rows(rows, times=2):
    # a local helper that happens to be named like the SDK
    replicate = [r for r in rows for _ in range(times)]
    return replicate


def shell(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def reload_plugins(mod):
    return importlib.reload(mod)


def wait_for_flag(flag: threading.Event, proc: subprocess.Popen) -> int:
    flag.wait(timeout=3)
    return proc.wait()


async def with_deadline(coro, seconds: float):
    task = asyncio.ensure_future(coro)
    try:
        return await asyncio.wait_for(asyncio.shield(task), seconds)
    except asyncio.TimeoutError:
        task.cancel()
        raise


def pool_map(fn, items):
    with concurrent.futures.ThreadPoolExecutor() as ex:
        futures = [ex.submit(fn, i) for i in items]
        for f in futures:
            if not f.done():
                f.cancel()
        return [f.result() for f in futures if not f.cancelled()]


def other_clients():
    oa = openai.Client(api_key="sk-test")
    http = httpx.Client(base_url="https://api.replicate.com", headers={"X": "1"}, timeout=5)
    return oa, http


def unchanged_calls(version_id: str, prompt: str):
    # keyword-only calls whose v1 and v2 forms are identical
    out = replicate.run("black-forest-labs/flux-schnell", input={"prompt": prompt})
    pred = replicate.predictions.create(version=version_id, input={"prompt": prompt})
    print(pred.id, pred.status, pred.input, pred.logs, pred.error)
    page = replicate.predictions.list()
    ids = [p.id for p in page.results]
    if page.next:
        print("more predictions exist after", ids[-1])
    for hw in replicate.hardware.list():
        print(hw.sku, hw.name)
    return out


def describe_collection(col) -> str:
    # `col` is a collection fetched elsewhere; .slug/.name/.models read the same in v2
    return f"{col.slug}: {col.name} ({', '.join(m.name for m in col.models)})"


def keyword_creates(owner: str):
    model = replicate.models.create(
        owner=owner,
        name="my-model",
        visibility="private",
        hardware="gpu-t4",
        description="created from a script",
    )
    dep = replicate.deployments.create(
        name="my-model-prod",
        model=f"{owner}/my-model",
        version="5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
        hardware="gpu-t4",
        min_instances=0,
        max_instances=1,
    )
    print(model.owner, model.name, model.visibility, dep.owner, dep.name)


def failing_model(prompt: str):
    try:
        return replicate.run("acme/flaky", input={"prompt": prompt}, wait=False)
    except ModelError as e:
        print("failed prediction", e.prediction.id, e.prediction.error)
        return None


def the_one_real_problem(pid: str):
    return replicate.predictions.get(pid)  # v1: P03
