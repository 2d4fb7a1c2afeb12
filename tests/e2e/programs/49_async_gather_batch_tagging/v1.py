# Exercises: a batch tagging script with a module-level v1 client (replicate.Client(api_token=..., timeout=httpx.Timeout(...))) used by coroutines run
# with asyncio.gather (await client.async_run(ref, input=...), await client.predictions.async_create(version=...)), then `for url, p in tagged.items(): await p.async_wait()`
# (the dict read afterwards: v1 mutated its values in place), and by sync code before and after the event loop (client.models.get(o, n),
# client.predictions.get(id)); results printed sorted. Concurrent: compare with --unordered.
import asyncio
import os

import httpx
import replicate

client = replicate.Client(
    api_token=os.environ["REPLICATE_API_TOKEN"],
    timeout=httpx.Timeout(30.0, connect=5.0),
)

CAPTIONER = "salesforce/blip"
TAGGER_VERSION = "f2cdbb3a1f9d4e8c9a67b8d7b3c2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4"
IMAGES = [f"https://example.test/photos/{n}.jpg" for n in ("beach", "forest", "city")]


async def caption(url):
    text = await client.async_run(CAPTIONER, input={"image": url, "task": "image_captioning"})
    return url, text


async def tag(url):
    p = await client.predictions.async_create(version=TAGGER_VERSION, input={"image": url, "top_k": 3})
    return url, p


async def collect(tagged):
    for url, p in tagged.items():
        await p.async_wait()
        print("@@ collected", url, p.status)
    return tagged


async def tag_all(urls):
    captions = await asyncio.gather(*(caption(u) for u in urls))
    tagged = await asyncio.gather(*(tag(u) for u in urls))
    return dict(captions), await collect(dict(tagged))


def main():
    model = client.models.get("salesforce", "blip")
    print("@@ model", model.owner, model.name, model.latest_version.id[:8])
    captions, tagged = asyncio.run(tag_all(IMAGES))
    for url in sorted(captions):
        print("@@ caption", url, captions[url])
    print("@@ tag statuses", sorted(p.status for p in tagged.values()))
    print("@@ tag ids", sorted(p.id for p in tagged.values()))
    for pid in sorted(p.id for p in tagged.values()):
        again = client.predictions.get(pid)
        print("@@ recheck", again.id, again.status, again.output)


if __name__ == "__main__":
    main()
