# Exercises: generation job with a polling budget: models.get("o", "n"), model.versions.get(model.latest_version.id) (a v1 Version object) passed as
# predictions.create(version=<Version>, input=...); a reload() loop that cancel()s the prediction once over budget; urls["cancel"]; metrics["predict_time"].
import replicate

TERMINAL = ("succeeded", "failed", "canceled")


def pinned_version(owner, name):
    model = replicate.models.get(owner, name)
    version = model.versions.get(model.latest_version.id)
    print("@@ pinned", model.owner, model.name, version.id[:12], version.cog_version)
    return version


def generate(prompt, max_polls):
    version = pinned_version("stability-ai", "sdxl")
    prediction = replicate.predictions.create(version=version, input={"prompt": prompt, "num_outputs": 1})
    print("@@ created", prediction.id, prediction.status, prediction.urls["cancel"])
    polls = 0
    while prediction.status not in TERMINAL:
        if polls >= max_polls:
            prediction.cancel()
            print("@@ over budget, canceled", prediction.id, prediction.status)
            break
        prediction.reload()
        polls += 1
        print("@@ poll", polls, prediction.status)
    if prediction.status == "succeeded":
        return prediction.output, prediction.metrics["predict_time"]
    return None, prediction.status


if __name__ == "__main__":
    print("@@ tight budget", generate("a lighthouse in a storm", max_polls=1))
    print("@@ enough budget", generate("a lighthouse at dawn", max_polls=5))
