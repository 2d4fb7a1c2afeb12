# v2 rewrite. Rows: P07 (create(model="o/n") -> models.predictions.create(model_owner=, model_name=)), PO01 (p.wait() on the SDK branch only ->
# p = replicate.predictions.wait(p.id); the cache branch's p.reload()/p.wait() are CachedThumbnail methods and stay), PO01 in the `for key, p` loop,
# P03 (predictions.get(id) -> get(prediction_id=)), PO03 (p.cancel() on the re-bound name -> p = replicate.predictions.cancel(prediction_id=)).
import replicate


class CachedThumbnail:
    """What we keep after a render: enough to answer again without calling the API."""

    def __init__(self, id, output):
        self.id = id
        self.status = "succeeded"
        self.output = list(output)
        self.hits = 0

    def reload(self):
        # a cache hit only refreshes the entry's counters
        self.hits += 1

    def wait(self):
        # already finished; kept so callers can treat cache entries like jobs
        return self


CACHE = {}


def thumbnail(key, prompt):
    if key in CACHE:
        p = CACHE[key]
        p.reload()
        p.wait()
        source = "cache"
    else:
        p = replicate.models.predictions.create(model_owner="black-forest-labs", model_name="flux-schnell", input={"prompt": prompt, "aspect_ratio": "1:1"})
        p = replicate.predictions.wait(p.id)
        if p.status == "succeeded":
            CACHE[key] = CachedThumbnail(p.id, p.output)
        source = "api"
    return source, p.id, p.status, len(p.output or [])


def warm(jobs):
    rendered = []
    for key, prompt in jobs:
        if (hit := CACHE.get(key)) is not None:
            print("@@ warm skip", key, hit.id, hit.hits)
            continue
        p = replicate.models.predictions.create(model_owner="black-forest-labs", model_name="flux-schnell", input={"prompt": prompt})
        print("@@ warm queued", key, p.id, p.status)
        rendered.append((key, p))
    for key, p in rendered:
        p = replicate.predictions.wait(p.id)
        CACHE[key] = CachedThumbnail(p.id, p.output)
    return [key for key, _ in rendered]


def forget(key):
    p = CACHE.pop(key, None)
    if p is None:
        return "not cached"
    p = replicate.predictions.get(prediction_id=p.id)
    p = replicate.predictions.cancel(prediction_id=p.id)
    return f"{p.id} {p.status}"


if __name__ == "__main__":
    print("@@ first", thumbnail("castle", "a castle on a hill"))
    print("@@ again", thumbnail("castle", "a castle on a hill"))
    print("@@ warmed", warm([("castle", "a castle on a hill"), ("moat", "a moat at dusk"), ("keep", "a stone keep")]))
    print("@@ cached", sorted((k, v.id, v.hits, v.output[0][:22]) for k, v in CACHE.items()))
    print("@@ forget", forget("moat"), forget("drawbridge"))
    print("@@ third", thumbnail("keep", "a stone keep"))
