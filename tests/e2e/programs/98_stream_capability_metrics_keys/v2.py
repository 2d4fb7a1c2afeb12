# v2 target (the tool's rewrite, reviewed row by row against the mapping; EQUIVALENT with run_pair.py). Rows: P06
# (version= create unchanged; stream=True kept), PO15/T16 (`key in urls` tests the keys the response set:
# `urls.model_fields_set`), PO14 (`key in metrics` likewise, also through a local; `metrics["k"]` -> `metrics.k`), PO05
# (reload() -> predictions.get), P07/P09/PO01 (create(model=, wait=True): split, wait= dropped as 1.0.7 did; wait() ->
# predictions.wait), T02 (trainings.create(model=, version=) split into model_owner=/model_name=/version_id=). The decoys stay as they were.
import replicate

MODEL_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


class LocalRun:
    def __init__(self):
        self.metrics = {"predict_time": 0.5}


def describe(prediction):
    can_stream = "stream" in prediction.urls.model_fields_set
    print("@@ stream", prediction.id, can_stream)
    if "stream" not in prediction.urls.model_fields_set:
        print("@@ polling", prediction.id)
    return can_stream


def timing(p):
    if p.metrics and "predict_time" in p.metrics.model_fields_set:
        return p.metrics.predict_time
    return None


def report(p):
    m = p.metrics
    if "total_time" not in m.model_fields_set:
        print("@@ no total yet", p.status)
    else:
        print("@@ total", p.metrics.total_time)


def main():
    streamed = replicate.predictions.create(version=MODEL_VERSION, input={"prompt": "a"}, stream=True)
    plain = replicate.predictions.create(version=MODEL_VERSION, input={"prompt": "b"})
    describe(streamed)
    describe(plain)
    print("@@ timing before", timing(plain))
    report(plain)
    while plain.status not in ("succeeded", "failed", "canceled"):
        plain = replicate.predictions.get(prediction_id=plain.id)
    print("@@ timing after", timing(plain))
    report(plain)

    listed = replicate.models.predictions.create(model_owner="acme", model_name="llama-chat", input={"prompt": "c"})
    listed = replicate.predictions.wait(listed.id)
    print("@@ hello in output", "Hello" in listed.output)

    training = replicate.trainings.create(
        model_owner="owner", model_name="model", version_id=MODEL_VERSION, input={"data": "x"}, destination="owner/tuned"
    )
    print("@@ training get", "get" in training.urls.model_fields_set, "stream" in training.urls.model_fields_set)

    metrics = {"predict_time": 1.0}
    print("@@ local dict", "predict_time" in metrics)
    some_dict = {"a": 1}
    key = "a"
    print("@@ some dict", key in some_dict)
    run = LocalRun()
    print("@@ local class", "predict_time" in run.metrics)


main()
