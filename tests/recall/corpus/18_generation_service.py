"""Generation service layer used by the web app and the admin CLI."""
from __future__ import annotations

import logging
import queue
import time
from typing import Any, Optional, Union

import replicate
from replicate import Client  # v1: IM01
from replicate.prediction import Prediction, Predictions  # v1: IM04, IM05

log = logging.getLogger(__name__)
LocalJob = queue.Queue


class GenerationService:
    def __init__(self, client: Optional[Client] = None, model: str = "black-forest-labs/flux-dev"):
        self._client = client
        self.model = model

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = Client(api_token=None)  # v1: C02
        return self._client

    @property
    def predictions(self) -> Predictions:
        return self.client.predictions

    def submit(self, prompt: str, *, local: bool = False, **extra: Any) -> Union[Prediction, LocalJob]:
        if local:
            job = LocalJob()
            job.put(prompt)
            return job
        job = self.predictions.create(model=self.model, input={"prompt": prompt, **extra})  # v1: P07
        return job

    def finish(self, job: Union[Prediction, LocalJob], timeout: float = 120.0) -> Any:
        if isinstance(job, LocalJob):
            return job.get(timeout=timeout)
        deadline = time.monotonic() + timeout
        while job.status not in ("succeeded", "failed", "canceled"):
            if time.monotonic() > deadline:
                job.cancel()  # v1: PO03
                raise TimeoutError(job.id)
            time.sleep(1)
            job.reload()  # v1: PO05
        return job.output

    def by_id(self, prediction_id: str) -> Prediction:
        return self.predictions.get(prediction_id)  # v1: P03

    def stop(self, prediction_id: str) -> None:
        self.predictions.cancel(prediction_id)  # v1: P14

    def recent(self, limit: int = 20) -> list[Prediction]:
        out: list[Prediction] = []
        for page in replicate.paginate(self.predictions.list):  # v1: M07
            out.extend(page.results)
            if len(out) >= limit:
                break
        return out[:limit]

    def newest_first_page(self) -> list[str]:
        page = self.predictions.list()
        return [p.id for p in page.results]

    def older(self, page) -> list[str]:
        if page.previous:  # v1: PG03
            prev = self.predictions.list(cursor=page.previous)  # v1: P01, PG03
            return [p.id for p in prev.results]
        return []


def quick(prompt: str, service: Optional[GenerationService] = None) -> Any:
    service = service or GenerationService()
    job = service.submit(prompt)
    job.wait()  # v1: PO01
    if job.status == "failed":
        log.error("failed: %s", job.error)
    return job.output


def quick_local(prompt: str) -> str:
    job = GenerationService().submit(prompt, local=True)
    return job.get()
