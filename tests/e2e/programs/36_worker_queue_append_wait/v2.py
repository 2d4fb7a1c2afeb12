# v2 rewrite. Rows: M01, C02, P07 (create(model="o/n") -> models.predictions.create(model_owner=, model_name=)), 0b.1 (wait=False on the model= form: dropped),
# PO01 (prediction.wait() on the list item -> prediction = self.client.predictions.wait(prediction.id)), PO14 (metrics["predict_time"] -> metrics.predict_time), P03.
import os

import replicate


class RenderWorker:
    def __init__(self, token=None):
        self.client = replicate.Replicate(bearer_token=token or os.environ["REPLICATE_API_TOKEN"])
        self.pending = []
        self.results = {}

    def submit(self, prompt, seed=0):
        prediction = self.client.models.predictions.create(
            model_owner="black-forest-labs",
            model_name="flux-schnell",
            input={"prompt": prompt, "seed": seed, "num_outputs": 1},
        )
        self.pending.append(prediction)
        return prediction.id

    def drain(self):
        for prediction in self.pending:
            prediction = self.client.predictions.wait(prediction.id)
            if prediction.status == "succeeded":
                self.results[prediction.id] = (prediction.output, prediction.metrics.predict_time)
            else:
                self.results[prediction.id] = (None, prediction.error)
        self.pending.clear()
        return self.results

    def recheck(self, prediction_id):
        return self.client.predictions.get(prediction_id=prediction_id).status


if __name__ == "__main__":
    worker = RenderWorker()
    ids = [worker.submit(p, seed=i) for i, p in enumerate(["a cat", "a dog", "a fox"])]
    print("@@ submitted", ids)
    for pid, (output, extra) in sorted(worker.drain().items()):
        print("@@ result", pid, output, extra)
    print("@@ recheck", [worker.recheck(pid) for pid in ids])
