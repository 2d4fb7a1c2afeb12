# The v2 target of v1.py: the client's `models.versions`, with the model's owner and name on every call.
import replicate

MODEL = "acme/sdxl"
VERSION_ID = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


class Changelog:
    """The program's own changelog, not the SDK's."""

    def __init__(self):
        self.entries = {}

    def get(self, key):
        return self.entries.get(key, "none")

    def list(self):
        return sorted(self.entries)


def report(client):
    versions = client.models.versions
    version = versions.get(model_owner="acme", model_name="sdxl", version_id=VERSION_ID)
    print("@@ got", version.id, version.cog_version)
    page = versions.list(model_owner="acme", model_name="sdxl")
    print("@@ listed", [v.id for v in page.results])
    latest = client.models.versions.get(model_owner="acme", model_name="sdxl", version_id=VERSION_ID)
    print("@@ latest", latest.id)
    other = client.models.versions
    print("@@ other", len(other.list(model_owner="acme", model_name="other").results))
    old = client.models.versions
    old.delete(model_owner="acme", model_name="sdxl", version_id=VERSION_ID)
    print("@@ deleted")


def decoys():
    log = Changelog()
    log.entries["v1"] = "first"
    print("@@ decoy", log.get("v1"), log.list())
    versions = {"a": 1}
    print("@@ dict", versions.get("a"))


client = replicate.Replicate(bearer_token="r8_test")
report(client)
decoys()
