# v2 rewrite. Rows: M01/C02/C05 (module client -> replicate.Replicate(bearer_token=, timeout=)), C20 (the same v1 client served the coroutines ->
# a module-level async_client = replicate.AsyncReplicate(...) with the same settings), MD02 (models.get(o, n) -> keywords), R02 (await client.async_run
# -> await async_client.run), P13/P06 (async_create(version=) -> await async_client.predictions.create(version=)), PO02 (await p.async_wait() ->
# p = await async_client.predictions.wait(p.id), written back with tagged[url] = p since main() reads the dict), P03 (get(id) -> get(prediction_id=)).
# Concurrent: compare with --unordered.
import asyncio
import os

import httpx
import replicate

client = replicate.Replicate(
    bearer_token=os.environ["REPLICATE_API_TOKEN"],
    timeout=httpx.Timeout(30.0, connect=5.0),
)
async_client = replicate.AsyncReplicate(
    bearer_token=os.environ["REPLICATE_API_TOKEN"],
    timeout=httpx.Timeout(30.0, connect=5.0),
)

CAPTIONER = "salesforce/blip"
TAGGER_VERSION = "f2cdbb3a1f9d4e8c9a67b8d7b3c2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4"
IMAGES = [f"https://example.test/photos/{n}.jpg" for n in ("beach", "forest", "city")]


async def caption(url):
    text = await async_client.run(CAPTIONER, input={"image": url, "task": "image_captioning"})
    return url, text


async def tag(url):
    p = await async_client.predictions.create(version=TAGGER_VERSION, input={"image": url, "top_k": 3})
    return url, p


async def collect(tagged):
    for url, p in tagged.items():
        p = await async_client.predictions.wait(p.id)
        tagged[url] = p
        print("@@ collected", url, p.status)
    return tagged


async def tag_all(urls):
    captions = await asyncio.gather(*(caption(u) for u in urls))
    tagged = await asyncio.gather(*(tag(u) for u in urls))
    return dict(captions), await collect(dict(tagged))


def main():
    model = client.models.get(model_owner="salesforce", model_name="blip")
    print("@@ model", model.owner, model.name, model.latest_version.id[:8])
    captions, tagged = asyncio.run(tag_all(IMAGES))
    for url in sorted(captions):
        print("@@ caption", url, captions[url])
    print("@@ tag statuses", sorted(p.status for p in tagged.values()))
    print("@@ tag ids", sorted(p.id for p in tagged.values()))
    for pid in sorted(p.id for p in tagged.values()):
        again = client.predictions.get(prediction_id=pid)
        print("@@ recheck", again.id, again.status, again.output)


if __name__ == "__main__":
    main()
