# Exercises: LoRA fine-tune script: trainings.create(model="o/n", version="<id>", input={"input_images": <open zip>, ...}, destination="o/new");
# trainings.get(training.id) polling loop; training.output["version"] once succeeded, then replicate.run(new_version, input=...); trainings.list() report.
import os
import time

import replicate

BASE_MODEL = "ostris/flux-dev-lora-trainer"
BASE_VERSION = "e440909d3512c31646ee2e0c7d6f6f4923224863a6a10c494606e79fb5844497"
DESTINATION = "acme/faces-lora"
POLL_SECONDS = float(os.environ.get("TRAIN_POLL_SECONDS", "0.01"))


def train_and_sample(zip_path, steps=1000):
    with open(zip_path, "rb") as images:
        training = replicate.trainings.create(
            model=BASE_MODEL,
            version=BASE_VERSION,
            input={"input_images": images, "steps": steps, "trigger_word": "TOK"},
            destination=DESTINATION,
        )
    print("@@ started", training.id, training.status, training.model, training.version)

    while training.status not in ("succeeded", "failed", "canceled"):
        time.sleep(POLL_SECONDS)
        training = replicate.trainings.get(training.id)
        print("@@ status", training.id, training.status)

    if training.status != "succeeded":
        print("@@ failed", training.error)
        return None

    new_version = training.output["version"]
    print("@@ new version", new_version)
    sample = replicate.run(new_version, input={"prompt": "a photo of TOK at the beach"})
    print("@@ sample", sample)
    return new_version


def report():
    page = replicate.trainings.list()
    for t in page:
        print("@@ listed", t.id, t.status, t.model)
    return len(page.results)


if __name__ == "__main__":
    print("@@ result", train_and_sample("faces.zip", steps=500))
    print("@@ listed count", report())
