# Exercises: a small library module whose functions take `client=None`: `if client is None: client = replicate.Client(api_token=...)` in caption()
# and rerun(), `client = client or get_client()` in start(); a get_client(token=None) helper (functools.lru_cache) returning a Client, used as
# get_client().predictions.get(id); a caller-supplied team client whose predictions are waited by the caller (`q = start(..., client=team); q.wait()`)
# and re-run by rerun(q.id, client=team) (new.wait() inside, on the fallback-or-given client); positional run input; a model= parameter default.
import functools
import os

import replicate


@functools.lru_cache(maxsize=None)
def get_client(token=None):
    return replicate.Client(api_token=token or os.environ["REPLICATE_API_TOKEN"])


def caption(url, client=None):
    if client is None:
        client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
    return client.run("salesforce/blip", {"image": url, "task": "image_captioning"})


def start(prompt, *, client=None, model="acme/chat-llm"):
    client = client or get_client()
    owner, name = model.split("/", 1)
    return client.predictions.create(model=(owner, name), input={"prompt": prompt})


def rerun(prediction_id, client=None):
    if client is None:
        client = get_client()
    old = client.predictions.get(prediction_id)
    new = client.predictions.create(version=old.version, input=old.input)
    new.wait()
    return new


if __name__ == "__main__":
    team = replicate.Client(api_token="r8_team_token")
    print("@@ caption default", caption("https://example.test/a.jpg"))
    print("@@ caption team", caption("https://example.test/b.jpg", client=team))

    p = start("hello")
    p.wait()
    print("@@ default", p.id, p.status, "".join(p.output))
    q = start("hello team", client=team, model="acme/summarizer")
    q.wait()
    print("@@ team", q.id, q.status, q.output)

    r = rerun(q.id, client=team)
    print("@@ rerun team", r.id, r.status, r.input)
    print("@@ rerun default", rerun(p.id).status)
    print("@@ recheck", get_client().predictions.get(p.id).status, get_client("r8_team_token").predictions.get(q.id).status)
