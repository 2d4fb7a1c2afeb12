# v2 rewrite. Rows: MD02 (models.get(owner, name) -> keywords), MO07/V01 (model.versions.get(id) -> models.versions.get(model_owner=, model_name=, version_id=)), V08,
# P06 + I05/RM309 (version=<Version object> -> version=version.id), PO15 (urls["cancel"] -> urls.cancel), PO03 (prediction.cancel() -> prediction = predictions.cancel(prediction_id=)),
# PO05 (prediction.reload() -> prediction = predictions.get(prediction_id=)), PO14 (metrics["predict_time"] -> metrics.predict_time).
import replicate

TERMINAL = ("succeeded", "failed", "canceled")


def pinned_version(owner, name):
    model = replicate.models.get(model_owner=owner, model_name=name)
    version = replicate.models.versions.get(model_owner=model.owner, model_name=model.name, version_id=model.latest_version.id)
    print("@@ pinned", model.owner, model.name, version.id[:12], version.cog_version)
    return version


def generate(prompt, max_polls):
    version = pinned_version("stability-ai", "sdxl")
    prediction = replicate.predictions.create(version=version.id, input={"prompt": prompt, "num_outputs": 1})
    print("@@ created", prediction.id, prediction.status, prediction.urls.cancel)
    polls = 0
    while prediction.status not in TERMINAL:
        if polls >= max_polls:
            prediction = replicate.predictions.cancel(prediction_id=prediction.id)
            print("@@ over budget, canceled", prediction.id, prediction.status)
            break
        prediction = replicate.predictions.get(prediction_id=prediction.id)
        polls += 1
        print("@@ poll", polls, prediction.status)
    if prediction.status == "succeeded":
        return prediction.output, prediction.metrics.predict_time
    return None, prediction.status


if __name__ == "__main__":
    print("@@ tight budget", generate("a lighthouse in a storm", max_polls=1))
    print("@@ enough budget", generate("a lighthouse at dawn", max_polls=5))
