# v2 rewrite. Rows: M01/C02 (module client -> replicate.Replicate(bearer_token=)), C20 (the same v1 client served the async handlers -> a module-level
# async_client = replicate.AsyncReplicate(bearer_token=...) with the same token), R02 (await client.async_run -> await async_client.run), IM17/RM212
# (await output[0].aread() -> await output[0].read()), P13/P07 (async_create(model="o/n") -> await async_client.models.predictions.create(model_owner=,
# model_name=)), PO06 (await prediction.async_reload() -> prediction = await async_client.predictions.get(prediction_id=prediction.id)), P04
# (async_get(id) -> await async_client.predictions.get(prediction_id=)), P14 (cancel(id) -> prediction_id=), MD01 (models.get(ref), a non-literal ref ->
# split + model_owner=, model_name=). Embed.reload() and Embed.run are the program's own.
import asyncio
import os

import replicate

client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])
async_client = replicate.AsyncReplicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])

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
    output = await async_client.run("black-forest-labs/flux-schnell", input={"prompt": msg.content})
    png = await output[0].read()
    return Embed("imagine").add("bytes", len(png)).add("by", msg.author).reload()


async def on_ask(msg):
    prediction = await async_client.models.predictions.create(
        model_owner="meta", model_name="meta-llama-3-8b-instruct", input={"prompt": msg.content, "max_tokens": 64}
    )
    polls = 0
    while prediction.status not in TERMINAL:
        await asyncio.sleep(0.01)
        prediction = await async_client.predictions.get(prediction_id=prediction.id)
        polls += 1
    return Embed("ask").add("answer", "".join(prediction.output)).add("polls", polls).reload()


async def on_status(msg):
    prediction = await async_client.predictions.get(prediction_id=msg.content)
    return Embed("status").add(prediction.id, prediction.status).reload()


HANDLERS = {"!imagine": on_imagine, "!ask": on_ask, "!status": on_status}


def admin_cancel(pid):
    prediction = client.predictions.cancel(prediction_id=pid)
    return prediction.id, prediction.status


def admin_model(ref):
    _owner, _name = ref.split("/", 1)
    model = client.models.get(model_owner=_owner, model_name=_name)
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
