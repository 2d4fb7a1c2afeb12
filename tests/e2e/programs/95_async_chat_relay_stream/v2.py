# v2 rewrite (hand-checked EQUIVALENT with run_pair.py). Rows: C02/C06 (Client(api_token=) -> Replicate(bearer_token=)),
# R04/M06 (client.async_stream -> an AsyncReplicate twin with the client's settings, the prediction created with stream=True
# and its server-sent events read by the _replicate_async_stream_events helper, as v1 did), the reference in CHAT_MODEL split
# into model_owner= / model_name=. Relay.run() is the user's own; the sync title call stays on Replicate.
import asyncio
import os

import replicate


async def _replicate_async_stream_events(url, token):
    """Yield the server-sent events of a prediction's stream, as replicate 1.x's `async_stream()` did."""
    import httpx

    class ServerSentEvent:
        def __init__(self, event, data, id):
            self.event, self.data, self.id = event, data, id

        def __str__(self):
            return self.data if self.event == "output" else ""

    headers = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with httpx.AsyncClient(timeout=None) as http:
        async with http.stream("GET", url, headers=headers) as response:
            event, data, last_id = None, [], None
            async for line in response.aiter_lines():
                if not line:
                    if event is not None and last_id is not None:
                        sse = ServerSentEvent(event, "\n".join(data), last_id)
                        event, data = None, []
                        if sse.event == "error":
                            raise RuntimeError(sse.data)
                        yield sse
                        if sse.event == "done":
                            return
                    continue
                if line.startswith(":"):
                    continue
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    event = value
                elif field == "data":
                    data.append(value)
                elif field == "id" and "\0" not in value:
                    last_id = value


CHAT_MODEL = "meta/meta-llama-3-8b-instruct"


class Relay:
    def __init__(self, token):
        self.client = replicate.Replicate(bearer_token=token, timeout=30)
        self.async_client = replicate.AsyncReplicate(bearer_token=token, timeout=30)
        self.sent = []

    def run(self, chunk):
        self.sent.append(chunk)
        return len(self.sent)

    async def reply(self, prompt):
        async for event in _replicate_async_stream_events((await self.async_client.models.predictions.create(model_owner=CHAT_MODEL.split("/", 1)[0], model_name=CHAT_MODEL.split("/", 1)[1], input={"prompt": prompt}, stream=True)).urls.stream, self.client.bearer_token):
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
