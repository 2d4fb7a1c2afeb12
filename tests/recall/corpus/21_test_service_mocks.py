"""Unit tests for the thumbnailer service; the Replicate client is mocked out."""
from types import SimpleNamespace
from unittest import mock

import pytest
import replicate
from replicate.exceptions import ModelError, ReplicateError  # v1: IM16
from replicate.prediction import Prediction  # v1: IM04


class Thumbnailer:
    def __init__(self, client=None):
        self.client = client if client is not None else replicate.Client(api_token="test")  # v1: C02

    def thumb(self, url: str) -> str:
        out = self.client.run("acme/thumb:1234abcd", input={"image": url, "size": 256})
        return str(out)

    def thumb_async(self, url: str) -> str:
        pred = self.client.predictions.create(version="1234abcd", input={"image": url})
        return pred.id

    def result(self, pid: str):
        pred = self.client.predictions.get(pid)  # v1: P03
        if pred.status == "starting":
            pred.wait()  # v1: PO01
        return pred.output

    def safe_thumb(self, url: str):
        try:
            return self.thumb(url)
        except ReplicateError as exc:
            return {"error": exc.detail, "status": exc.status}  # v1: E04, E03


@pytest.fixture
def fake_client():
    client = mock.MagicMock()
    client.run.return_value = "https://cdn.example.com/t.png"
    client.predictions.create.return_value = SimpleNamespace(id="p1", status="starting")
    return client


def test_thumb_uses_client(fake_client):
    svc = Thumbnailer(fake_client)
    assert svc.thumb("https://x/y.png").endswith(".png")
    fake_client.run.assert_called_once()


def test_thumb_async_returns_id(fake_client):
    assert Thumbnailer(fake_client).thumb_async("u") == "p1"


def test_module_run_is_patchable():
    with mock.patch("replicate.run", return_value=["a"]) as run:
        assert replicate.run("acme/thumb", input={}) == ["a"]
        run.assert_called_once_with("acme/thumb", input={})


def test_error_mapping(fake_client):
    fake_client.run.side_effect = ReplicateError(status=429, detail="slow down")  # v1: E08
    out = Thumbnailer(fake_client).safe_thumb("u")
    assert out == {"error": "slow down", "status": 429}


def test_model_error_has_prediction():
    pred = SimpleNamespace(id="p9", status="failed", error="boom")
    err = ModelError(pred)
    assert err.prediction.id == "p9"
    assert str(err) == "boom"


def as_prediction(obj) -> Prediction:
    # only an annotation: the object comes from the client
    return obj


def test_result_waits(fake_client):
    pending = mock.MagicMock(status="starting", output=None)
    fake_client.predictions.get.return_value = pending
    Thumbnailer(fake_client).result("p1")
    pending.wait.assert_called_once_with()
