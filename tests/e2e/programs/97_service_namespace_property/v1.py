# Exercises: a service whose `predictions` property returns the namespace of its lazily built v1 client
# (`self.predictions.create/get/cancel` are `self.client.predictions...`), a helper typed `models: Models`, metrics
# read as `(p.metrics or {}).get(...)`, a job typed `Union[Prediction, LocalJob]` (`LocalJob = queue.Queue`) told
# apart by isinstance, and assets kept in a dataclass field `dict[str, Asset]`. Decoys: a cache whose `predictions`
# property is a dict, the queue's own `get()`, a dict of strings.
import os
import queue
from dataclasses import dataclass, field
from typing import Optional, Union

import replicate
from replicate.model import Models
from replicate.prediction import Prediction

LocalJob = queue.Queue


class Service:
    def __init__(self, token):
        self.token = token
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = replicate.Client(api_token=self.token)
        return self._client

    @property
    def predictions(self):
        return self.client.predictions

    def submit(self, prompt):
        return self.predictions.create(model="owner/model", input={"prompt": prompt})

    def by_id(self, prediction_id):
        return self.predictions.get(prediction_id)

    def stop(self, prediction_id):
        self.predictions.cancel(prediction_id)


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
        return tracked.prediction.urls["get"], self.labels[name].lower()


def describe(models: Models, ref):
    m = models.get(ref)
    return f"{m.owner}/{m.name}"


def seconds(p):
    return (p.metrics or {}).get("predict_time")


def settle(job: Union[Prediction, LocalJob]):
    if isinstance(job, LocalJob):
        return job.get()
    return job.urls["cancel"]


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
