# Exercises: a pytest module for a model-serving wrapper, with conftest-style fixtures in the same file: a session `client`
# fixture, a `prediction` fixture made with `predictions.create(model=...)` and no input; tests that snapshot objects with
# `prediction.dict()` / `prediction.json()` / `model.dict()` (whose version's `created_at` was already a datetime), that read API errors with `e.to_dict()` (404 and 403), and that
# guard SDK calls with `except (httpx.ConnectError, httpx.ReadTimeout)`; decoys: a `Snapshot.dict()` of the module's own, an
# `except httpx.TimeoutException` around a local helper with no SDK call, and a local `created_at`. Runs without pytest: a
# stand-in `pytest.fixture`, and a __main__ block that builds the fixtures and calls the tests by hand.
import json
import os

import httpx

import replicate
from replicate.exceptions import ReplicateError

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
    return replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])


@pytest.fixture
def prediction(client):
    return client.predictions.create(model=HELLO)


def test_prediction_snapshot(prediction):
    data = prediction.dict()
    assert data["id"] == prediction.id
    text = json.loads(prediction.json())
    snap = Snapshot("prediction", data)
    return data["status"], text["input"], [k for k in ("id", "status", "urls") if k in snap.dict()["keys"]]


def test_model_snapshot(client):
    model = client.models.get("acme", "hello-world")
    data = model.dict()
    return data["owner"], data["name"], type(data["latest_version"]["created_at"]).__name__


def test_missing_model(client):
    try:
        client.models.get("acme", "missing-model")
    except ReplicateError as e:
        error = e.to_dict()
        return error["status"], error["title"], error["detail"]
    return None


def test_forbidden_prediction(client):
    try:
        client.predictions.get("forbidden-pred")
    except ReplicateError as e:
        return e.to_dict().get("status"), sorted(k for k in ("title", "detail") if k in e.to_dict())
    return None


def test_network_guard(client):
    try:
        output = client.run(HELLO, input={"text": "ping"})
    except (httpx.ConnectError, httpx.ReadTimeout):
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
