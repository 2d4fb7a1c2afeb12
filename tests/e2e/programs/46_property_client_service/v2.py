# v2 rewrite. Rows: M01/C02 (replicate.Client(api_token=) -> replicate.Replicate(bearer_token=): in client_for(), the `client` property and the
# `api` cached_property), R01/R05 (self.client.run(ref, {...}) -> input=), P07 (create(model="o/n") -> models.predictions.create), P03 (get(pid) ->
# get(prediction_id=pid), through the property and the cached_property), PO01 (prediction.wait() -> prediction = self.api.predictions.wait(prediction.id)),
# MD01 (models.get("o/n") -> model_owner=, model_name=), MO03, P14 (client_for("ops").predictions.cancel(pid) -> prediction_id=).
# The Settings property and its wait()/run are not the SDK's and stay.
import functools
import os
import time

import replicate

TEAM_TOKENS = {"ops": "r8_ops_token", "research": "r8_research_token"}


def client_for(team):
    return replicate.Replicate(bearer_token=TEAM_TOKENS[team])


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
        return replicate.Replicate(bearer_token=self.key)

    @functools.cached_property
    def api(self):
        return replicate.Replicate(bearer_token=self.key)

    @property
    def settings(self):
        return Settings()

    def caption(self, url):
        return self.client.run("salesforce/blip", input={"image": url, "task": "image_captioning"})

    def submit(self, url):
        prediction = self.client.models.predictions.create(model_owner="salesforce", model_name="blip", input={"image": url})
        return prediction.id

    def status(self, pid):
        return self.client.predictions.get(prediction_id=pid).status

    def finish(self, pid):
        prediction = self.api.predictions.get(prediction_id=pid)
        prediction = self.api.predictions.wait(prediction.id)
        return prediction.status, prediction.output

    def watch(self, pid, rounds=3):
        seen = []
        for _ in range(rounds):
            seen.append(self.status(pid))
            self.settings.wait()
        return seen

    def describe_model(self):
        model = self.api.models.get(model_owner="salesforce", model_name="blip")
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
    canceled = client_for("ops").predictions.cancel(prediction_id=other)
    print("@@ ops cancel", canceled.id, canceled.status)
    research = CaptionService(key=TEAM_TOKENS["research"])
    print("@@ research", research.caption("https://example.test/bee.jpg"), research.status(other))
