"""A small v1 application: run `replicate-migrate check examples/` to see what must change."""
import os

import replicate
from replicate.client import Client

client = Client(api_token=os.environ.get("REPLICATE_API_TOKEN", "r8_example"), headers={"X-App": "bot"})


def describe(prompt):
    # The input is passed positionally, which v2 rejects.
    return replicate.run("meta/llama-3-8b-instruct", {"prompt": prompt})


def generate(prompt):
    prediction = client.predictions.create(model="black-forest-labs/flux-schnell", input={"prompt": prompt})
    prediction.wait()
    return prediction.urls["get"], prediction.output


def status(prediction_id):
    prediction = replicate.predictions.get(prediction_id)
    if prediction.status == "processing":
        prediction.cancel()
    return prediction.status
