# v2 rewrite. Rows: M01/C02 (replicate.Client(api_token=) -> replicate.Replicate(bearer_token=), in get_client(), in caption()'s `client is None` fallback
# and for the team client), R01/R05 (client.run(ref, {...}) on the parameter-or-fallback client -> input=), P07 (create(model=(owner, name)) ->
# models.predictions.create(model_owner=, model_name=)), P03 (get(id) -> get(prediction_id=), also on get_client(...)), P06, PO01 (p.wait() -> p =
# get_client().predictions.wait(p.id): start() fell back to get_client(); q.wait() -> q = team.predictions.wait(q.id): q came from the team client;
# new.wait() -> new = client.predictions.wait(new.id) on rerun()'s own client).
import functools
import os

import replicate


@functools.lru_cache(maxsize=None)
def get_client(token=None):
    return replicate.Replicate(bearer_token=token or os.environ["REPLICATE_API_TOKEN"])


def caption(url, client=None):
    if client is None:
        client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])
    return client.run("salesforce/blip", input={"image": url, "task": "image_captioning"})


def start(prompt, *, client=None, model="acme/chat-llm"):
    client = client or get_client()
    owner, name = model.split("/", 1)
    return client.models.predictions.create(model_owner=owner, model_name=name, input={"prompt": prompt})


def rerun(prediction_id, client=None):
    if client is None:
        client = get_client()
    old = client.predictions.get(prediction_id=prediction_id)
    new = client.predictions.create(version=old.version, input=old.input)
    new = client.predictions.wait(new.id)
    return new


if __name__ == "__main__":
    team = replicate.Replicate(bearer_token="r8_team_token")
    print("@@ caption default", caption("https://example.test/a.jpg"))
    print("@@ caption team", caption("https://example.test/b.jpg", client=team))

    p = start("hello")
    p = get_client().predictions.wait(p.id)
    print("@@ default", p.id, p.status, "".join(p.output))
    q = start("hello team", client=team, model="acme/summarizer")
    q = team.predictions.wait(q.id)
    print("@@ team", q.id, q.status, q.output)

    r = rerun(q.id, client=team)
    print("@@ rerun team", r.id, r.status, r.input)
    print("@@ rerun default", rerun(p.id).status)
    print("@@ recheck", get_client().predictions.get(prediction_id=p.id).status, get_client("r8_team_token").predictions.get(prediction_id=q.id).status)
