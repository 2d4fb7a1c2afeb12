# Exercises: a status poller `poll(prediction, every=, max_polls=)` that calls prediction.reload() on its parameter (v1 mutates the caller's object)
# with an early `return` when the budget runs out; `babysit(prediction, label)` passing the same parameter on to poll(); a `refresh(prediction)`
# helper that reloads and returns it, called both as a statement and as `p = refresh(p)`; callers that read the same name afterwards;
# a batch polled with `for p in batch: poll(p, max_polls=1)` and read again from the list.
import time

import replicate

TERMINAL = {"succeeded", "failed", "canceled"}


def poll(prediction, every=0.01, max_polls=20):
    polls = 0
    while prediction.status not in TERMINAL:
        if polls >= max_polls:
            print("@@ gave up", prediction.id, prediction.status, polls)
            return
        time.sleep(every)
        prediction.reload()
        polls += 1
    print("@@ done", prediction.id, prediction.status, polls)


def babysit(prediction, label, max_polls=20):
    print("@@ babysit", label, prediction.id, prediction.status)
    poll(prediction, max_polls=max_polls)
    if prediction.status == "failed":
        print("@@ alert", label, prediction.error)


def refresh(prediction):
    prediction.reload()
    return prediction


def start(prompt, model="acme/captioner"):
    owner, name = model.split("/")
    return replicate.models.predictions.create(model=(owner, name), input={"prompt": prompt})


if __name__ == "__main__":
    hero = start("a hero shot")
    babysit(hero, "hero")
    print("@@ hero", hero.id, hero.status, hero.output)

    flaky = start("a flaky one", model="acme/failing-captioner")
    babysit(flaky, "flaky")
    print("@@ flaky", flaky.id, flaky.status, flaky.error)

    slow = start("a slow one")
    refresh(slow)
    print("@@ refreshed", slow.id, slow.status)
    slow = refresh(slow)
    print("@@ refreshed again", slow.id, slow.status)

    batch = [start(f"frame {i}") for i in range(3)]
    for p in batch:
        poll(p, max_polls=1)
    print("@@ batch after one poll", [(p.id, p.status) for p in batch])
    for p in batch:
        poll(p)
    print("@@ batch done", [(p.id, p.status, p.output) for p in batch])
