# v2 rewrite. Rows: IM04 (replicate.prediction.Prediction -> replicate.types.Prediction), P07 (create(model="o/n") -> models.predictions.create),
# PO05 (p.reload() -> p = predictions.get(prediction_id=p.id), found through the `p: Prediction` annotation), E09/R15/E12 (ModelError: unchanged),
# E02/E03/E04 (except ReplicateError -> except replicate.APIStatusError; e.status -> e.status_code; e.detail -> e.body.get("detail")).
import time
from typing import Optional

import replicate
from replicate.exceptions import ModelError, ReplicateError
from replicate.types import Prediction

TERMINAL = frozenset({"succeeded", "failed", "canceled"})


def submit(text: str) -> Prediction:
    return replicate.models.predictions.create(model_owner="acme", model_name="summarizer", input={"text": text, "max_words": 40})


def poll(p: Prediction, interval: float = 0.01) -> str:
    while p.status not in TERMINAL:
        time.sleep(interval)
        p = replicate.predictions.get(prediction_id=p.id)
    return p.status


def describe(p: Prediction) -> str:
    return f"{p.id} {p.status} output={p.output!r} error={p.error!r}"


def safe_run(ref: str, text: str) -> Optional[str]:
    try:
        return replicate.run(ref, input={"text": text})
    except ModelError as e:
        print("@@ model error", e.prediction.id, e.prediction.status, e.prediction.error)
        return None
    except replicate.APIStatusError as e:
        print("@@ api error", e.status_code, e.body.get("detail"))
        return None


if __name__ == "__main__":
    p = submit("The quick brown fox jumps over the lazy dog.")
    print("@@ submitted", describe(p))
    print("@@ final status", poll(p))
    print("@@ run ok", safe_run("acme/summarizer", "hello"))
    print("@@ run failing", safe_run("acme/failing-summarizer", "hello"))
    print("@@ run missing", safe_run("acme/missing-summarizer", "hello"))
