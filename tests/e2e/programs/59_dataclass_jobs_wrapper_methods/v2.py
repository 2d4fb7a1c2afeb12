# v2 rewrite. Rows: IM04 (replicate.prediction.Prediction -> replicate.types.Prediction), P07 (create(model="o/n") -> models.predictions.create),
# PO05 (self.prediction.reload() -> self.prediction = replicate.predictions.get(prediction_id=self.prediction.id)), PO03 (self.prediction.cancel() ->
# self.prediction = replicate.predictions.cancel(prediction_id=self.prediction.id)): the new object goes back into the record's field, so every name
# that reaches the record sees it. Job.reload()/wait()/cancel() are the program's own methods and stay. MD01, MO04 (model.id in describe(model) ->
# f"{model.owner}/{model.name}"), MO03.
import time
from dataclasses import dataclass

import replicate
from replicate.types import Prediction

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
        self.prediction = replicate.predictions.get(prediction_id=self.prediction.id)
        self.polls += 1

    def wait(self, budget):
        while self.status not in TERMINAL and self.polls < budget:
            time.sleep(0.01)
            self.reload()
        return self.status

    def cancel(self):
        if self.status not in TERMINAL:
            self.prediction = replicate.predictions.cancel(prediction_id=self.prediction.id)
        return self.status


def describe(model):
    return f"{model.owner}/{model.name} latest={model.latest_version.id[:8]} runs={model.run_count}"


def submit(label):
    prediction = replicate.models.predictions.create(model_owner="acme", model_name="captioner", input={"prompt": label})
    return Job(label, prediction)


if __name__ == "__main__":
    print("@@ model", describe(replicate.models.get(model_owner="acme", model_name="captioner")))
    jobs = [submit(label) for label in ("harbor", "market", "station")]
    by_label = {job.label: job for job in jobs}
    print("@@ waited", [job.wait(budget=b) for job, b in zip(jobs, (5, 1, 5))])
    print("@@ cancel", by_label["market"].cancel(), by_label["harbor"].cancel())
    by_label["station"].reload()
    for job in jobs:
        print("@@ job", job.label, job.prediction.id, job.status, job.polls, job.prediction.output)
