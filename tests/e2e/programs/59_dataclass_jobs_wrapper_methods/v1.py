# Exercises: a batch report built from dataclass records that hold predictions (`prediction: Prediction` field): the record's own methods are named
# reload()/wait()/cancel() and call self.prediction.reload() / self.prediction.cancel() inside (only those inner calls are the SDK's); a `status`
# property reading self.prediction.status; records reached through a second name (`by_label[...]`); a describe(model) helper receiving a v1 Model
# and reading model.id and model.latest_version.
import time
from dataclasses import dataclass

import replicate
from replicate.prediction import Prediction

TERMINAL = ("succeeded", "failed", "canceled")


@dataclass
class Job:
    label: str
    prediction: Prediction
    polls: int = 0

    @property
    def status(self):
        return self.prediction.status

    def reload(self):
        self.prediction.reload()
        self.polls += 1

    def wait(self, budget):
        while self.status not in TERMINAL and self.polls < budget:
            time.sleep(0.01)
            self.reload()
        return self.status

    def cancel(self):
        if self.status not in TERMINAL:
            self.prediction.cancel()
        return self.status


def describe(model):
    return f"{model.id} latest={model.latest_version.id[:8]} runs={model.run_count}"


def submit(label):
    prediction = replicate.predictions.create(model="acme/captioner", input={"prompt": label})
    return Job(label, prediction)


if __name__ == "__main__":
    print("@@ model", describe(replicate.models.get("acme/captioner")))
    jobs = [submit(label) for label in ("harbor", "market", "station")]
    by_label = {job.label: job for job in jobs}
    print("@@ waited", [job.wait(budget=b) for job, b in zip(jobs, (5, 1, 5))])
    print("@@ cancel", by_label["market"].cancel(), by_label["harbor"].cancel())
    by_label["station"].reload()
    for job in jobs:
        print("@@ job", job.label, job.prediction.id, job.status, job.polls, job.prediction.output)
