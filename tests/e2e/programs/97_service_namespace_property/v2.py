# v2 target (the tool's rewrite, reviewed row by row against the mapping; EQUIVALENT with run_pair.py). Rows: C02/C06 (Client(api_token=) -> Replicate(bearer_token=)),
# P07 (predictions.create(model=) -> the property's client's models.predictions.create(model_owner=, model_name=)),
# P03/P14 (the ID as prediction_id=, through the property), MD01 (models.get split into model_owner=/model_name=),
# IM07 (the Models annotation is v2's ModelsResource), PO14 (metrics read with getattr), PO15 (urls as attributes, on the
# dataclass's tracked prediction and on the job isinstance tells from the queue). The decoys stay as they were.
import os
import queue
from dataclasses import dataclass, field
from typing import Optional, Union

import replicate
from replicate.resources import ModelsResource as Models
from replicate.types import Prediction

LocalJob = queue.Queue


class Service:
    def __init__(self, token):
        self.token = token
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = replicate.Replicate(bearer_token=self.token)
        return self._client

    @property
    def predictions(self):
        return self.client.predictions

    def submit(self, prompt):
        return self.client.models.predictions.create(model_owner="owner", model_name="model", input={"prompt": prompt})

    def by_id(self, prediction_id):
        return self.predictions.get(prediction_id=prediction_id)

    def stop(self, prediction_id):
        self.predictions.cancel(prediction_id=prediction_id)


class Cache:
    def __init__(self):
        self._store = {"a": "cached"}

    @property
    def predictions(self):
        return self._store

    def by_id(self, key):
        return self.predictions.get(key)


@dataclass
class Tracked:
    name: str
    prediction: Optional[Prediction] = None


@dataclass
class Board:
    jobs: dict[str, Tracked] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def add(self, name, prediction):
        tracked = Tracked(name)
        tracked.prediction = prediction
        self.jobs[name] = tracked
        self.labels[name] = name.upper()

    def status(self, name):
        tracked = self.jobs[name]
        return tracked.prediction.urls.get, self.labels[name].lower()


def describe(models: Models, ref):
    m = models.get(model_owner=ref.split("/", 1)[0], model_name=ref.split("/", 1)[1])
    return f"{m.owner}/{m.name}"


def seconds(p):
    return getattr((p.metrics or {}), "predict_time", None)


def settle(job: Union[Prediction, LocalJob]):
    if isinstance(job, LocalJob):
        return job.get()
    return job.urls.cancel


def main():
    svc = Service(os.environ["REPLICATE_API_TOKEN"])
    p = svc.submit("hello")
    print("@@ submitted", p.id, p.status)
    q = svc.by_id(p.id)
    print("@@ fetched", q.id, q.status, seconds(q))
    svc.stop(p.id)
    board = Board()
    board.add("first", q)
    print("@@ board", board.status("first"))
    print("@@ model", describe(svc.client.models, "owner/model"))
    local = LocalJob()
    local.put("done locally")
    print("@@ settle", settle(local), settle(q))
    print("@@ cache", Cache().by_id("a"))


if __name__ == "__main__":
    main()
