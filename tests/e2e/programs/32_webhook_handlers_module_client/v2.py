# v2 rewrite. Rows: M01, C02, P06 + R08/R10 (create(version=, input=, webhook=, webhook_events_filter=): unchanged), PO15 (urls["get"] -> urls.get,
# urls.get("web") -> urls.web, urls.get("stream") -> urls.stream), P03 (get(id) / get(id=) -> get(prediction_id=)), PO12.
import json
import os

import replicate

client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])

PUBLIC_URL = os.environ.get("PUBLIC_URL", "https://hooks.example.test")
SDXL_VERSION = "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b"
TERMINAL = ("succeeded", "failed", "canceled")


# POST /jobs
def create_job(body: dict):
    prediction = client.predictions.create(
        version=SDXL_VERSION,
        input={"prompt": body["prompt"], "num_outputs": body.get("n", 1)},
        webhook=f"{PUBLIC_URL}/webhooks/replicate",
        webhook_events_filter=["completed"],
    )
    payload = {
        "id": prediction.id,
        "status": prediction.status,
        "poll_url": prediction.urls.get,
        "web_url": prediction.urls.web,
        "stream_url": prediction.urls.stream,
    }
    return payload, 201


# GET /jobs/{prediction_id}
def get_job(prediction_id: str):
    prediction = client.predictions.get(prediction_id=prediction_id)
    payload = {"id": prediction.id, "status": prediction.status}
    if prediction.status == "succeeded":
        payload["output"] = prediction.output
    elif prediction.status == "failed":
        payload["error"] = prediction.error
    return payload, 200


# POST /webhooks/replicate
def replicate_webhook(event: dict):
    # never trust the body: fetch the prediction again
    prediction = client.predictions.get(prediction_id=event["id"])
    done = prediction.status in TERMINAL
    return {"id": prediction.id, "done": done, "cancel_url": prediction.urls.cancel}, 200


if __name__ == "__main__":
    created, code = create_job({"prompt": "a red bicycle", "n": 2})
    print("@@ create", code, json.dumps(created, sort_keys=True))
    for _ in range(3):
        payload, code = get_job(created["id"])
        print("@@ get", code, json.dumps(payload, sort_keys=True))
    hook, code = replicate_webhook({"id": created["id"], "status": "succeeded"})
    print("@@ webhook", code, json.dumps(hook, sort_keys=True))
