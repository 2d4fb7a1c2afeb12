# v2 rewrite. Rows: T02 (trainings.create(model=CONST, version=CONST, ...) with a non-literal "owner/name" -> split + model_owner=, model_name=,
# version_id=), T13 (training.reload() on the helper's parameter -> training = replicate.trainings.get(training_id=)), T11 (training.cancel() ->
# training = replicate.trainings.cancel(training_id=)), T16 (output["version"] -> output.version), T05 (trainings.get(id) -> training_id=).
# v1 mutated the caller's training, so supervise() returns it (on every path) and both callers rebind it. ProgressBar.cancel() is not the SDK's.
import time

import replicate

BASE_MODEL = "ostris/flux-dev-lora-trainer"
BASE_VERSION = "e440909d3512c31646ee2e0c7d6f6f4923224863a6a10c494606e79fb5844497"
TERMINAL = ("succeeded", "failed", "canceled")


class ProgressBar:
    def __init__(self, label):
        self.label = label
        self.ticks = 0
        self.closed = False

    def tick(self, status):
        self.ticks += 1
        self.last = status

    def cancel(self):
        self.closed = True


def launch(name, steps):
    _owner, _name = BASE_MODEL.split("/", 1)
    return replicate.trainings.create(
        model_owner=_owner,
        model_name=_name,
        version_id=BASE_VERSION,
        input={"input_images": "https://example.test/datasets/faces.zip", "steps": steps, "trigger_word": name.upper()},
        destination=f"acme/{name}",
    )


def supervise(training, budget, bar):
    try:
        for _ in range(budget):
            if training.status in TERMINAL:
                return training
            time.sleep(0.01)
            training = replicate.trainings.get(training_id=training.id)
            bar.tick(training.status)
        if training.status not in TERMINAL:
            training = replicate.trainings.cancel(training_id=training.id)
            bar.cancel()
        return training
    finally:
        print("@@ supervised", bar.label, training.id, training.status, bar.ticks, bar.closed)


if __name__ == "__main__":
    finished = {}
    for name, steps, budget in [("mascot-lora", 1000, 5), ("logo-lora", 500, 1), ("font-lora", 800, 4)]:
        training = launch(name, steps)
        print("@@ launched", name, training.id, training.status)
        training = supervise(training, budget, ProgressBar(name))
        if training.status != "succeeded":
            print("@@ not finished", name, training.id, training.status)
            continue
        finished[name] = training.output.version
    print("@@ finished", sorted(finished.items()))

    resumed = replicate.trainings.get(training_id="trn_nightly_7")
    resumed = supervise(resumed, 3, ProgressBar("resume"))
    print("@@ resumed", resumed.id, resumed.status)
