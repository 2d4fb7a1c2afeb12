# v2 rewrite. Rows: IM01 (Client -> Replicate, alias kept), C01 (positional token -> bearer_token=), R06 (run(ref) -> run(ref, input={})), R01.
import argparse
import os

from replicate import Replicate as C


def main(argv=None):
    parser = argparse.ArgumentParser(description="Ping a model")
    parser.add_argument("--model", default="acme/healthcheck")
    parser.add_argument("--prompt", default=None)
    args = parser.parse_args(argv)

    client = C(bearer_token=os.environ["REPLICATE_API_TOKEN"])
    if args.prompt is None:
        output = client.run(args.model, input={})
    else:
        output = client.run(args.model, input={"prompt": args.prompt})
    print("@@ output", args.model, output)


if __name__ == "__main__":
    main([])
    main(["--model", "acme/greeter", "--prompt", "hi"])
