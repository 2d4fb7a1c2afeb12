# Exercises: Client(api_token=..., headers={...}, timeout=httpx.Timeout(...)), then client.run and client.predictions.get.
import os

import httpx
import replicate

TOKEN = os.environ["REPLICATE_API_TOKEN"]

client = replicate.Client(
    api_token=TOKEN,
    headers={"X-Request-Source": "nightly-batch"},
    timeout=httpx.Timeout(30.0, connect=5.0),
)


def translate(text, target="fr"):
    return client.run("acme/translator", input={"text": text, "target": target})


if __name__ == "__main__":
    print("@@ translated", translate("good morning"))
    p = client.predictions.get("pred_nightly_42")
    print("@@ lookup", p.id, p.status)
