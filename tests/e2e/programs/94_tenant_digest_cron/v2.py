# Exercises: a nightly cron that writes one digest per tenant. Each tenant may carry its own token, so the job builds a
# `replicate.Client(api_token=...)` inside the `try` and skips the tenant on `except ReplicateError` (one tenant's token is
# revoked: a 401). v2 raises its root `replicate.ReplicateError` at construction when no token is set, so the migrated
# handler must catch `(APIStatusError, replicate.ReplicateError)` (C03, RM116). A second handler reads `err.status` to tell
# a revoked token from an outage (E03; the missing-token fix is declined there: the field would not exist). Decoys: a
# local `Ledger.run()`, and a `try` around `replicate.run` that builds no client.
import os
from dataclasses import dataclass, field

import replicate
from replicate.exceptions import APIStatusError as ReplicateError

DIGEST_MODEL = "meta/meta-llama-3-8b-instruct"


@dataclass
class Tenant:
    slug: str
    token: str | None = None
    topics: list = field(default_factory=list)


class Ledger:
    def __init__(self):
        self.entries = []

    def run(self, slug, outcome):
        self.entries.append((slug, outcome))
        return len(self.entries)


def digest_for(tenant, ledger):
    try:
        client = replicate.Replicate(bearer_token=tenant.token or os.environ.get("REPLICATE_API_TOKEN"))
        words = client.run(DIGEST_MODEL, input={"prompt": "digest: " + ", ".join(tenant.topics)})
    except (ReplicateError, replicate.ReplicateError):
        ledger.run(tenant.slug, "skipped")
        return None
    text = "".join(words)
    ledger.run(tenant.slug, "ok")
    return text


def probe(tenant):
    try:
        client = replicate.Replicate(bearer_token=tenant.token or os.environ.get("REPLICATE_API_TOKEN"))
        client.models.get(model_owner="meta", model_name="meta-llama-3-8b-instruct")
    except ReplicateError as err:
        return "revoked" if err.status_code == 401 else "outage"
    return "healthy"


def shared_summary(topics):
    try:
        return "".join(replicate.run(DIGEST_MODEL, input={"prompt": "summary: " + ", ".join(topics)}))
    except ReplicateError:
        return ""


if __name__ == "__main__":
    tenants = [
        Tenant("acme", topics=["rockets", "anvils"]),
        Tenant("globex", token="r8_bad_revoked_token", topics=["hammocks"]),
        Tenant("initech", topics=["staplers"]),
    ]
    ledger = Ledger()
    for t in tenants:
        print("@@ digest", t.slug, digest_for(t, ledger))
    print("@@ ledger", ledger.entries)
    print("@@ probe", [probe(t) for t in tenants])
    print("@@ summary", shared_summary(["all"]))
