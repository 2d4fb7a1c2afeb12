# Exercises: an argparse admin CLI for fine-tunes: `train` builds `training_input = {...}` and adds `training_input["input_images"] =
# open(zip_path, "rb")` before `trainings.create(model=, version=, input=training_input, destination=)` (v2's trainings route does not
# upload files); `status` dumps a training with `json.dumps(training.dict(), indent=2)` and reloads it in a loop; `warm` starts a
# deployment prediction with `predictions.create(deployment=...)` and no input; `except httpx.ConnectError` around the SDK calls;
# a sync `isinstance(out, FileOutput)` on `run()` output (no change needed); decoys: argparse's own `Namespace`, a local `Report.json()`.
import argparse
import json
import os
import sys

import httpx

import replicate
from replicate.helpers import FileOutput

BASE_MODEL = "ostris/flux-dev-lora-trainer"
BASE_VERSION = "e440909d3512c31646ee2e0c7d6f6f4923224863a6a10c494606e79fb5844497"


class Report:
    def __init__(self, rows):
        self.rows = rows

    def json(self):
        return json.dumps({"rows": self.rows})


def cmd_train(args):
    training_input = {"steps": args.steps, "trigger_word": args.trigger}
    if args.images:
        training_input["input_images"] = open(args.images, "rb")
    try:
        training = replicate.trainings.create(
            model=BASE_MODEL,
            version=BASE_VERSION,
            input=training_input,
            destination=args.destination,
        )
    except httpx.ConnectError:
        print("offline", file=sys.stderr)
        return None
    return training.id, training.status


def cmd_status(args):
    training = replicate.trainings.get(args.id)
    polls = 0
    while training.status not in ("succeeded", "failed", "canceled") and polls < 20:
        training.reload()
        polls += 1
    snapshot = json.loads(json.dumps(training.dict(), indent=2))
    return snapshot["id"], snapshot["status"], snapshot["output"]["version"], polls > 0


def cmd_warm(args):
    prediction = replicate.predictions.create(deployment=args.deployment)
    return prediction.id, prediction.status


def cmd_preview(args):
    output = replicate.run("black-forest-labs/flux-schnell", input={"prompt": args.prompt})
    files = [out for out in output if isinstance(out, FileOutput)]
    return len(files), Report([len(f.read()) for f in files]).json()


def parser():
    p = argparse.ArgumentParser(prog="finetune")
    sub = p.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train")
    train.add_argument("--images")
    train.add_argument("--steps", type=int, default=1000)
    train.add_argument("--trigger", default="TOK")
    train.add_argument("--destination", default="acme/faces-lora")
    train.set_defaults(func=cmd_train)
    status = sub.add_parser("status")
    status.add_argument("id")
    status.set_defaults(func=cmd_status)
    warm = sub.add_parser("warm")
    warm.add_argument("deployment")
    warm.set_defaults(func=cmd_warm)
    preview = sub.add_parser("preview")
    preview.add_argument("prompt")
    preview.set_defaults(func=cmd_preview)
    return p


def main(argv):
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    started = main(["train", "--images", os.path.join(here, "faces.zip"), "--steps", "500"])
    print("@@ train", started)
    print("@@ train-text", main(["train", "--trigger", "ZZZ"]))
    print("@@ status", main(["status", started[0]]))
    print("@@ warm", main(["warm", "acme/faces-lora-prod"]))
    print("@@ preview", main(["preview", "a portrait of TOK"]))
