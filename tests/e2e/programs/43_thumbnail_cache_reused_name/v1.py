# Exercises: a thumbnail service with an in-process cache. In one function `p = CACHE[key]` (a local CachedThumbnail with its own reload()/wait())
# in one branch and `p = replicate.predictions.create(model=...)` then `p.wait()` in the other, and `p` read after the join; a warm-up `for` loop
# with a walrus `(hit := CACHE.get(key)) is not None` and `continue`, then `for key, p in rendered: p.wait()`; `p` reused for a cache entry and then
# for `predictions.get(p.id)` followed by `p.cancel()`.
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
        p = replicate.predictions.create(model="black-forest-labs/flux-schnell", input={"prompt": prompt, "aspect_ratio": "1:1"})
        p.wait()
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
        p = replicate.predictions.create(model="black-forest-labs/flux-schnell", input={"prompt": prompt})
        print("@@ warm queued", key, p.id, p.status)
        rendered.append((key, p))
    for key, p in rendered:
        p.wait()
        CACHE[key] = CachedThumbnail(p.id, p.output)
    return [key for key, _ in rendered]


def forget(key):
    p = CACHE.pop(key, None)
    if p is None:
        return "not cached"
    p = replicate.predictions.get(p.id)
    p.cancel()
    return f"{p.id} {p.status}"


if __name__ == "__main__":
    print("@@ first", thumbnail("castle", "a castle on a hill"))
    print("@@ again", thumbnail("castle", "a castle on a hill"))
    print("@@ warmed", warm([("castle", "a castle on a hill"), ("moat", "a moat at dusk"), ("keep", "a stone keep")]))
    print("@@ cached", sorted((k, v.id, v.hits, v.output[0][:22]) for k, v in CACHE.items()))
    print("@@ forget", forget("moat"), forget("drawbridge"))
    print("@@ third", thumbnail("keep", "a stone keep"))
