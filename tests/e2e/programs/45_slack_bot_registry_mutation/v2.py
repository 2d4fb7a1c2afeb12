# v2 rewrite. Rows: M01/C02 (replicate.Client(api_token=) -> replicate.Replicate(bearer_token=), in the `client is None` fallback and for the team bot),
# P07 (create(model="o/n") -> models.predictions.create(model_owner=, model_name=)), PO05 (p.reload() -> p = self.client.predictions.get(prediction_id=)),
# PO03 (p.cancel() -> p = self.client.predictions.cancel(prediction_id=)); v1 mutated the object the registry holds, so both handlers write the new
# prediction back with `self.active[pid] = p` (otherwise /jobs would report stale statuses).
import os

import replicate


class SlashCommand:
    def __init__(self, name, handler):
        self.name = name
        self.handler = handler
        self.calls = 0

    def run(self, text):
        self.calls += 1
        return self.handler(text)

    def cancel(self):
        self.calls = 0


class RenderBot:
    def __init__(self, client=None):
        if client is None:
            client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])
        self.client = client
        self.active = {}
        self.commands = {
            c.name: c
            for c in (
                SlashCommand("/render", self.render),
                SlashCommand("/status", self.status),
                SlashCommand("/stop", self.stop),
                SlashCommand("/jobs", self.jobs),
            )
        }

    def dispatch(self, line):
        name, _, text = line.partition(" ")
        command = self.commands.get(name)
        if command is None:
            return f"unknown command {name}"
        return command.run(text)

    def render(self, prompt):
        p = self.client.models.predictions.create(model_owner="stability-ai", model_name="sdxl", input={"prompt": prompt})
        self.active[p.id] = p
        return f"queued {p.id} ({p.status})"

    def status(self, pid):
        p = self.active.get(pid)
        if p is None:
            return f"unknown job {pid}"
        p = self.client.predictions.get(prediction_id=p.id)
        self.active[pid] = p
        if p.status == "succeeded":
            return f"{p.id} done: {len(p.output)} image(s)"
        return f"{p.id} is {p.status}"

    def stop(self, pid):
        p = self.active[pid]
        p = self.client.predictions.cancel(prediction_id=p.id)
        self.active[pid] = p
        return f"{p.id} {p.status}"

    def jobs(self, _text=""):
        return ", ".join(f"{pid}={p.status}" for pid, p in sorted(self.active.items()))


if __name__ == "__main__":
    bot = RenderBot()
    for line in ["/render a red fox", "/render a blue whale", "/status gen_001", "/jobs", "/status gen_001",
                 "/stop gen_002", "/status nope", "/help", "/jobs"]:
        print("@@", line, "->", bot.dispatch(line))
    print("@@ calls", sorted((name, c.calls) for name, c in bot.commands.items()))
    bot.commands["/render"].cancel()
    print("@@ reset", bot.commands["/render"].calls)

    team = RenderBot(client=replicate.Replicate(bearer_token="r8_team_token"))
    print("@@ team", team.dispatch("/render a green owl"), "|", team.dispatch("/status gen_003"), "|", team.dispatch("/jobs"))
