# v2 rewrite. Rows: MD01 (models.get(ref) with a non-literal ref -> split + keywords), P07 (predictions.create(model=ref) -> split +
# models.predictions.create(model_owner=, model_name=)), PO01 (prediction.wait() -> reassignment).
import argparse

import replicate


def parse(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="acme/sentiment")
    parser.add_argument("--text", default="I love this")
    return parser.parse_args(argv)


def run_model(args):
    _owner, _name = args.model.split("/", 1)
    model = replicate.models.get(model_owner=_owner, model_name=_name)
    print("@@ model", model.owner, model.name, model.description)
    _owner, _name = args.model.split("/", 1)
    prediction = replicate.models.predictions.create(model_owner=_owner, model_name=_name, input={"text": args.text})
    prediction = replicate.predictions.wait(prediction.id)
    print("@@ prediction", prediction.id, prediction.status, prediction.output)


if __name__ == "__main__":
    run_model(parse([]))
    run_model(parse(["--model", "acme/toxicity", "--text", "meh"]))
