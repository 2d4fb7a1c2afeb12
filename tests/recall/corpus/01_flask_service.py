"""Flask service that wraps a few Replicate models behind a small HTTP API."""
import logging
import os

import replicate
from flask import Flask, jsonify, request
from replicate.exceptions import ReplicateError, ModelError  # v1: IM16
from replicate.helpers import FileOutput  # v1: IM17

app = Flask(__name__)
log = logging.getLogger(__name__)

SDXL = "stability-ai/sdxl:39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b"
client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])  # v1: C02


def _as_url(item):
    if isinstance(item, FileOutput):
        return item.url
    return str(item)


@app.post("/generate")
def generate():
    body = request.get_json(force=True)
    prompt = body.get("prompt", "")
    try:
        output = client.run(SDXL, {"prompt": prompt, "num_outputs": 1})  # v1: R05
    except ModelError as e:
        log.warning("model failed: %s", e.prediction.id)
        return jsonify(error=e.prediction.error, id=e.prediction.id), 422
    except ReplicateError as e:
        return jsonify(error=e.detail), e.status or 500  # v1: E04, E03
    return jsonify(images=[_as_url(o) for o in output])


@app.post("/predictions")
def start_prediction():
    body = request.get_json(force=True)
    prediction = client.predictions.create(
        version=SDXL.split(":")[1],
        input={"prompt": body["prompt"]},
        webhook=body.get("webhook"),
        webhook_events_filter=["completed"],
    )
    get_url = prediction.urls["get"]  # v1: PO15
    return jsonify(id=prediction.id, status=prediction.status, get_url=get_url), 201


@app.get("/predictions/<prediction_id>")
def get_prediction(prediction_id):
    prediction = client.predictions.get(prediction_id)  # v1: P03
    payload = {
        "id": prediction.id,
        "status": prediction.status,
        "logs": prediction.logs,
        "output": prediction.output,
    }
    if prediction.metrics:
        payload["predict_time"] = prediction.metrics["predict_time"]  # v1: PO14
    return jsonify(payload)


@app.post("/predictions/<prediction_id>/cancel")
def cancel_prediction(prediction_id):
    prediction = client.predictions.get(id=prediction_id)  # v1: P03
    if prediction.status in ("starting", "processing"):
        prediction.cancel()  # v1: PO03
    return jsonify(id=prediction.id, status=prediction.status)


@app.get("/models/<owner>/<name>")
def model_info(owner, name):
    model = client.models.get(f"{owner}/{name}")  # v1: MD01
    latest = model.latest_version
    return jsonify(
        id=model.id,  # v1: MO04
        description=model.description,
        runs=model.run_count,
        latest=latest.id if latest else None,
    )


@app.get("/models/<owner>/<name>/versions")
def model_versions(owner, name):
    model = client.models.get(owner, name)  # v1: MD02
    page = model.versions.list()  # v1: V03
    return jsonify(versions=[v.id for v in page.results], next=page.next)


@app.get("/health")
def health():
    # hardware.list() returns a plain list in both SDK versions
    skus = [hw.sku for hw in client.hardware.list()]
    return jsonify(ok=True, hardware=len(skus))


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8080")), debug=False)
