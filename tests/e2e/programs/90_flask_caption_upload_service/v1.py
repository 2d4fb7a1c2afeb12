# Exercises: a Flask-style captioning service (plain handler functions behind a tiny router, as a WSGI app would dispatch them):
# the token set at startup with `replicate.default_client.api_token = ...`; a dataclass `Upload(filename, file: BinaryIO)` built
# from the request's files; `kwargs = {...}; kwargs["image"] = upload.file` passed as `run(..., input=kwargs)`; `input=dict(image=open(...))`;
# a warm-up `predictions.create(model=...)` with no input; `json.dumps(prediction.dict())` and `json.loads(prediction.json())` in a
# status handler; `except httpx.TimeoutException` around the SDK call; decoys: a local `Job.dict()`, a local `created_at`, and an
# httpx call of the service's own (not around SDK calls).
import json
import os
from dataclasses import dataclass
from typing import BinaryIO

import httpx

import replicate

replicate.default_client.api_token = os.environ.get("REPLICATE_API_TOKEN")

CAPTIONER = "salesforce/blip"


@dataclass
class Upload:
    filename: str
    file: BinaryIO


class Job:
    def __init__(self, name):
        self.name = name
        self.created_at = "2024-01-01T00:00:00Z"

    def dict(self):
        return {"name": self.name, "created_at": self.created_at}


def fetch_remote(url):
    # the service's own HTTP call, nothing to do with the SDK
    try:
        return httpx.get(url, timeout=2.0).content
    except httpx.TimeoutException:
        return b""


def warm_up():
    prediction = replicate.predictions.create(model=CAPTIONER)
    return {"id": prediction.id, "status": prediction.status}


def caption(upload: Upload, task="image_captioning"):
    kwargs = {"task": task}
    if upload.filename.endswith((".jpg", ".png")):
        kwargs["image"] = upload.file
    try:
        output = replicate.run(CAPTIONER, input=kwargs)
    except httpx.TimeoutException:
        return {"error": "timeout"}
    return {"caption": output}


def describe(path, question):
    output = replicate.run(CAPTIONER, input=dict(image=open(path, "rb"), question=question, task="visual_question_answering"))
    return {"answer": output}


def status(prediction_id):
    prediction = replicate.predictions.get(prediction_id)
    body = json.dumps(prediction.dict())
    summary = json.loads(prediction.json())
    return {"body": json.loads(body)["status"], "id": summary["id"], "input": summary["input"]}


ROUTES = {
    ("POST", "/warmup"): lambda request: warm_up(),
    ("POST", "/caption"): lambda request: caption(Upload(request["filename"], request["file"])),
    ("POST", "/describe"): lambda request: describe(request["path"], request["question"]),
    ("GET", "/status"): lambda request: status(request["id"]),
}


def handle(method, path, request):
    return ROUTES[(method, path)](request)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    image = os.path.join(here, "image.jpg")
    warm = handle("POST", "/warmup", {})
    print("@@ warmup", warm["id"], warm["status"])
    with open(image, "rb") as fh:
        print("@@ caption", handle("POST", "/caption", {"filename": "image.jpg", "file": fh}))
    print("@@ caption-text", handle("POST", "/caption", {"filename": "notes.txt", "file": None}))
    print("@@ describe", handle("POST", "/describe", {"path": image, "question": "what is it?"}))
    print("@@ status", handle("GET", "/status", {"id": warm["id"]}))
    job = Job("nightly")
    print("@@ job", json.dumps(job.dict()), job.created_at[:10])
