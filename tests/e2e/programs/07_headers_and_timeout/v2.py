# v2 rewrite. Rows: M01, C02 (api_token= -> bearer_token=), C06 (headers= -> default_headers=), C05 (timeout=httpx.Timeout: unchanged),
# R01 (client.run with input=: unchanged), P03 (predictions.get(id) -> get(prediction_id=id)).
import os

import httpx
import replicate

TOKEN = os.environ["REPLICATE_API_TOKEN"]

client = replicate.Replicate(
    bearer_token=TOKEN,
    default_headers={"X-Request-Source": "nightly-batch"},
    timeout=httpx.Timeout(30.0, connect=5.0),
)


def translate(text, target="fr"):
    return client.run("acme/translator", input={"text": text, "target": target})


if __name__ == "__main__":
    print("@@ translated", translate("good morning"))
    p = client.predictions.get(prediction_id="pred_nightly_42")
    print("@@ lookup", p.id, p.status)
