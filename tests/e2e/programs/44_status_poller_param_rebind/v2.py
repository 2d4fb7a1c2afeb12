# v2 rewrite. Rows: MD17 (models.predictions.create(model=(owner, name)) -> model_owner=, model_name=), PO05 (prediction.reload() on a parameter ->
# prediction = replicate.predictions.get(prediction_id=prediction.id)); v1 mutated the caller's object, so poll(), babysit() and refresh() now
# return the refreshed prediction and every caller rebinds it (`hero = babysit(hero, ...)`, `slow = refresh(slow)`, `batch[i] = poll(p, ...)`).
import time

import replicate

TERMINAL = {"succeeded", "failed", "canceled"}


def poll(prediction, every=0.01, max_polls=20):
    polls = 0
    while prediction.status not in TERMINAL:
        if polls >= max_polls:
            print("@@ gave up", prediction.id, prediction.status, polls)
            return prediction
        time.sleep(every)
        prediction = replicate.predictions.get(prediction_id=prediction.id)
        polls += 1
    print("@@ done", prediction.id, prediction.status, polls)
    return prediction


def babysit(prediction, label, max_polls=20):
    print("@@ babysit", label, prediction.id, prediction.status)
    prediction = poll(prediction, max_polls=max_polls)
    if prediction.status == "failed":
        print("@@ alert", label, prediction.error)
    return prediction


def refresh(prediction):
    prediction = replicate.predictions.get(prediction_id=prediction.id)
    return prediction


def start(prompt, model="acme/captioner"):
    owner, name = model.split("/")
    return replicate.models.predictions.create(model_owner=owner, model_name=name, input={"prompt": prompt})


if __name__ == "__main__":
    hero = start("a hero shot")
    hero = babysit(hero, "hero")
    print("@@ hero", hero.id, hero.status, hero.output)

    flaky = start("a flaky one", model="acme/failing-captioner")
    flaky = babysit(flaky, "flaky")
    print("@@ flaky", flaky.id, flaky.status, flaky.error)

    slow = start("a slow one")
    slow = refresh(slow)
    print("@@ refreshed", slow.id, slow.status)
    slow = refresh(slow)
    print("@@ refreshed again", slow.id, slow.status)

    batch = [start(f"frame {i}") for i in range(3)]
    for i, p in enumerate(batch):
        batch[i] = poll(p, max_polls=1)
    print("@@ batch after one poll", [(p.id, p.status) for p in batch])
    for i, p in enumerate(batch):
        batch[i] = poll(p)
    print("@@ batch done", [(p.id, p.status, p.output) for p in batch])
