# v2 rewrite. Rows: P06, PO15 (prediction.urls["get"]/["cancel"] -> urls.get/urls.cancel), PO05 (prediction.reload() -> prediction = predictions.get(prediction_id=)),
# PO14 (prediction.metrics["predict_time"] -> metrics.predict_time).
import time

import replicate

VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


def run_and_poll(prompt, poll=0.01, max_polls=20):
    prediction = replicate.predictions.create(version=VERSION, input={"prompt": prompt})
    print("@@ created", prediction.id, prediction.status, prediction.urls.get)
    polls = 0
    while prediction.status not in ("succeeded", "failed", "canceled") and polls < max_polls:
        time.sleep(poll)
        prediction = replicate.predictions.get(prediction_id=prediction.id)
        polls += 1
        print("@@ poll", polls, prediction.status)
    return prediction


if __name__ == "__main__":
    p = run_and_poll("hello")
    print("@@ final", p.id, p.status, p.output, p.metrics.predict_time)
    print("@@ cancel url", p.urls.cancel)
