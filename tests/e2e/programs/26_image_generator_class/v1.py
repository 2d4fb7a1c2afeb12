# Exercises (mixed): class ImageGenerator wrapping a client (from replicate import Client): generate via predictions.create(model=...),
# status via predictions.get, wait via prediction.wait(), cancel via prediction.cancel(), outputs, urls["get"].
import os
from typing import Optional

from replicate import Client


class ImageGenerator:
    def __init__(self, model="black-forest-labs/flux-dev", token: Optional[str] = None):
        self.model = model
        self.client = Client(api_token=token or os.environ["REPLICATE_API_TOKEN"])

    def generate(self, prompt, **options):
        return self.client.predictions.create(model=self.model, input={"prompt": prompt, **options})

    def status(self, prediction_id):
        return self.client.predictions.get(prediction_id).status

    def wait_for(self, prediction):
        prediction.wait()
        return prediction.status, prediction.output

    def cancel(self, prediction):
        prediction.cancel()
        return prediction.status


if __name__ == "__main__":
    gen = ImageGenerator()
    a = gen.generate("a castle", guidance=3.5)
    b = gen.generate("a moat")
    print("@@ created", a.id, b.id, a.urls["get"].rsplit("/", 1)[-1])
    print("@@ status", gen.status(a.id))
    status, out = gen.wait_for(a)
    print("@@ output", a.id, status, len(out), out[0][:22])
    print("@@ cancel", gen.cancel(b))
