# Exercises: a caption service whose client comes from `@property def client(self): return replicate.Client(api_token=self.key)` (a new client per
# access) used as self.client.run(ref, {...}), self.client.predictions.create/get(pid); a `functools.cached_property` `api` returning a Client, used for
# models.get and predictions.get + wait(); a module helper `client_for(team)` returning a Client, used as client_for("ops").predictions.cancel(pid);
# decoy: a `settings` property returning a local Settings object whose wait() and run attribute are not the SDK's.
import functools
import os
import time

import replicate

TEAM_TOKENS = {"ops": "r8_ops_token", "research": "r8_research_token"}


def client_for(team):
    return replicate.Client(api_token=TEAM_TOKENS[team])


class Settings:
    def __init__(self, poll=0.01, run="nightly"):
        self.poll = poll
        self.run = run

    def wait(self):
        time.sleep(self.poll)


class CaptionService:
    def __init__(self, key=None):
        self.key = key or os.environ["REPLICATE_API_TOKEN"]

    @property
    def client(self):
        return replicate.Client(api_token=self.key)

    @functools.cached_property
    def api(self):
        return replicate.Client(api_token=self.key)

    @property
    def settings(self):
        return Settings()

    def caption(self, url):
        return self.client.run("salesforce/blip", {"image": url, "task": "image_captioning"})

    def submit(self, url):
        prediction = self.client.predictions.create(model="salesforce/blip", input={"image": url})
        return prediction.id

    def status(self, pid):
        return self.client.predictions.get(pid).status

    def finish(self, pid):
        prediction = self.api.predictions.get(pid)
        prediction.wait()
        return prediction.status, prediction.output

    def watch(self, pid, rounds=3):
        seen = []
        for _ in range(rounds):
            seen.append(self.status(pid))
            self.settings.wait()
        return seen

    def describe_model(self):
        model = self.api.models.get("salesforce/blip")
        return f"{model.owner}/{model.name}@{model.latest_version.id[:8]} ({self.settings.run})"


if __name__ == "__main__":
    svc = CaptionService()
    print("@@ caption", svc.caption("https://example.test/dog.jpg"))
    pid = svc.submit("https://example.test/cat.jpg")
    print("@@ submitted", pid)
    print("@@ watch", svc.watch(pid, rounds=2))
    print("@@ finish", svc.finish(pid))
    print("@@ model", svc.describe_model())
    other = svc.submit("https://example.test/owl.jpg")
    canceled = client_for("ops").predictions.cancel(other)
    print("@@ ops cancel", canceled.id, canceled.status)
    research = CaptionService(key=TEAM_TOKENS["research"])
    print("@@ research", research.caption("https://example.test/bee.jpg"), research.status(other))
