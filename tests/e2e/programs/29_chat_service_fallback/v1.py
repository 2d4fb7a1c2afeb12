# Exercises (mixed): `from replicate.client import Client`, client.run with positional input on LLMs, ModelError fallback,
# a queued prediction checked with predictions.get and cancelled with predictions.cancel.
import os

from replicate.client import Client
from replicate.exceptions import ModelError


class ChatService:
    MODELS = ["acme/failing-llm", "openai/gpt-4o-mini"]

    def __init__(self):
        self.client = Client(os.environ["REPLICATE_API_TOKEN"])

    def answer(self, question):
        for ref in self.MODELS:
            try:
                return ref, "".join(self.client.run(ref, {"prompt": question}))
            except ModelError as exc:
                print("@@ fallback from", ref, exc.prediction.status, exc.prediction.error)
        raise RuntimeError("all models failed")

    def enqueue(self, question):
        return self.client.predictions.create(model="openai/gpt-4o-mini", input={"prompt": question}).id

    def drop(self, prediction_id):
        before = self.client.predictions.get(prediction_id).status
        after = self.client.predictions.cancel(prediction_id).status
        return before, after


if __name__ == "__main__":
    svc = ChatService()
    print("@@ answer", *svc.answer("Say hello"))
    pid = svc.enqueue("long question")
    print("@@ queued", pid)
    print("@@ drop", *svc.drop(pid))
