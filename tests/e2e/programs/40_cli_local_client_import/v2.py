# v2 rewrite. Rows: IM01 (function-local `from replicate import Client` -> Replicate), C01 (positional token -> bearer_token=), R05 (client.run(ref, {...}) in the helper
# that receives the client -> input=), R01, P03 (get(id) -> prediction_id=), P14 (cancel(id) -> prediction_id=), P01 + PG06/PG04 (len(page), for p in page -> .results), PG02.
import argparse
import os
import sys


def render(client, ref, prompt):
    output = client.run(ref, input={"prompt": prompt, "aspect_ratio": "1:1"})
    return [str(item) for item in output]


def main(argv):
    parser = argparse.ArgumentParser(prog="rcli")
    parser.add_argument("--token", default=os.environ.get("REPLICATE_API_TOKEN"))
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_run = sub.add_parser("run")
    p_run.add_argument("ref")
    p_run.add_argument("prompt")
    p_show = sub.add_parser("show")
    p_show.add_argument("id")
    p_cancel = sub.add_parser("cancel")
    p_cancel.add_argument("id")
    sub.add_parser("ls")
    args = parser.parse_args(argv)

    from replicate import Replicate

    client = Replicate(bearer_token=args.token)
    if args.cmd == "run":
        print("@@ run", render(client, args.ref, args.prompt))
        print("@@ caption", client.run("acme/captioner", input={"prompt": args.prompt}))
    elif args.cmd == "show":
        prediction = client.predictions.get(prediction_id=args.id)
        print("@@ show", prediction.id, prediction.status, prediction.output)
    elif args.cmd == "cancel":
        prediction = client.predictions.cancel(prediction_id=args.id)
        print("@@ cancel", prediction.id, prediction.status)
    elif args.cmd == "ls":
        page = client.predictions.list()
        print("@@ ls count", len(page.results))
        for p in page.results:
            print("@@ ls", p.id, p.status, p.model)
        print("@@ ls next", page.next)
    return 0


if __name__ == "__main__":
    for argv in (["run", "black-forest-labs/flux-schnell", "a koi pond"], ["show", "gen_001"], ["show", "gen_001"],
                 ["cancel", "pred_old_7"], ["ls"]):
        main(argv)
    sys.exit(0)
