# Exercises: control flow around predictions: a `while` retry loop that rebinds `p` to a new create(model=models[attempt]) on each attempt, with an
# inner `while` polling p.reload() and a `break`; a `for` loop with `continue` and an early `return p` after p.wait() on a fetched prediction;
# try/except/else/finally with p.wait() in the try and p.cancel() in the finally; a walrus in an `if` (`(p := create(...)).status != "succeeded"`
# then p.wait()) and in a `while` condition (`(p := replicate.predictions.get(pid)).status != "succeeded"`); `p` bound in a `try` and in its
# `except ReplicateError` (get or create), then p.wait() after the join; `p = None` before a `for ... else` loop with `break`, and
# `if p is not None and ...: p.cancel()` in the `finally`.
import time

import replicate
from replicate.exceptions import ReplicateError

TERMINAL = ("succeeded", "failed", "canceled")
DENOISE_VERSION = "d6a3a8c5c8b9e2f1a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3"


def generate_with_fallback(prompt, models):
    attempt = 0
    p = None
    while attempt < len(models):
        p = replicate.predictions.create(model=models[attempt], input={"prompt": prompt})
        while p.status not in TERMINAL:
            time.sleep(0.01)
            p.reload()
        if p.status == "succeeded":
            break
        print("@@ attempt failed", models[attempt], p.id, p.error)
        attempt += 1
    return p


def first_good(prediction_ids):
    for pid in prediction_ids:
        if pid.startswith("skip-"):
            continue
        p = replicate.predictions.get(pid)
        p.wait()
        if p.status == "succeeded":
            return p
        print("@@ not good", p.id, p.status)
    return None


def guarded(prompt):
    p = replicate.predictions.create(version=DENOISE_VERSION, input={"prompt": prompt})
    try:
        if "boom" in prompt:
            raise RuntimeError("prompt rejected by our own filter")
        p.wait()
    except RuntimeError as exc:
        print("@@ aborting", p.id, exc)
    else:
        print("@@ finished", p.id, p.status)
    finally:
        if p.status not in TERMINAL:
            p.cancel()
        print("@@ final", p.id, p.status)
    return p.status


def quick(prompt):
    if (p := replicate.predictions.create(model="acme/captioner", input={"prompt": prompt})).status != "succeeded":
        p.wait()
    return p.id, p.status, p.output


def wait_for_id(pid):
    polls = 0
    while (p := replicate.predictions.get(pid)).status != "succeeded":
        polls += 1
        time.sleep(0.01)
    return p.id, p.status, polls


def resume_or_start(pid, prompt):
    try:
        p = replicate.predictions.get(pid)
    except ReplicateError:
        p = replicate.predictions.create(version=DENOISE_VERSION, input={"prompt": prompt})
    p.wait()
    return p.id, p.status


def bounded(prompts, budget):
    p = None
    try:
        for prompt in prompts:
            p = replicate.predictions.create(version=DENOISE_VERSION, input={"prompt": prompt})
            if len(prompt) > budget:
                break
            p.wait()
        else:
            return "all done", p.id, p.status
    finally:
        if p is not None and p.status not in TERMINAL:
            p.cancel()
    return "over budget", p.id, p.status


if __name__ == "__main__":
    p = generate_with_fallback("a lighthouse", ["acme/failing-painter", "acme/failing-sketcher", "acme/painter"])
    print("@@ fallback", p.id, p.status, p.output)
    good = first_good(["skip-1", "gen_001", p.id, "pred_legacy_9"])
    print("@@ first good", good.id, good.status)
    print("@@ guarded ok", guarded("a calm sea"))
    print("@@ guarded boom", guarded("a boom"))
    print("@@ quick", quick("a pier"))
    print("@@ wait_for_id", wait_for_id("pred_external_5"))
    print("@@ resume existing", resume_or_start("pred_external_6", "unused"))
    print("@@ resume missing", resume_or_start("pred_missing_6", "a reef"))
    print("@@ bounded all", bounded(["a", "bb"], budget=5))
    print("@@ bounded over", bounded(["a", "a very long prompt"], budget=5))
