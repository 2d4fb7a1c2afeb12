# Exercises (mixed): client.accounts.current(), models.get, model.versions.list().results, deployments.get, collections.get, hardware.list on one client.
import os

import replicate


class OpsReport:
    def __init__(self):
        self.client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
        self.lines = []

    def add(self, *parts):
        self.lines.append(" ".join(str(p) for p in parts))

    def build(self, model_ref, deployment_ref, collection_slug):
        account = self.client.accounts.current()
        self.add("account", account.username, account.type)
        model = self.client.models.get(model_ref)
        self.add("model", model.owner, model.name, model.run_count)
        versions = model.versions.list()
        self.add("versions", len(versions.results), versions.results[0].id[:8])
        deployment = self.client.deployments.get(deployment_ref)
        self.add("deployment", deployment.owner, deployment.name, deployment.current_release.configuration.max_instances)
        collection = self.client.collections.get(collection_slug)
        self.add("collection", collection.name, [m.name for m in collection.models])
        hardware = self.client.hardware.list()
        self.add("hardware", [h.sku for h in hardware])
        return self.lines


if __name__ == "__main__":
    for line in OpsReport().build("acme/ranker", "acme/ranker-prod", "text-to-image"):
        print("@@", line)
