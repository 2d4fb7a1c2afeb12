# v2 rewrite. Rows: M01, C02 (api_token= -> bearer_token=), P07 (predictions.create(model="o/n") -> models.predictions.create(model_owner=, model_name=)),
# PO01 (prediction.wait() -> prediction = client.predictions.wait(prediction.id)), PO12 (fields: unchanged).
import json
import os

import replicate


def handle_summarize(request_body):
    """Framework-less POST /summarize handler: returns (status_code, json_body)."""
    payload = json.loads(request_body)
    if "text" not in payload:
        return 400, json.dumps({"error": "missing text"})
    client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])
    prediction = client.models.predictions.create(
        model_owner="acme",
        model_name="summarizer",
        input={"text": payload["text"], "max_words": payload.get("max_words", 50)},
    )
    prediction = client.predictions.wait(prediction.id)
    if prediction.status != "succeeded":
        return 502, json.dumps({"error": prediction.error, "id": prediction.id})
    return 200, json.dumps({"id": prediction.id, "status": prediction.status, "summary": prediction.output}, sort_keys=True)


if __name__ == "__main__":
    print("@@", *handle_summarize(json.dumps({"text": "Long article body ..."})))
    print("@@", *handle_summarize(json.dumps({"title": "no text"})))
    print("@@", *handle_summarize(json.dumps({"text": "Another one", "max_words": 10})))
