#!/usr/bin/env python3
"""Interactive terminal chat with a Replicate-hosted LLM, streaming tokens as they arrive."""
import argparse
import readline  # noqa: F401  (line editing for input())
import sys

import replicate
from replicate.stream import ServerSentEvent  # v1: IM21

MODEL = "meta/meta-llama-3-70b-instruct"
SYSTEM = "You are a helpful assistant. Answer briefly."


def build_prompt(history: list[tuple[str, str]], user: str) -> str:
    turns = "".join(f"<|user|>{u}<|assistant|>{a}" for u, a in history)
    return f"{turns}<|user|>{user}<|assistant|>"


def stream_module(prompt: str, temperature: float) -> str:
    chunks = []
    for event in replicate.stream(  # v1: M05
        MODEL,
        input={"prompt": prompt, "system_prompt": SYSTEM, "temperature": temperature},
    ):
        if event.event != ServerSentEvent.EventType.OUTPUT:  # v1: M05, IM21
            continue
        piece = event.data  # v1: M05
        sys.stdout.write(piece)
        sys.stdout.flush()
        chunks.append(piece)
    print()
    return "".join(chunks)


def stream_prediction(prompt: str, temperature: float) -> str:
    prediction = replicate.predictions.create(  # v1: P07
        model=MODEL,
        input={"prompt": prompt, "system_prompt": SYSTEM, "temperature": temperature},
        stream=True,
    )
    if "stream" not in prediction.urls:  # v1: PO15
        prediction.wait()  # v1: PO01
        return "".join(prediction.output)
    text = []
    for event in prediction.stream():  # v1: PO07
        text.append(str(event))
        print(str(event), end="", flush=True)
    print()
    return "".join(text)


def poll_prediction(prompt: str) -> str:
    prediction = replicate.models.predictions.create(MODEL, input={"prompt": prompt})  # v1: MD17
    out = []
    for token in prediction.output_iterator():  # v1: PO09
        print(token, end="", flush=True)
        out.append(token)
    print()
    return "".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["module", "prediction", "poll"], default="module")
    ap.add_argument("--temperature", type=float, default=0.7)
    args = ap.parse_args()
    history: list[tuple[str, str]] = []
    while True:
        try:
            user = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not user:
            continue
        if user in ("/quit", "/exit"):
            return 0
        prompt = build_prompt(history, user)
        if args.mode == "module":
            answer = stream_module(prompt, args.temperature)
        elif args.mode == "prediction":
            answer = stream_prediction(prompt, args.temperature)
        else:
            answer = poll_prediction(prompt)
        history.append((user, answer))


if __name__ == "__main__":
    sys.exit(main())
