"""Slack bot for ops: inspect and scale our Replicate deployments from a channel."""
import os
import re

import replicate
from replicate.deployment import Deployment  # v1: IM09
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

app = App(token=os.environ["SLACK_BOT_TOKEN"])
slack = WebClient(token=os.environ["SLACK_BOT_TOKEN"])
rc = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])  # v1: C02
OWNER = os.environ.get("REPLICATE_OWNER", "acme")


def describe(d: Deployment) -> str:
    rel = d.current_release
    cfg = rel.configuration if rel else None
    return (
        f"*{d.id}* release {rel.number if rel else '-'} "  # v1: D16
        f"hw={cfg.hardware if cfg else '?'} min={cfg.min_instances if cfg else '?'} max={cfg.max_instances if cfg else '?'}"
    )


@app.command("/deployments")
def list_deployments(ack, respond):
    ack()
    page = rc.deployments.list()
    lines = [describe(d) for d in page]  # v1: PG04
    respond("\n".join(lines) or "no deployments")


@app.command("/deployment")
def show_deployment(ack, respond, command):
    ack()
    name = command["text"].strip()
    d = rc.deployments.get(f"{OWNER}/{name}")  # v1: D01
    respond(describe(d))


@app.command("/scale")
def scale(ack, respond, command):
    ack()
    m = re.match(r"(\S+)\s+(\d+)\s+(\d+)", command["text"])
    if not m:
        respond("usage: /scale <name> <min> <max>")
        return
    name, lo, hi = m.group(1), int(m.group(2)), int(m.group(3))
    d = rc.deployments.update(OWNER, name, min_instances=lo, max_instances=hi)  # v1: D07
    respond("updated: " + describe(d))


@app.command("/retire")
def retire(ack, respond, command):
    ack()
    name = command["text"].strip()
    ok = rc.deployments.delete(OWNER, name)  # v1: D09
    respond("deleted" if ok else "delete failed")


@app.command("/smoke")
def smoke(ack, respond, command):
    ack()
    name = command["text"].strip() or "sdxl-prod"
    d = rc.deployments.get(f"{OWNER}/{name}")  # v1: D01
    prediction = d.predictions.create(input={"prompt": "smoke test"}, wait=True)  # v1: D13, P09
    respond(f"{prediction.id}: {prediction.status}")


@app.command("/create-deployment")
def create(ack, respond, command):
    ack()
    name, model, version = command["text"].split()
    d = rc.deployments.create(
        name=name,
        model=model,
        version=version,
        hardware="gpu-a40-small",
        min_instances=0,
        max_instances=2,
    )
    respond("created " + d.name + " owned by " + d.owner)


@app.event("app_mention")
def mention(event, say):
    slack.reactions_add(channel=event["channel"], name="eyes", timestamp=event["ts"])
    say(f"Hi <@{event['user']}>, try /deployments")


if __name__ == "__main__":
    SocketModeHandler(app, os.environ["SLACK_APP_TOKEN"]).start()
