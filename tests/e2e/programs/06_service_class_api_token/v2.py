# v2 rewrite. Rows: M01 (replicate.Client -> replicate.Replicate), C02 (api_token= -> bearer_token=), P06 (create(version=, input=): unchanged),
# P03 (predictions.get(id) -> get(prediction_id=id)), P14 (predictions.cancel(id) -> cancel(prediction_id=id)).
import os

import replicate

SDXL_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


class ReplicateService:
    def __init__(self, token=None):
        self.client = replicate.Replicate(bearer_token=token or os.environ["REPLICATE_API_TOKEN"])

    def start(self, prompt):
        prediction = self.client.predictions.create(
            version=SDXL_VERSION,
            input={"prompt": prompt, "width": 512, "height": 512},
        )
        return prediction.id

    def status(self, prediction_id):
        prediction = self.client.predictions.get(prediction_id=prediction_id)
        return prediction.status, prediction.output

    def stop(self, prediction_id):
        prediction = self.client.predictions.cancel(prediction_id=prediction_id)
        return prediction.status


if __name__ == "__main__":
    svc = ReplicateService()
    first = svc.start("a lighthouse at dawn")
    second = svc.start("a lighthouse at dusk")
    print("@@ started", first, second)
    for _ in range(3):
        print("@@ status", first, *svc.status(first))
    print("@@ stop", second, svc.stop(second))
    print("@@ stop again", first, svc.stop(first))
