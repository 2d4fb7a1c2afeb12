# Exercises: argparse CLI with a function-local `from replicate import Client` (lazy import keeps --help fast); Client(token) positional;
# subcommands: client.run(ref, input=), client.predictions.get(id)/cancel(id), client.predictions.list() page (len, for, next);
# a helper that receives the client as a parameter and calls client.run(ref, {...}) with positional input.
import argparse
import os
import sys


def render(client, ref, prompt):
    output = client.run(ref, {"prompt": prompt, "aspect_ratio": "1:1"})
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

    from replicate import Client

    client = Client(args.token)
    if args.cmd == "run":
        print("@@ run", render(client, args.ref, args.prompt))
        print("@@ caption", client.run("acme/captioner", input={"prompt": args.prompt}))
    elif args.cmd == "show":
        prediction = client.predictions.get(args.id)
        print("@@ show", prediction.id, prediction.status, prediction.output)
    elif args.cmd == "cancel":
        prediction = client.predictions.cancel(args.id)
        print("@@ cancel", prediction.id, prediction.status)
    elif args.cmd == "ls":
        page = client.predictions.list()
        print("@@ ls count", len(page))
        for p in page:
            print("@@ ls", p.id, p.status, p.model)
        print("@@ ls next", page.next)
    return 0


if __name__ == "__main__":
    for argv in (["run", "black-forest-labs/flux-schnell", "a koi pond"], ["show", "gen_001"], ["show", "gen_001"],
                 ["cancel", "pred_old_7"], ["ls"]):
        main(argv)
    sys.exit(0)
