# Exercises: a LoRA fine-tune runner that supervises trainings in a helper: supervise(training, budget, bar) polls with training.reload() and calls
# training.cancel() when the budget runs out (v1 mutated the caller's object), inside try/finally with an early `return`; launch() returns
# trainings.create(model=CONST, version=CONST, input=, destination=f"..."); the caller loop reads training.status / training.output["version"]
# afterwards and `continue`s on failure; trainings.get(id) to resume one by id; decoy: a local ProgressBar with tick() and cancel().
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
    return replicate.trainings.create(
        model=BASE_MODEL,
        version=BASE_VERSION,
        input={"input_images": "https://example.test/datasets/faces.zip", "steps": steps, "trigger_word": name.upper()},
        destination=f"acme/{name}",
    )


def supervise(training, budget, bar):
    try:
        for _ in range(budget):
            if training.status in TERMINAL:
                return
            time.sleep(0.01)
            training.reload()
            bar.tick(training.status)
        if training.status not in TERMINAL:
            training.cancel()
            bar.cancel()
    finally:
        print("@@ supervised", bar.label, training.id, training.status, bar.ticks, bar.closed)


if __name__ == "__main__":
    finished = {}
    for name, steps, budget in [("mascot-lora", 1000, 5), ("logo-lora", 500, 1), ("font-lora", 800, 4)]:
        training = launch(name, steps)
        print("@@ launched", name, training.id, training.status)
        supervise(training, budget, ProgressBar(name))
        if training.status != "succeeded":
            print("@@ not finished", name, training.id, training.status)
            continue
        finished[name] = training.output["version"]
    print("@@ finished", sorted(finished.items()))

    resumed = replicate.trainings.get("trn_nightly_7")
    supervise(resumed, 3, ProgressBar("resume"))
    print("@@ resumed", resumed.id, resumed.status)
