#!/usr/bin/env python3
"""Fine-tune a model on Replicate from the command line.

    python train.py start --data data.zip --dest me/my-flux-lora
    python train.py status <training-id>
    python train.py cancel <training-id>
"""
import argparse
import json
import sys
import time
from pathlib import Path

import replicate
from replicate.training import Training  # v1: IM10

TRAINER = "ostris/flux-dev-lora-trainer:e440909d3512c31646ee2e0c7d6f6f4923224863a6a10c494606e79fb5844497"


def upload(path: Path) -> str:
    with path.open("rb") as fh:
        f = replicate.files.create(fh, filename=path.name)  # v1: F01
    return f.urls["get"]  # v1: F09


def start(args) -> Training:
    data_url = upload(Path(args.data))
    if not args.no_create:
        owner, name = args.dest.split("/", 1)
        replicate.models.create(owner, name, visibility="private", hardware="gpu-t4")  # v1: MD12
    training = replicate.trainings.create(  # v1: T03, T01
        version=TRAINER,
        input={"input_images": data_url, "steps": args.steps, "trigger_word": args.trigger},
        destination=args.dest,
        webhook_completed=args.webhook,
    )
    print(f"started {training.id} ({training.status})")
    return training


def wait(training: Training, poll: float) -> Training:
    while training.status not in ("succeeded", "failed", "canceled"):
        time.sleep(poll)
        training.reload()  # v1: T13
        print(f"  {training.status}", file=sys.stderr)
    return training


def cmd_start(args):
    training = start(args)
    if args.wait:
        training = wait(training, args.poll)
        if training.status == "succeeded":
            print("new version:", training.output["version"])  # v1: T16
            print("destination:", training.destination)  # v1: T17


def cmd_status(args):
    training = replicate.trainings.get(args.training_id)  # v1: T05
    print(json.dumps({"id": training.id, "status": training.status, "logs": (training.logs or "")[-500:]}))


def cmd_cancel(args):
    replicate.trainings.cancel(args.training_id)  # v1: T09
    print("cancel requested")


def cmd_list(args):
    page = replicate.trainings.list()
    for t in page:  # v1: PG04
        print(t.id, t.status, t.created_at)
    if page.next:
        more = replicate.trainings.list(cursor=page.next)  # v1: T07, PG07
        print(f"... and {len(more)} more on the next page")  # v1: PG06


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start")
    s.add_argument("--data", required=True)
    s.add_argument("--dest", required=True)
    s.add_argument("--steps", type=int, default=1000)
    s.add_argument("--trigger", default="TOK")
    s.add_argument("--webhook")
    s.add_argument("--no-create", action="store_true")
    s.add_argument("--wait", action="store_true")
    s.add_argument("--poll", type=float, default=10.0)
    s.set_defaults(func=cmd_start)
    st = sub.add_parser("status")
    st.add_argument("training_id")
    st.set_defaults(func=cmd_status)
    c = sub.add_parser("cancel")
    c.add_argument("training_id")
    c.set_defaults(func=cmd_cancel)
    ls = sub.add_parser("list")
    ls.set_defaults(func=cmd_list)
    args = p.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
