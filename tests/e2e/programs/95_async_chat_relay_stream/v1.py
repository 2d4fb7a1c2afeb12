# Exercises: an async chat relay that holds one v1 client for sync and async work: `await client.async_stream(...)`
# relays the server-sent events of a reply chunk by chunk (v1 created the prediction with stream=True and read
# urls.stream), while a sync `client.run` makes the title. The fix reads the events over the client's AsyncReplicate
# twin (RM210 with RM209's twin), the sync calls stay on Replicate. Decoys: a local `Relay.run()`, asyncio's own run.
import asyncio
import os

import replicate

CHAT_MODEL = "meta/meta-llama-3-8b-instruct"


class Relay:
    def __init__(self, token):
        self.client = replicate.Client(api_token=token, timeout=30)
        self.sent = []

    def run(self, chunk):
        self.sent.append(chunk)
        return len(self.sent)

    async def reply(self, prompt):
        async for event in await self.client.async_stream(CHAT_MODEL, input={"prompt": prompt}):
            text = str(event)
            if text:
                self.run(text)
        return "".join(self.sent)

    def title(self, prompt):
        return "".join(self.client.run(CHAT_MODEL, input={"prompt": "title: " + prompt}))


async def main():
    relay = Relay(os.environ["REPLICATE_API_TOKEN"])
    answer = await relay.reply("hello there")
    return answer, relay.title("hello there"), len(relay.sent)


if __name__ == "__main__":
    print("@@ relay", asyncio.run(main()))
