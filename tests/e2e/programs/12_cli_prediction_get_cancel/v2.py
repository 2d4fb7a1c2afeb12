# v2 rewrite. Rows: P03 (predictions.get(id) -> get(prediction_id=id)), P14 (predictions.cancel(id) -> cancel(prediction_id=id)), PO12.
import argparse

import replicate


def show(prediction_id):
    prediction = replicate.predictions.get(prediction_id=prediction_id)
    print("@@ show", prediction.id, prediction.status, prediction.model, prediction.error)


def cancel(prediction_id):
    prediction = replicate.predictions.cancel(prediction_id=prediction_id)
    print("@@ cancel", prediction.id, prediction.status)


def main(argv):
    parser = argparse.ArgumentParser(prog="predctl")
    parser.add_argument("action", choices=["show", "cancel"], nargs="?", default="show")
    parser.add_argument("--id", dest="prediction_id", default="ufawqhfynnddngldkgtslldrkq")
    args = parser.parse_args(argv)
    if args.action == "show":
        show(args.prediction_id)
    else:
        cancel(args.prediction_id)


if __name__ == "__main__":
    main([])
    main(["show"])
    main(["cancel"])
    main(["cancel", "--id", "abc123"])
    main(["show", "--id", "abc123"])
