# v2 rewrite. Rows: M02 (`replicate.default_client.api_token = t` -> `replicate.bearer_token = t`; v1 never read that attribute, so the token
# came from REPLICATE_API_TOKEN, the same value here), R12/0b.5 (`kwargs["image"] = upload.file` passed as input: v1 uploaded the handle
# with files.create before creating the prediction -> upload it the same way, here by hand at the call), R12 (`dict(image=open(...))` ->
# `files.create(content=...).urls.get`), P07/P06 (`predictions.create(model=)` with no input -> `models.predictions.create(model_owner=,
# model_name=, input={})`; v1 sent `input: {}` itself), E13 (`except httpx.TimeoutException` around `run` -> `replicate.APITimeoutError`),
# P03 (`get(id)` -> `prediction_id=`), PO17 (`.dict()` -> `.model_dump(mode="json")`, `.json()` -> `.model_dump_json()`). Job.dict(),
# Job.created_at and fetch_remote() are the service's own.
import json
import os
from dataclasses import dataclass
from typing import BinaryIO

import httpx

import replicate

replicate.bearer_token = os.environ.get("REPLICATE_API_TOKEN")

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
    owner, name = CAPTIONER.split("/", 1)
    prediction = replicate.models.predictions.create(model_owner=owner, model_name=name, input={})
    return {"id": prediction.id, "status": prediction.status}


def caption(upload: Upload, task="image_captioning"):
    kwargs = {"task": task}
    if upload.filename.endswith((".jpg", ".png")):
        kwargs["image"] = upload.file
    try:
        if "image" in kwargs:
            kwargs["image"] = replicate.files.create(content=kwargs["image"]).urls.get
        output = replicate.run(CAPTIONER, input=kwargs)
    except replicate.APITimeoutError:
        return {"error": "timeout"}
    return {"caption": output}


def describe(path, question):
    output = replicate.run(CAPTIONER, input=dict(image=replicate.files.create(content=open(path, "rb")).urls.get, question=question, task="visual_question_answering"))
    return {"answer": output}


def status(prediction_id):
    prediction = replicate.predictions.get(prediction_id=prediction_id)
    body = json.dumps(prediction.model_dump(mode="json"))
    summary = json.loads(prediction.model_dump_json())
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
