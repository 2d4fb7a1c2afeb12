"""Integration tests for our Replicate-backed pipeline (run with REPLICATE_API_TOKEN set)."""
import os
import threading

import pytest
import replicate
from replicate import Client  # v1: IM01
from replicate.exceptions import ModelError
from replicate.prediction import Prediction  # v1: IM04

pytestmark = pytest.mark.skipif("REPLICATE_API_TOKEN" not in os.environ, reason="needs a token")

HELLO = "replicate/hello-world:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


@pytest.fixture(scope="session")
def client():
    return Client(os.environ["REPLICATE_API_TOKEN"])  # v1: C01


@pytest.fixture
def started(client) -> Prediction:
    prediction = client.predictions.create(HELLO.split(":")[1], {"text": "pytest"})  # v1: P05
    yield prediction
    if prediction.status not in ("succeeded", "failed", "canceled"):
        prediction.cancel()  # v1: PO03


def test_run_returns_text(client):
    out = client.run(HELLO, input={"text": "world"})
    assert out == "hello world"


def test_run_without_input_fails_in_model(client):
    with pytest.raises(ModelError) as excinfo:
        client.run(HELLO)  # v1: R06
    assert excinfo.value.prediction.status == "failed"


def test_prediction_wait(started):
    started.wait()  # v1: PO01
    assert started.status == "succeeded"
    assert started.output == "hello pytest"
    assert started.completed_at.startswith("20")  # v1: PO13


def test_prediction_round_trip(client, started):
    fetched = client.predictions.get(started.id)  # v1: P03
    assert fetched.id == started.id
    assert fetched.dict()["input"] == {"text": "pytest"}  # v1: PO17


def test_list_contains_started(client, started):
    page = client.predictions.list()
    ids = [p.id for p in page.results]
    assert started.id in ids
    assert len(page) > 0  # v1: PG06
    assert page[0].id  # v1: PG05


def test_progress_is_parsed(started):
    started.wait()  # v1: PO01
    assert started.progress is None or started.progress.percentage <= 1.0  # v1: PO11


def test_event_decoy():
    done = threading.Event()
    t = threading.Thread(target=done.set)
    t.start()
    assert done.wait(timeout=5)
    t.join()


def test_account(client):
    acct = client.accounts.current()  # v1: A01
    assert acct.username
    assert acct.type in ("user", "organization")


def test_hardware_has_gpu(client):
    skus = {hw.sku for hw in client.hardware.list()}
    assert any("gpu" in s for s in skus)


def test_module_level_client_is_shared():
    assert replicate.default_client is not None  # v1: M02
