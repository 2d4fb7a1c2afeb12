# Exercises: render worker class holding self.client; predictions.create(model="owner/name", input=..., wait=False) appended to self.pending;
# later `for prediction in self.pending: prediction.wait()` and output/metrics["predict_time"] of each; predictions.get(id) for a final check.
import os

import replicate


class RenderWorker:
    def __init__(self, token=None):
        self.client = replicate.Client(api_token=token or os.environ["REPLICATE_API_TOKEN"])
        self.pending = []
        self.results = {}

    def submit(self, prompt, seed=0):
        prediction = self.client.predictions.create(
            model="black-forest-labs/flux-schnell",
            input={"prompt": prompt, "seed": seed, "num_outputs": 1},
            wait=False,
        )
        self.pending.append(prediction)
        return prediction.id

    def drain(self):
        for prediction in self.pending:
            prediction.wait()
            if prediction.status == "succeeded":
                self.results[prediction.id] = (prediction.output, prediction.metrics["predict_time"])
            else:
                self.results[prediction.id] = (None, prediction.error)
        self.pending.clear()
        return self.results

    def recheck(self, prediction_id):
        return self.client.predictions.get(prediction_id).status


if __name__ == "__main__":
    worker = RenderWorker()
    ids = [worker.submit(p, seed=i) for i, p in enumerate(["a cat", "a dog", "a fox"])]
    print("@@ submitted", ids)
    for pid, (output, extra) in sorted(worker.drain().items()):
        print("@@ result", pid, output, extra)
    print("@@ recheck", [worker.recheck(pid) for pid in ids])
