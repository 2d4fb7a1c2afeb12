# Exercises: membership tests on v1 dict fields: `"stream" in prediction.urls` on a prediction created with
# stream=True and on one without, `"predict_time" in p.metrics` guarded by `p.metrics and` before and after the
# prediction finished, `not in` through a local holding `p.metrics`, and `"get" in training.urls`. Decoys: a local
# dict called metrics, `key in some_dict`, `x in p.output` on a list output, a local class with .metrics.
import replicate

MODEL_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


class LocalRun:
    def __init__(self):
        self.metrics = {"predict_time": 0.5}


def describe(prediction):
    can_stream = "stream" in prediction.urls
    print("@@ stream", prediction.id, can_stream)
    if "stream" not in prediction.urls:
        print("@@ polling", prediction.id)
    return can_stream


def timing(p):
    if p.metrics and "predict_time" in p.metrics:
        return p.metrics["predict_time"]
    return None


def report(p):
    m = p.metrics
    if "total_time" not in m:
        print("@@ no total yet", p.status)
    else:
        print("@@ total", p.metrics["total_time"])


def main():
    streamed = replicate.predictions.create(version=MODEL_VERSION, input={"prompt": "a"}, stream=True)
    plain = replicate.predictions.create(version=MODEL_VERSION, input={"prompt": "b"})
    describe(streamed)
    describe(plain)
    print("@@ timing before", timing(plain))
    report(plain)
    while plain.status not in ("succeeded", "failed", "canceled"):
        plain.reload()
    print("@@ timing after", timing(plain))
    report(plain)

    listed = replicate.predictions.create(model="acme/llama-chat", input={"prompt": "c"}, wait=True)
    listed.wait()
    print("@@ hello in output", "Hello" in listed.output)

    training = replicate.trainings.create(
        model="owner/model", version=MODEL_VERSION, input={"data": "x"}, destination="owner/tuned"
    )
    print("@@ training get", "get" in training.urls, "stream" in training.urls)

    metrics = {"predict_time": 1.0}
    print("@@ local dict", "predict_time" in metrics)
    some_dict = {"a": 1}
    key = "a"
    print("@@ some dict", key in some_dict)
    run = LocalRun()
    print("@@ local class", "predict_time" in run.metrics)


main()
