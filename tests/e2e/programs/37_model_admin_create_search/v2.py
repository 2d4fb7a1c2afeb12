# v2 rewrite. Rows: MD12 (models.create(owner, name, ...) -> create(owner=, name=, ...)), MD01 (models.get(f"{owner}/{name}") non-literal -> split + keywords),
# MO04 (model.id -> f"{model.owner}/{model.name}"), MO03/V08, MO07/V03 (model.versions.list() -> models.versions.list(model_owner=, model_name=)), PG06/PG04,
# MD08 + 0b.2 (models.search(q) -> search(body=q.encode(), extra_headers={"Content-Type": "text/plain"})), PG06/PG04, MD10 (delete(owner, name) -> keywords).
import argparse

import replicate


def create(owner, name):
    model = replicate.models.create(
        owner=owner,
        name=name,
        hardware="cpu",
        visibility="private",
        description="Internal upscaler fork",
    )
    print("@@ created", model.owner, model.name, model.visibility, model.url)
    return model


def inspect(owner, name):
    _owner, _name = f"{owner}/{name}".split("/", 1)
    model = replicate.models.get(model_owner=_owner, model_name=_name)
    print("@@ model", f"{model.owner}/{model.name}", model.description, model.run_count)
    print("@@ latest", model.latest_version.id, model.latest_version.cog_version)
    versions = replicate.models.versions.list(model_owner=model.owner, model_name=model.name)
    print("@@ versions", len(versions.results))
    for v in versions.results:
        print("@@ version", v.id[:12], v.created_at)
    return model.latest_version.id


def search(query):
    results = replicate.models.search(body=query.encode(), extra_headers={"Content-Type": "text/plain"})
    print("@@ search hits", len(results.results))
    return [f"{m.owner}/{m.name}" for m in results.results]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--owner", default="acme")
    parser.add_argument("--name", default="upscaler-fork")
    parser.add_argument("--query", default="upscaler")
    args = parser.parse_args(argv)

    create(args.owner, args.name)
    print("@@ latest id", inspect(args.owner, args.name))
    print("@@ found", search(args.query))
    inspect("stability-ai", "sdxl")
    replicate.models.delete(model_owner=args.owner, model_name=args.name)
    print("@@ deleted", args.owner, args.name)


if __name__ == "__main__":
    main([])
