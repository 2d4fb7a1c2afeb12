# Exercises: a Slack-style render bot that keeps live predictions in a registry dict (`self.active[p.id] = p`); the /status and /stop handlers
# take `p = self.active.get(pid)` / `p = self.active[pid]` and call p.reload() / p.cancel(), and /jobs later reads the registry (v1 mutated the
# shared object, so the dict saw the new status); a `client=None` constructor parameter with `if client is None: client = replicate.Client(...)`;
# a second bot built with its own Client; decoy: a local SlashCommand class with run() and cancel().
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
            client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
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
        p = self.client.predictions.create(model="stability-ai/sdxl", input={"prompt": prompt})
        self.active[p.id] = p
        return f"queued {p.id} ({p.status})"

    def status(self, pid):
        p = self.active.get(pid)
        if p is None:
            return f"unknown job {pid}"
        p.reload()
        if p.status == "succeeded":
            return f"{p.id} done: {len(p.output)} image(s)"
        return f"{p.id} is {p.status}"

    def stop(self, pid):
        p = self.active[pid]
        p.cancel()
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

    team = RenderBot(client=replicate.Client(api_token="r8_team_token"))
    print("@@ team", team.dispatch("/render a green owl"), "|", team.dispatch("/status gen_003"), "|", team.dispatch("/jobs"))
