# Exercises: a client created inside a web-handler function; predictions.create(model="o/n", input=...); prediction.wait(); dict response.
import json
import os

import replicate


def handle_summarize(request_body):
    """Framework-less POST /summarize handler: returns (status_code, json_body)."""
    payload = json.loads(request_body)
    if "text" not in payload:
        return 400, json.dumps({"error": "missing text"})
    client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
    prediction = client.predictions.create(
        model="acme/summarizer",
        input={"text": payload["text"], "max_words": payload.get("max_words", 50)},
    )
    prediction.wait()
    if prediction.status != "succeeded":
        return 502, json.dumps({"error": prediction.error, "id": prediction.id})
    return 200, json.dumps({"id": prediction.id, "status": prediction.status, "summary": prediction.output}, sort_keys=True)


if __name__ == "__main__":
    print("@@", *handle_summarize(json.dumps({"text": "Long article body ..."})))
    print("@@", *handle_summarize(json.dumps({"title": "no text"})))
    print("@@", *handle_summarize(json.dumps({"text": "Another one", "max_words": 10})))
