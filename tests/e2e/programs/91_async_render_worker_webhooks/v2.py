# v2 rewrite. Rows: IM17 (`from replicate.helpers import FileOutput` -> `from replicate import FileOutput`), M01/C02 (module client ->
# replicate.Replicate(bearer_token=)), C20 (the same v1 client served the async calls -> a module-level async_client =
# replicate.AsyncReplicate(bearer_token=...) with the same token), A02 (`await client.accounts.async_current()` -> `await
# async_client.account.get()`), W02 (`await webhooks.default.async_secret()` -> `await <AsyncReplicate>.webhooks.default.secret.get()`, a
# new AsyncReplicate() for the module), R02 (`await client.async_run` -> `await async_client.run`), M04 (the async client's files are
# AsyncFileOutput, not FileOutput: the isinstance check takes both), IM17/RM212 (`await item.aread()` -> `await item.read()`), M04/0b.5
# (`job["image"] = open(...)` passed to `await replicate.async_run(..., input=job)`: v1 uploaded the handle with files.create first -> upload it
# at the call the same way). Ledger.async_current() and Thumbnail are the worker's own.
import asyncio
import hashlib
import os

import replicate
from replicate import FileOutput

client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])
async_client = replicate.AsyncReplicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])

IMAGE_MODEL = "black-forest-labs/flux-schnell"
EDIT_MODEL = "acme/restyle"


class Ledger:
    def __init__(self):
        self.entries = []

    async def async_current(self):
        await asyncio.sleep(0)
        return len(self.entries)


class Thumbnail:
    def __init__(self, data):
        self.data = data


async def whoami():
    account = await async_client.account.get()
    return account.username


async def signing_keys():
    default = await replicate.AsyncReplicate().webhooks.default.secret.get()
    mine = await async_client.webhooks.default.secret.get()
    return default.key == mine.key, hashlib.sha256(mine.key.encode()).hexdigest()[:8]


async def render(prompt):
    output = await async_client.run(IMAGE_MODEL, input={"prompt": prompt, "num_outputs": 1})
    sizes = []
    for item in output:
        if isinstance(item, (FileOutput, replicate.AsyncFileOutput)):
            data = await item.read()
            sizes.append(len(data))
        elif isinstance(item, Thumbnail):
            sizes.append(len(item.data))
    return sizes


async def edit(path, prompt, strength=None):
    job = {"prompt": prompt}
    if strength is not None:
        job["strength"] = strength
    job["image"] = open(path, "rb")
    edits = replicate.AsyncReplicate()
    job["image"] = (await edits.files.create(content=job["image"])).urls.get
    return await edits.run(EDIT_MODEL, input=job)


async def main(image):
    ledger = Ledger()
    print("@@ account", await whoami(), await ledger.async_current())
    print("@@ keys", await signing_keys())
    for prompt in ["a red fox", "a blue whale"]:
        print("@@ render", prompt, await render(prompt))
    print("@@ edit", await edit(image, "make it night", strength=0.6))


if __name__ == "__main__":
    asyncio.run(main(os.path.join(os.path.dirname(os.path.abspath(__file__)), "image.jpg")))
