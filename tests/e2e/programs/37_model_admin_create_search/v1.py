# Exercises: model admin CLI: models.create("owner", "name", hardware="cpu", visibility="private", description=...); models.get("o/n"); model.id;
# model.latest_version.id; model.versions.list() (len, iterate); models.search("upscaler") page (iterate, len); models.delete("owner", "name").
import argparse

import replicate


def create(owner, name):
    model = replicate.models.create(
        owner,
        name,
        hardware="cpu",
        visibility="private",
        description="Internal upscaler fork",
    )
    print("@@ created", model.owner, model.name, model.visibility, model.url)
    return model


def inspect(owner, name):
    model = replicate.models.get(f"{owner}/{name}")
    print("@@ model", model.id, model.description, model.run_count)
    print("@@ latest", model.latest_version.id, model.latest_version.cog_version)
    versions = model.versions.list()
    print("@@ versions", len(versions))
    for v in versions:
        print("@@ version", v.id[:12], v.created_at)
    return model.latest_version.id


def search(query):
    results = replicate.models.search(query)
    print("@@ search hits", len(results))
    return [f"{m.owner}/{m.name}" for m in results]


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
    replicate.models.delete(args.owner, args.name)
    print("@@ deleted", args.owner, args.name)


if __name__ == "__main__":
    main([])
