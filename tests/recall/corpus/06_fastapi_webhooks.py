"""FastAPI app that starts predictions and receives their webhooks."""
import hmac
import os
from typing import Optional

import replicate
from fastapi import BackgroundTasks, Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel
from replicate.webhook import Webhooks, WebhookSigningSecret, InvalidSignatureError  # v1: IM15

app = FastAPI()
PUBLIC_URL = os.environ.get("PUBLIC_URL", "https://example.ngrok.app")
_secret: Optional[WebhookSigningSecret] = None


def get_client() -> replicate.Client:  # v1: M01
    return replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"], timeout=30)  # v1: C02


def signing_secret(client: replicate.Client = Depends(get_client)) -> WebhookSigningSecret:  # v1: M01
    global _secret
    if _secret is None:
        _secret = client.webhooks.default.secret()  # v1: W01
    return _secret


class Job(BaseModel):
    prompt: str
    deployment: str = "acme/sdxl-prod"


@app.post("/jobs")
def create_job(job: Job, client: replicate.Client = Depends(get_client)):  # v1: M01
    prediction = client.predictions.create(  # v1: P08
        deployment=job.deployment,
        input={"prompt": job.prompt},
        webhook=f"{PUBLIC_URL}/hooks/replicate",
        webhook_events_filter=["start", "completed"],
    )
    return {"id": prediction.id, "web": prediction.urls.get("web")}  # v1: PO15


@app.post("/jobs/direct")
def create_job_direct(job: Job, client: replicate.Client = Depends(get_client)):  # v1: M01
    owner, name = job.deployment.split("/")
    prediction = client.deployments.predictions.create(  # v1: D11
        (owner, name),
        input={"prompt": job.prompt},
        webhook=f"{PUBLIC_URL}/hooks/replicate",
    )
    return {"id": prediction.id}


def store_result(payload: dict) -> None:
    print("stored", payload.get("id"), payload.get("status"))


@app.post("/hooks/replicate")
async def replicate_hook(request: Request, tasks: BackgroundTasks, secret=Depends(signing_secret)):
    try:
        Webhooks.validate(request=request, secret=secret)  # v1: W03
    except InvalidSignatureError:
        raise HTTPException(status_code=401, detail="bad signature")
    payload = await request.json()
    tasks.add_task(store_result, payload)
    return {"ok": True}


@app.post("/hooks/legacy")
async def legacy_hook(request: Request, secret=Depends(signing_secret)):
    body = (await request.body()).decode()
    expected = request.headers.get("x-legacy-token", "")
    if not hmac.compare_digest(expected, os.environ.get("LEGACY_TOKEN", "")):
        raise HTTPException(status_code=401)
    Webhooks.validate(headers=dict(request.headers), body=body, secret=secret, tolerance=300)  # v1: W03
    return {"ok": True}


@app.get("/secret-key")
def secret_key(secret=Depends(signing_secret)):
    return {"prefix": secret.key[:8]}
