# Exercises: type-annotated helpers: `from replicate.prediction import Prediction`; `def submit(...) -> Prediction`; `def poll(p: Prediction) -> str` calling p.reload();
# `from replicate.exceptions import ModelError, ReplicateError` around run (ModelError on a failing model, ReplicateError with .status/.detail on a 404).
import time
from typing import Optional

import replicate
from replicate.exceptions import ModelError, ReplicateError
from replicate.prediction import Prediction

TERMINAL = frozenset({"succeeded", "failed", "canceled"})


def submit(text: str) -> Prediction:
    return replicate.predictions.create(model="acme/summarizer", input={"text": text, "max_words": 40})


def poll(p: Prediction, interval: float = 0.01) -> str:
    while p.status not in TERMINAL:
        time.sleep(interval)
        p.reload()
    return p.status


def describe(p: Prediction) -> str:
    return f"{p.id} {p.status} output={p.output!r} error={p.error!r}"


def safe_run(ref: str, text: str) -> Optional[str]:
    try:
        return replicate.run(ref, input={"text": text})
    except ModelError as e:
        print("@@ model error", e.prediction.id, e.prediction.status, e.prediction.error)
        return None
    except ReplicateError as e:
        print("@@ api error", e.status, e.detail)
        return None


if __name__ == "__main__":
    p = submit("The quick brown fox jumps over the lazy dog.")
    print("@@ submitted", describe(p))
    print("@@ final status", poll(p))
    print("@@ run ok", safe_run("acme/summarizer", "hello"))
    print("@@ run failing", safe_run("acme/failing-summarizer", "hello"))
    print("@@ run missing", safe_run("acme/missing-summarizer", "hello"))
