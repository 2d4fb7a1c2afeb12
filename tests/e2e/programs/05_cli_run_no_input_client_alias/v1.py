# Exercises: `from replicate import Client as C`, positional token, client.run(ref) without input, argparse defaults.
import argparse
import os

from replicate import Client as C


def main(argv=None):
    parser = argparse.ArgumentParser(description="Ping a model")
    parser.add_argument("--model", default="acme/healthcheck")
    parser.add_argument("--prompt", default=None)
    args = parser.parse_args(argv)

    client = C(os.environ["REPLICATE_API_TOKEN"])
    if args.prompt is None:
        output = client.run(args.model)
    else:
        output = client.run(args.model, input={"prompt": args.prompt})
    print("@@ output", args.model, output)


if __name__ == "__main__":
    main([])
    main(["--model", "acme/greeter", "--prompt", "hi"])
