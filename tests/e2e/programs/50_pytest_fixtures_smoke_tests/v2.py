# v2 rewrite. Rows: M01/C02 (the `client` fixture: replicate.Client(api_token=) -> replicate.Replicate(bearer_token=)), P07 (create(model=LLM), a
# non-literal ref, in the `prediction` fixture -> split + models.predictions.create; create(model="o/n") in `running`), P14 (cancel(p.id) in the yield
# fixture's teardown -> prediction_id=), R05 (client.run(ref, {...}) in a test taking the fixture -> input=), PO01 (prediction.wait() on the fixture
# value -> prediction = client.predictions.wait(prediction.id)), P03, E02/E03/E04 (except ReplicateError -> replicate.APIStatusError; e.status ->
# e.status_code; e.title -> e.body.get("title")), E09/E12 (ModelError unchanged).
import os

import replicate
from replicate.exceptions import ModelError, ReplicateError

try:
    import pytest
except ImportError:  # `python test_smoke.py` on a box without pytest: fixtures become plain functions
    class pytest:  # noqa: N801
        @staticmethod
        def fixture(func=None, **_options):
            return func if func is not None else (lambda f: f)


LLM = "meta/meta-llama-3-8b-instruct"


@pytest.fixture(scope="session")
def client():
    return replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])


@pytest.fixture
def prediction(client):
    _owner, _name = LLM.split("/", 1)
    return client.models.predictions.create(model_owner=_owner, model_name=_name, input={"prompt": "Say hello", "max_tokens": 8})


@pytest.fixture
def running(client):
    p = client.models.predictions.create(model_owner="acme", model_name="slow-model", input={"seconds": 30})
    yield p
    client.predictions.cancel(prediction_id=p.id)


def test_run_llm(client):
    output = client.run(LLM, input={"prompt": "Say hello", "max_tokens": 8})
    text = "".join(output)
    assert text == "Hello, world"
    print("@@ test_run_llm", repr(text))


def test_prediction_completes(client, prediction):
    assert prediction.status == "starting"
    prediction = client.predictions.wait(prediction.id)
    assert prediction.status == "succeeded", prediction.error
    fetched = client.predictions.get(prediction_id=prediction.id)
    assert fetched.status == prediction.status
    print("@@ test_prediction_completes", prediction.id, prediction.status, "".join(prediction.output))


def test_running_is_visible(client, running):
    seen = client.predictions.get(prediction_id=running.id)
    assert seen.status in ("starting", "processing")
    print("@@ test_running_is_visible", seen.id, seen.status)


def test_missing_model_is_404(client):
    try:
        client.run("acme/missing-model", input={"prompt": "x"})
    except replicate.APIStatusError as e:
        assert e.status_code == 404
        print("@@ test_missing_model_is_404", e.status_code, e.body.get("title"))
    else:
        raise AssertionError("expected a 404")


def test_failing_model_raises(client):
    try:
        client.run("acme/failing-model", input={"prompt": "x"})
    except ModelError as e:
        assert e.prediction.status == "failed"
        print("@@ test_failing_model_raises", e.prediction.id, e.prediction.error)
    else:
        raise AssertionError("expected ModelError")


if __name__ == "__main__":
    c = client()
    test_run_llm(c)
    test_prediction_completes(c, prediction(c))
    fixture = running(c)
    test_running_is_visible(c, next(fixture))
    next(fixture, None)  # teardown: cancels the prediction
    test_missing_model_is_404(c)
    test_failing_model_raises(c)
    print("@@ teardown", c.predictions.get(prediction_id="gen_003").status)
