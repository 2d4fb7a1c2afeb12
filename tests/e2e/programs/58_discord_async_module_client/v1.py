# Exercises: a Discord-style bot with one module-level v1 client used from async handlers (await client.async_run(...) + FileOutput.aread(),
# await client.predictions.async_create(model=...) then an `await prediction.async_reload()` loop, await client.predictions.async_get(id)) and from
# sync admin commands (client.predictions.cancel(id), client.models.get(ref) with a non-literal ref); handlers dispatched by a dict; asyncio.run;
# decoy: a local Embed class with reload() and a `run` attribute.
import asyncio
import os

import replicate

client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])

TERMINAL = ("succeeded", "failed", "canceled")


class Message:
    def __init__(self, author, content):
        self.author = author
        self.content = content


class Embed:
    def __init__(self, title):
        self.title = title
        self.fields = []
        self.run = 0

    def add(self, name, value):
        self.fields.append((name, value))
        return self

    def reload(self):
        # re-render after edits
        self.run += 1
        return f"{self.title} [{', '.join(f'{n}={v}' for n, v in self.fields)}] r{self.run}"


async def on_imagine(msg):
    output = await client.async_run("black-forest-labs/flux-schnell", input={"prompt": msg.content})
    png = await output[0].aread()
    return Embed("imagine").add("bytes", len(png)).add("by", msg.author).reload()


async def on_ask(msg):
    prediction = await client.predictions.async_create(
        model="meta/meta-llama-3-8b-instruct", input={"prompt": msg.content, "max_tokens": 64}
    )
    polls = 0
    while prediction.status not in TERMINAL:
        await asyncio.sleep(0.01)
        await prediction.async_reload()
        polls += 1
    return Embed("ask").add("answer", "".join(prediction.output)).add("polls", polls).reload()


async def on_status(msg):
    prediction = await client.predictions.async_get(msg.content)
    return Embed("status").add(prediction.id, prediction.status).reload()


HANDLERS = {"!imagine": on_imagine, "!ask": on_ask, "!status": on_status}


def admin_cancel(pid):
    prediction = client.predictions.cancel(pid)
    return prediction.id, prediction.status


def admin_model(ref):
    model = client.models.get(ref)
    return model.owner, model.name, model.visibility


async def main(lines):
    replies = []
    for author, line in lines:
        command, _, rest = line.partition(" ")
        handler = HANDLERS.get(command)
        if handler is None:
            continue
        replies.append(await handler(Message(author, rest)))
    return replies


if __name__ == "__main__":
    for reply in asyncio.run(main([("ana", "!imagine a neon koi"), ("bo", "!ask what is a koi?"), ("cy", "!dance"),
                                   ("ana", "!status gen_002"), ("bo", "!status pred_old_3")])):
        print("@@ reply", reply)
    print("@@ cancel", admin_cancel("pred_old_3"))
    print("@@ model", admin_model("black-forest-labs/flux-schnell"))
