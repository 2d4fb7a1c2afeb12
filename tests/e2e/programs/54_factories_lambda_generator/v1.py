# Exercises: client factories on a class, `@staticmethod ClientFactory.default()` and `@classmethod ClientFactory.for_team(team)` (which falls back to
# cls.default()), both returning replicate.Client; a lambda returning a prediction (`submit = lambda prompt: client.predictions.create(...)`); a generator
# `submissions(client, prompts)` yielding predictions (with `continue` on blank prompts) consumed by `for p in ...: p.wait()` and by next(...).cancel();
# ClientFactory.for_team("nobody").predictions.get(id) chained; decoy: a local Pipeline class with wait() and cancel().
import os

import replicate

TEAM_TOKENS = {"design": "r8_design_token", "ops": "r8_ops_token"}


class ClientFactory:
    @staticmethod
    def default():
        return replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])

    @classmethod
    def for_team(cls, team):
        token = TEAM_TOKENS.get(team)
        if token is None:
            return cls.default()
        return replicate.Client(api_token=token)


def submissions(client, prompts):
    for i, prompt in enumerate(prompts):
        if not prompt.strip():
            continue
        yield client.predictions.create(
            model="black-forest-labs/flux-schnell", input={"prompt": prompt, "seed": i}
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
    submit = lambda prompt: client.predictions.create(model="acme/captioner", input={"prompt": prompt})  # noqa: E731
    first = submit("a quiet harbor")
    first.wait()
    print("@@ lambda", first.id, first.status, first.output)

    design = ClientFactory.for_team("design")
    pipeline = Pipeline()
    for p in submissions(design, ["a fox", "  ", "an owl"]):
        pipeline.stages.append(p.id)
        p.wait()
        print("@@ yielded", p.id, p.status, len(p.output))
    print("@@ pipeline", pipeline.wait(), pipeline.done, pipeline.stages)
    pipeline.cancel()

    ops = ClientFactory.for_team("ops")
    stray = next(submissions(ops, ["a bat"]))
    stray.cancel()
    print("@@ stray", stray.id, stray.status)
    second = submit("a loud harbor")
    print("@@ fallback", ClientFactory.for_team("nobody").predictions.get(second.id).status, pipeline.stages)
