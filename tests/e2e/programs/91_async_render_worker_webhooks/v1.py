# Exercises: an asyncio render worker on one module-level v1 client: `await client.accounts.async_current()` at start-up,
# `await replicate.webhooks.default.async_secret()` and `await client.webhooks.default.async_secret()` to sign callbacks, outputs of
# `await client.async_run(...)` filtered with `isinstance(item, FileOutput)` (from replicate.helpers) and read with `await item.aread()`,
# an img2img job whose input dict is built first and gets `job["image"] = open(path, "rb")`, passed to `await replicate.async_run(...)`;
# decoys: a local `Ledger.async_current()`, a local `Thumbnail` class in an isinstance check, and `str` outputs.
import asyncio
import hashlib
import os

import replicate
from replicate.helpers import FileOutput

client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])

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
    account = await client.accounts.async_current()
    return account.username


async def signing_keys():
    default = await replicate.webhooks.default.async_secret()
    mine = await client.webhooks.default.async_secret()
    return default.key == mine.key, hashlib.sha256(mine.key.encode()).hexdigest()[:8]


async def render(prompt):
    output = await client.async_run(IMAGE_MODEL, input={"prompt": prompt, "num_outputs": 1})
    sizes = []
    for item in output:
        if isinstance(item, FileOutput):
            data = await item.aread()
            sizes.append(len(data))
        elif isinstance(item, Thumbnail):
            sizes.append(len(item.data))
    return sizes


async def edit(path, prompt, strength=None):
    job = {"prompt": prompt}
    if strength is not None:
        job["strength"] = strength
    job["image"] = open(path, "rb")
    return await replicate.async_run(EDIT_MODEL, input=job)


async def main(image):
    ledger = Ledger()
    print("@@ account", await whoami(), await ledger.async_current())
    print("@@ keys", await signing_keys())
    for prompt in ["a red fox", "a blue whale"]:
        print("@@ render", prompt, await render(prompt))
    print("@@ edit", await edit(image, "make it night", strength=0.6))


if __name__ == "__main__":
    asyncio.run(main(os.path.join(os.path.dirname(os.path.abspath(__file__)), "image.jpg")))
