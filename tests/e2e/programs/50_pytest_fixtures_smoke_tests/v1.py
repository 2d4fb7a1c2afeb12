# Exercises: a pytest smoke-test module with conftest-style fixtures in the same file: `@pytest.fixture(scope="session") def client(): return
# replicate.Client(api_token=...)`, `@pytest.fixture def prediction(client)` returning client.predictions.create(...), a yield fixture `running(client)`
# that cancels in teardown; test functions taking `client` / `prediction` / `running`: client.run(ref, {...}), prediction.wait(), client.predictions.get(id),
# `except ReplicateError as e` with e.status/e.title, `except ModelError as e` with e.prediction. Runs without pytest: a stand-in `pytest.fixture`
# when the import fails, and a __main__ block that builds the fixtures and calls the tests by hand.
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
    return replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])


@pytest.fixture
def prediction(client):
    return client.predictions.create(model=LLM, input={"prompt": "Say hello", "max_tokens": 8})


@pytest.fixture
def running(client):
    p = client.predictions.create(model="acme/slow-model", input={"seconds": 30})
    yield p
    client.predictions.cancel(p.id)


def test_run_llm(client):
    output = client.run(LLM, {"prompt": "Say hello", "max_tokens": 8})
    text = "".join(output)
    assert text == "Hello, world"
    print("@@ test_run_llm", repr(text))


def test_prediction_completes(client, prediction):
    assert prediction.status == "starting"
    prediction.wait()
    assert prediction.status == "succeeded", prediction.error
    fetched = client.predictions.get(prediction.id)
    assert fetched.status == prediction.status
    print("@@ test_prediction_completes", prediction.id, prediction.status, "".join(prediction.output))


def test_running_is_visible(client, running):
    seen = client.predictions.get(running.id)
    assert seen.status in ("starting", "processing")
    print("@@ test_running_is_visible", seen.id, seen.status)


def test_missing_model_is_404(client):
    try:
        client.run("acme/missing-model", input={"prompt": "x"})
    except ReplicateError as e:
        assert e.status == 404
        print("@@ test_missing_model_is_404", e.status, e.title)
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
    print("@@ teardown", c.predictions.get("gen_003").status)
