# v2 rewrite. Rows: P07 (create(model=models[attempt]), a non-literal ref -> split + models.predictions.create; create(model="o/n") inside the walrus ->
# models.predictions.create(model_owner=, model_name=)), PO05 (p.reload() in the inner while -> p = replicate.predictions.get(prediction_id=p.id)),
# P03 (get(pid), also in the `while` walrus -> get(prediction_id=pid)), PO01 (p.wait() in the for loop, in the try body, after the `if` walrus, after the
# try/except join and inside the `for ... else` loop -> p = replicate.predictions.wait(p.id)), PO03 (p.cancel() in both finally blocks -> p =
# replicate.predictions.cancel(prediction_id=p.id)), E02 (except ReplicateError around get -> except replicate.APIStatusError), P06.
import time

import replicate

TERMINAL = ("succeeded", "failed", "canceled")
DENOISE_VERSION = "d6a3a8c5c8b9e2f1a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3"


def generate_with_fallback(prompt, models):
    attempt = 0
    p = None
    while attempt < len(models):
        _owner, _name = models[attempt].split("/", 1)
        p = replicate.models.predictions.create(model_owner=_owner, model_name=_name, input={"prompt": prompt})
        while p.status not in TERMINAL:
            time.sleep(0.01)
            p = replicate.predictions.get(prediction_id=p.id)
        if p.status == "succeeded":
            break
        print("@@ attempt failed", models[attempt], p.id, p.error)
        attempt += 1
    return p


def first_good(prediction_ids):
    for pid in prediction_ids:
        if pid.startswith("skip-"):
            continue
        p = replicate.predictions.get(prediction_id=pid)
        p = replicate.predictions.wait(p.id)
        if p.status == "succeeded":
            return p
        print("@@ not good", p.id, p.status)
    return None


def guarded(prompt):
    p = replicate.predictions.create(version=DENOISE_VERSION, input={"prompt": prompt})
    try:
        if "boom" in prompt:
            raise RuntimeError("prompt rejected by our own filter")
        p = replicate.predictions.wait(p.id)
    except RuntimeError as exc:
        print("@@ aborting", p.id, exc)
    else:
        print("@@ finished", p.id, p.status)
    finally:
        if p.status not in TERMINAL:
            p = replicate.predictions.cancel(prediction_id=p.id)
        print("@@ final", p.id, p.status)
    return p.status


def quick(prompt):
    if (p := replicate.models.predictions.create(model_owner="acme", model_name="captioner", input={"prompt": prompt})).status != "succeeded":
        p = replicate.predictions.wait(p.id)
    return p.id, p.status, p.output


def wait_for_id(pid):
    polls = 0
    while (p := replicate.predictions.get(prediction_id=pid)).status != "succeeded":
        polls += 1
        time.sleep(0.01)
    return p.id, p.status, polls


def resume_or_start(pid, prompt):
    try:
        p = replicate.predictions.get(prediction_id=pid)
    except replicate.APIStatusError:
        p = replicate.predictions.create(version=DENOISE_VERSION, input={"prompt": prompt})
    p = replicate.predictions.wait(p.id)
    return p.id, p.status


def bounded(prompts, budget):
    p = None
    try:
        for prompt in prompts:
            p = replicate.predictions.create(version=DENOISE_VERSION, input={"prompt": prompt})
            if len(prompt) > budget:
                break
            p = replicate.predictions.wait(p.id)
        else:
            return "all done", p.id, p.status
    finally:
        if p is not None and p.status not in TERMINAL:
            p = replicate.predictions.cancel(prediction_id=p.id)
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
