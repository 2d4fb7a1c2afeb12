# v2 rewrite. Rows: IM02 (from replicate.client import Client -> from replicate import Replicate), C01 (positional token -> bearer_token=),
# R05 (client.run(ref, {...}) -> input=), R15/E09/E12 (ModelError import and e.prediction: unchanged), P07 (create(model="o/n") ->
# models.predictions.create), P03, P14.
import os

from replicate import Replicate
from replicate.exceptions import ModelError


class ChatService:
    MODELS = ["acme/failing-llm", "openai/gpt-4o-mini"]

    def __init__(self):
        self.client = Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])

    def answer(self, question):
        for ref in self.MODELS:
            try:
                return ref, "".join(self.client.run(ref, input={"prompt": question}))
            except ModelError as exc:
                print("@@ fallback from", ref, exc.prediction.status, exc.prediction.error)
        raise RuntimeError("all models failed")

    def enqueue(self, question):
        return self.client.models.predictions.create(model_owner="openai", model_name="gpt-4o-mini", input={"prompt": question}).id

    def drop(self, prediction_id):
        before = self.client.predictions.get(prediction_id=prediction_id).status
        after = self.client.predictions.cancel(prediction_id=prediction_id).status
        return before, after


if __name__ == "__main__":
    svc = ChatService()
    print("@@ answer", *svc.answer("Say hello"))
    pid = svc.enqueue("long question")
    print("@@ queued", pid)
    print("@@ drop", *svc.drop(pid))
