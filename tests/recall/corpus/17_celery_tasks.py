"""Celery tasks for the image pipeline."""
import os
import tempfile
import urllib.request

import replicate
from celery import Celery, shared_task
from celery.result import AsyncResult
from replicate.exceptions import ModelError, ReplicateError  # v1: IM16

celery_app = Celery("pipeline", broker=os.environ.get("BROKER_URL", "redis://localhost:6379/0"))
WEBHOOK = os.environ.get("WEBHOOK_URL", "https://hooks.example.com/replicate")


@shared_task(bind=True, max_retries=3)
def generate(self, prompt: str, model: str = "black-forest-labs/flux-dev"):
    try:
        output = replicate.run(model, {"prompt": prompt, "aspect_ratio": "16:9"})  # v1: M03
    except ModelError as e:
        return {"error": e.prediction.error, "logs": e.prediction.logs}
    except ReplicateError as e:
        if e.status == 429:  # v1: E03
            raise self.retry(countdown=30)
        raise
    return [str(o) for o in output]


@shared_task
def warm_up(model: str = "replicate/hello-world"):
    # no input at all: the model has defaults for everything
    return replicate.run(model)  # v1: M03, R06


@shared_task
def fire_and_forget(version: str, prompt: str):
    prediction = replicate.predictions.create(  # v1: P10
        version=version,
        input={"prompt": prompt},
        webhook_completed=WEBHOOK,
    )
    return prediction.id


@shared_task
def legacy_run(prompt: str):
    return replicate.run(  # v1: R09
        "stability-ai/sdxl:39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b",
        input={"prompt": prompt},
        webhook_completed=WEBHOOK,
    )


@shared_task
def download(prediction_id: str) -> str:
    prediction = replicate.predictions.get(prediction_id)  # v1: P03
    if prediction.status != "succeeded":
        prediction.wait()  # v1: PO01
    url = prediction.output[0]
    fd, path = tempfile.mkstemp(suffix=".png")
    os.close(fd)
    urllib.request.urlretrieve(url, path)
    return path


@shared_task
def cancel(prediction_id: str) -> str:
    replicate.predictions.cancel(prediction_id)  # v1: P14
    return prediction_id


@shared_task
def run_on_deployment(prompt: str):
    prediction = replicate.deployments.predictions.create(  # v1: D11, P09
        "acme/flux-prod",
        input={"prompt": prompt},
        wait=60,
    )
    return prediction.output


def revoke(task_id: str) -> None:
    # Celery's own AsyncResult: unrelated .get()/.wait()-style API
    result = AsyncResult(task_id, app=celery_app)
    if not result.ready():
        result.revoke(terminate=True)
    else:
        result.get(timeout=1)


@shared_task
def cost_report(ids: list[str]) -> float:
    total = 0.0
    for pid in ids:
        p = replicate.predictions.get(id=pid)  # v1: P03
        if p.metrics and "predict_time" in p.metrics:  # v1: PO14
            total += p.metrics.get("predict_time", 0.0)  # v1: PO14
    return total
