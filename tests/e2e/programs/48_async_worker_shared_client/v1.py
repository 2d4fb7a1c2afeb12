# Exercises: an async render worker holding ONE v1 client (self.client = replicate.Client(api_token=...)) used for sync calls (models.get,
# predictions.get) and for async ones: await self.client.async_run(ref, input=...) with FileOutput.aread(), await self.client.predictions.async_create(model=...),
# await prediction.async_wait(), await self.client.predictions.async_cancel(id); asyncio.run with sequential awaits;
# decoy: a local RenderJob class with its own async_run() and wait().
import asyncio
import os

import replicate


class RenderJob:
    def __init__(self, prompt):
        self.prompt = prompt
        self.attempts = 0
        self.result = None

    async def async_run(self, worker):
        self.attempts += 1
        self.result = await worker.render(self.prompt)
        return self.result

    def wait(self):
        return self.result


class AsyncRenderWorker:
    def __init__(self, token=None, model="black-forest-labs/flux-schnell"):
        self.client = replicate.Client(api_token=token or os.environ["REPLICATE_API_TOKEN"])
        self.model = model

    def check_model(self):
        model = self.client.models.get("black-forest-labs/flux-schnell")
        return f"{model.owner}/{model.name} runs={model.run_count}"

    async def render(self, prompt):
        output = await self.client.async_run(self.model, input={"prompt": prompt, "num_outputs": 1})
        data = await output[0].aread()
        return len(data), output[0].url[:22]

    async def submit(self, prompt):
        prediction = await self.client.predictions.async_create(
            model="black-forest-labs/flux-schnell", input={"prompt": prompt}
        )
        await prediction.async_wait()
        return prediction.id, prediction.status, len(prediction.output)

    async def abort(self, prompt):
        prediction = await self.client.predictions.async_create(
            model="black-forest-labs/flux-schnell", input={"prompt": prompt}
        )
        await self.client.predictions.async_cancel(prediction.id)
        return prediction.id, self.client.predictions.get(prediction.id).status


async def main():
    worker = AsyncRenderWorker()
    print("@@ model", worker.check_model())
    job = RenderJob("a koi pond")
    print("@@ job", await job.async_run(worker), job.attempts, job.wait())
    print("@@ submit", await worker.submit("a paper lantern"))
    print("@@ abort", await worker.abort("a stone bridge"))
    team = AsyncRenderWorker(token="r8_team_token")
    print("@@ team", await team.render("a bamboo forest"), await team.submit("a tea house"))


if __name__ == "__main__":
    asyncio.run(main())
