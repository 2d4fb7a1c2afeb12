# v2 rewrite. Rows: M01/C02/C20 (one v1 client for sync and async calls -> self.client = replicate.Replicate(bearer_token=...) plus
# self.async_client = replicate.AsyncReplicate(bearer_token=...) with the same token), MD01 (models.get("o/n") -> keywords), R02 (await client.async_run
# -> await self.async_client.run), IM17/RM212 (await output[0].aread() -> await output[0].read() on the AsyncFileOutput), P13/P07 (async_create(model="o/n")
# -> await self.async_client.models.predictions.create(model_owner=, model_name=)), PO02 (await prediction.async_wait() -> prediction =
# await self.async_client.predictions.wait(prediction.id)), P15 (async_cancel(id) -> await self.async_client.predictions.cancel(prediction_id=)), P03.
# RenderJob.async_run()/wait() are the program's own methods and stay.
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
        self.client = replicate.Replicate(bearer_token=token or os.environ["REPLICATE_API_TOKEN"])
        self.async_client = replicate.AsyncReplicate(bearer_token=token or os.environ["REPLICATE_API_TOKEN"])
        self.model = model

    def check_model(self):
        model = self.client.models.get(model_owner="black-forest-labs", model_name="flux-schnell")
        return f"{model.owner}/{model.name} runs={model.run_count}"

    async def render(self, prompt):
        output = await self.async_client.run(self.model, input={"prompt": prompt, "num_outputs": 1})
        data = await output[0].read()
        return len(data), output[0].url[:22]

    async def submit(self, prompt):
        prediction = await self.async_client.models.predictions.create(
            model_owner="black-forest-labs", model_name="flux-schnell", input={"prompt": prompt}
        )
        prediction = await self.async_client.predictions.wait(prediction.id)
        return prediction.id, prediction.status, len(prediction.output)

    async def abort(self, prompt):
        prediction = await self.async_client.models.predictions.create(
            model_owner="black-forest-labs", model_name="flux-schnell", input={"prompt": prompt}
        )
        await self.async_client.predictions.cancel(prediction_id=prediction.id)
        return prediction.id, self.client.predictions.get(prediction_id=prediction.id).status


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
