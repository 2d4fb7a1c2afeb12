# v2 rewrite. Rows: T02 (trainings.create(model="o/n", version=id) -> create(model_owner=, model_name=, version_id=)), 0b.5/RM206 (v2 trainings.create does not
# upload file inputs: upload with files.create(content=...) and pass .urls.get), T05 (trainings.get(id) -> training_id=), T16 (output["version"] -> output.version),
# I02 (run("o/n:ver"): unchanged), T07 + PG04 (for t in page -> page.results), PG01.
import os
import time

import replicate

BASE_MODEL = "ostris/flux-dev-lora-trainer"
BASE_VERSION = "e440909d3512c31646ee2e0c7d6f6f4923224863a6a10c494606e79fb5844497"
DESTINATION = "acme/faces-lora"
POLL_SECONDS = float(os.environ.get("TRAIN_POLL_SECONDS", "0.01"))


def train_and_sample(zip_path, steps=1000):
    with open(zip_path, "rb") as images:
        _owner, _name = BASE_MODEL.split("/", 1)
        training = replicate.trainings.create(
            model_owner=_owner,
            model_name=_name,
            version_id=BASE_VERSION,
            input={"input_images": replicate.files.create(content=images).urls.get, "steps": steps, "trigger_word": "TOK"},
            destination=DESTINATION,
        )
    print("@@ started", training.id, training.status, training.model, training.version)

    while training.status not in ("succeeded", "failed", "canceled"):
        time.sleep(POLL_SECONDS)
        training = replicate.trainings.get(training_id=training.id)
        print("@@ status", training.id, training.status)

    if training.status != "succeeded":
        print("@@ failed", training.error)
        return None

    new_version = training.output.version
    print("@@ new version", new_version)
    sample = replicate.run(new_version, input={"prompt": "a photo of TOK at the beach"})
    print("@@ sample", sample)
    return new_version


def report():
    page = replicate.trainings.list()
    for t in page.results:
        print("@@ listed", t.id, t.status, t.model)
    return len(page.results)


if __name__ == "__main__":
    print("@@ result", train_and_sample("faces.zip", steps=500))
    print("@@ listed count", report())
