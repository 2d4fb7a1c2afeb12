# v2 rewrite. Rows: M01/C02 (replicate.Client(api_token=) -> replicate.Replicate(bearer_token=) in both factories), P07 (create(model="o/n") in the lambda
# and in the generator -> models.predictions.create(model_owner=, model_name=)), PO01 (first.wait() -> first = client.predictions.wait(first.id); p.wait() on
# each yielded prediction -> p = design.predictions.wait(p.id), the client the generator was given), PO03 (stray.cancel() -> stray =
# ops.predictions.cancel(prediction_id=stray.id)), P03 (chained for_team(...).predictions.get(id) -> prediction_id=). Pipeline.wait()/cancel() stay.
import os

import replicate

TEAM_TOKENS = {"design": "r8_design_token", "ops": "r8_ops_token"}


class ClientFactory:
    @staticmethod
    def default():
        return replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])

    @classmethod
    def for_team(cls, team):
        token = TEAM_TOKENS.get(team)
        if token is None:
            return cls.default()
        return replicate.Replicate(bearer_token=token)


def submissions(client, prompts):
    for i, prompt in enumerate(prompts):
        if not prompt.strip():
            continue
        yield client.models.predictions.create(
            model_owner="black-forest-labs", model_name="flux-schnell", input={"prompt": prompt, "seed": i}
        )


class Pipeline:
    def __init__(self):
        self.stages = []
        self.done = False

    def wait(self):
        self.done = True
        return len(self.stages)

    def cancel(self):
        self.stages.clear()


if __name__ == "__main__":
    client = ClientFactory.default()
    submit = lambda prompt: client.models.predictions.create(model_owner="acme", model_name="captioner", input={"prompt": prompt})  # noqa: E731
    first = submit("a quiet harbor")
    first = client.predictions.wait(first.id)
    print("@@ lambda", first.id, first.status, first.output)

    design = ClientFactory.for_team("design")
    pipeline = Pipeline()
    for p in submissions(design, ["a fox", "  ", "an owl"]):
        pipeline.stages.append(p.id)
        p = design.predictions.wait(p.id)
        print("@@ yielded", p.id, p.status, len(p.output))
    print("@@ pipeline", pipeline.wait(), pipeline.done, pipeline.stages)
    pipeline.cancel()

    ops = ClientFactory.for_team("ops")
    stray = next(submissions(ops, ["a bat"]))
    stray = ops.predictions.cancel(prediction_id=stray.id)
    print("@@ stray", stray.id, stray.status)
    second = submit("a loud harbor")
    print("@@ fallback", ClientFactory.for_team("nobody").predictions.get(prediction_id=second.id).status, pipeline.stages)
