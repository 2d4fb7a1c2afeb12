# v2 rewrite. Rows: M01, C02, C11/A01 (accounts.current() -> account.get()), MD01 (models.get(ref) non-literal -> split + keywords),
# MO07/V03 (model.versions.list() -> client.models.versions.list(model_owner=, model_name=)), PG01, D01 (deployments.get(ref) non-literal -> split),
# D15/D17, CO01 (collections.get(slug) -> collection_slug=), CO05, H01/H03 (hardware.list(): unchanged).
import os

import replicate


class OpsReport:
    def __init__(self):
        self.client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])
        self.lines = []

    def add(self, *parts):
        self.lines.append(" ".join(str(p) for p in parts))

    def build(self, model_ref, deployment_ref, collection_slug):
        account = self.client.account.get()
        self.add("account", account.username, account.type)
        _owner, _name = model_ref.split("/", 1)
        model = self.client.models.get(model_owner=_owner, model_name=_name)
        self.add("model", model.owner, model.name, model.run_count)
        versions = self.client.models.versions.list(model_owner=model.owner, model_name=model.name)
        self.add("versions", len(versions.results), versions.results[0].id[:8])
        _owner, _name = deployment_ref.split("/", 1)
        deployment = self.client.deployments.get(deployment_owner=_owner, deployment_name=_name)
        self.add("deployment", deployment.owner, deployment.name, deployment.current_release.configuration.max_instances)
        collection = self.client.collections.get(collection_slug=collection_slug)
        self.add("collection", collection.name, [m.name for m in collection.models])
        hardware = self.client.hardware.list()
        self.add("hardware", [h.sku for h in hardware])
        return self.lines


if __name__ == "__main__":
    for line in OpsReport().build("acme/ranker", "acme/ranker-prod", "text-to-image"):
        print("@@", line)
