# Exercises: a release report built on v1's versions namespace bound to one model,
# `Versions(client, "owner/name")` (mapping V07): `get(id)`, `list()` and `delete(id)` on a
# name holding it, one chained `Versions(client, MODEL).get(id)` through a module constant, and
# `replicate.version.Versions(...)` spelled through the module. Decoys: a local `Versions` class
# of the program's own with the same methods, and a dict named `versions`.
import replicate
from replicate.version import Versions

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
    versions = Versions(client, "acme/sdxl")
    version = versions.get(VERSION_ID)
    print("@@ got", version.id, version.cog_version)
    page = versions.list()
    print("@@ listed", [v.id for v in page.results])
    latest = Versions(client, MODEL).get(VERSION_ID)
    print("@@ latest", latest.id)
    other = replicate.version.Versions(client, ("acme", "other"))
    print("@@ other", len(other.list().results))
    old = Versions(client, "acme/sdxl")
    old.delete(VERSION_ID)
    print("@@ deleted")


def decoys():
    log = Changelog()
    log.entries["v1"] = "first"
    print("@@ decoy", log.get("v1"), log.list())
    versions = {"a": 1}
    print("@@ dict", versions.get("a"))


client = replicate.Client(api_token="r8_test")
report(client)
decoys()
