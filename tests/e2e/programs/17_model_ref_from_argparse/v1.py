# Exercises: a non-literal "owner/name" (argparse default) passed to models.get(ref) and predictions.create(model=ref, ...).
import argparse

import replicate


def parse(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="acme/sentiment")
    parser.add_argument("--text", default="I love this")
    return parser.parse_args(argv)


def run_model(args):
    model = replicate.models.get(args.model)
    print("@@ model", model.owner, model.name, model.description)
    prediction = replicate.predictions.create(model=args.model, input={"text": args.text})
    prediction.wait()
    print("@@ prediction", prediction.id, prediction.status, prediction.output)


if __name__ == "__main__":
    run_model(parse([]))
    run_model(parse(["--model", "acme/toxicity", "--text", "meh"]))
