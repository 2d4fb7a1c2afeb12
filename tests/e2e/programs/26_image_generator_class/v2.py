# v2 rewrite. Rows: IM01 (from replicate import Client -> Replicate), C02 (api_token= -> bearer_token=), P07 (create(model=self.model) with a
# non-literal ref -> split + models.predictions.create), P03 (get(id) -> get(prediction_id=id)), PO01 (wait() -> self.client.predictions.wait),
# PO03 (cancel() -> self.client.predictions.cancel(prediction_id=)), PO15 (urls["get"] -> urls.get).
import os
from typing import Optional

from replicate import Replicate


class ImageGenerator:
    def __init__(self, model="black-forest-labs/flux-dev", token: Optional[str] = None):
        self.model = model
        self.client = Replicate(bearer_token=token or os.environ["REPLICATE_API_TOKEN"])

    def generate(self, prompt, **options):
        _owner, _name = self.model.split("/", 1)
        return self.client.models.predictions.create(model_owner=_owner, model_name=_name, input={"prompt": prompt, **options})

    def status(self, prediction_id):
        return self.client.predictions.get(prediction_id=prediction_id).status

    def wait_for(self, prediction):
        prediction = self.client.predictions.wait(prediction.id)
        return prediction.status, prediction.output

    def cancel(self, prediction):
        prediction = self.client.predictions.cancel(prediction_id=prediction.id)
        return prediction.status


if __name__ == "__main__":
    gen = ImageGenerator()
    a = gen.generate("a castle", guidance=3.5)
    b = gen.generate("a moat")
    print("@@ created", a.id, b.id, a.urls.get.rsplit("/", 1)[-1])
    print("@@ status", gen.status(a.id))
    status, out = gen.wait_for(a)
    print("@@ output", a.id, status, len(out), out[0][:22])
    print("@@ cancel", gen.cancel(b))
