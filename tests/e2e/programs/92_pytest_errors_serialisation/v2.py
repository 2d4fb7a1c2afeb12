# v2 rewrite. Rows: E02/IM16 (`from replicate.exceptions import ReplicateError` -> APIStatusError, kept under the old name), M01/C02 (the
# client fixture -> replicate.Replicate(bearer_token=)), P07/P06 (`predictions.create(model=)` with no input -> `models.predictions.create(
# model_owner=, model_name=, input={})`; v1 sent `input: {}` itself), PO17 (`.dict()` -> `.model_dump(mode="json")`, `.json()` ->
# `.model_dump_json()` on the prediction; `model.dict()` -> `model.model_dump()`, whose version's `created_at` is a datetime in both), MD02 (`models.get(o, n)` -> keywords), E05 (`e.to_dict()` -> `e.body`; the answers
# here are JSON with the same title/status/detail), P03 (`get(id)` -> `prediction_id=`), E13 (`except (httpx.ConnectError, httpx.ReadTimeout)`
# around `client.run` -> `(replicate.APIConnectionError, replicate.APITimeoutError)`). Snapshot.dict(), local_probe()'s httpx clause and
# Snapshot.created_at are the module's own.
import json
import os

import httpx

import replicate
from replicate.exceptions import APIStatusError as ReplicateError

try:
    import pytest
except ImportError:  # `python test_wrapper.py` without pytest: fixtures become plain functions
    class pytest:  # noqa: N801
        @staticmethod
        def fixture(func=None, **_options):
            return func if func is not None else (lambda f: f)


HELLO = "acme/hello-world"


class Snapshot:
    def __init__(self, name, payload):
        self.name = name
        self.payload = payload
        self.created_at = "2024-01-01"

    def dict(self):
        return {"name": self.name, "keys": sorted(self.payload), "created_at": self.created_at}


def local_probe(path):
    try:
        with open(path) as fh:
            return fh.read(1)
    except httpx.TimeoutException:
        return ""


@pytest.fixture(scope="session")
def client():
    return replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])


@pytest.fixture
def prediction(client):
    owner, name = HELLO.split("/", 1)
    return client.models.predictions.create(model_owner=owner, model_name=name, input={})


def test_prediction_snapshot(prediction):
    data = prediction.model_dump(mode="json")
    assert data["id"] == prediction.id
    text = json.loads(prediction.model_dump_json())
    snap = Snapshot("prediction", data)
    return data["status"], text["input"], [k for k in ("id", "status", "urls") if k in snap.dict()["keys"]]


def test_model_snapshot(client):
    model = client.models.get(model_owner="acme", model_name="hello-world")
    data = model.model_dump()
    return data["owner"], data["name"], type(data["latest_version"]["created_at"]).__name__


def test_missing_model(client):
    try:
        client.models.get(model_owner="acme", model_name="missing-model")
    except ReplicateError as e:
        error = e.body
        return error["status"], error["title"], error["detail"]
    return None


def test_forbidden_prediction(client):
    try:
        client.predictions.get(prediction_id="forbidden-pred")
    except ReplicateError as e:
        return e.body.get("status"), sorted(k for k in ("title", "detail") if k in e.body)
    return None


def test_network_guard(client):
    try:
        output = client.run(HELLO, input={"text": "ping"})
    except (replicate.APIConnectionError, replicate.APITimeoutError):
        output = "offline"
    return output


if __name__ == "__main__":
    c = client()
    print("@@ snapshot", test_prediction_snapshot(prediction(c)))
    print("@@ model", test_model_snapshot(c))
    print("@@ missing", test_missing_model(c))
    print("@@ forbidden", test_forbidden_prediction(c))
    print("@@ network", test_network_guard(c))
    print("@@ probe", local_probe(__file__))
