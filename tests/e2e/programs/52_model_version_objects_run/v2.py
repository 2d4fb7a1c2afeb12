# v2 rewrite. Rows: MD02 (models.get(owner, name) -> keywords), I04 (replicate.run(<Model>) -> replicate.run(f"{model.owner}/{model.name}")),
# MO07/V03 + PG04 (model.versions.list() -> models.versions.list(model_owner=, model_name=), iterated over .results), I05 (replicate.run(<Version>) ->
# replicate.run(f"{model.owner}/{model.name}:{version.id}"), with the model from the same helper's parameters), P06/I05 (create(version=<Version>) ->
# version=version.id), P07 (create(model=<Model>) -> models.predictions.create(model_owner=model.owner, model_name=model.name)), MO03, V01
# (model.versions.get(id) -> models.versions.get(model_owner=, model_name=, version_id=)), V08.
import replicate


def load(ref):
    owner, name = ref.split("/")
    return replicate.models.get(model_owner=owner, model_name=name)


def run_latest(model, prompt):
    return replicate.run(f"{model.owner}/{model.name}", input={"prompt": prompt})


def benchmark(model, prompt):
    rows = []
    for version in replicate.models.versions.list(model_owner=model.owner, model_name=model.name).results:
        output = replicate.run(f"{model.owner}/{model.name}:{version.id}", input={"prompt": prompt, "seed": 7})
        rows.append((version.id[:8], [o.url[:22] for o in output]))
    return rows


def start(version, prompt):
    return replicate.predictions.create(version=version.id, input={"prompt": prompt})


def start_on(model, prompt):
    return replicate.models.predictions.create(model_owner=model.owner, model_name=model.name, input={"prompt": prompt})


def pinned(model, version_id):
    return replicate.models.versions.get(model_owner=model.owner, model_name=model.name, version_id=version_id)


def run_pinned(model, version, prompt):
    print("@@ running", model.owner, model.name, version.id[:8])
    return "".join(replicate.run(f"{model.owner}/{model.name}:{version.id}", input={"prompt": prompt}))


if __name__ == "__main__":
    sdxl = load("stability-ai/sdxl")
    print("@@ model", sdxl.owner, sdxl.name, sdxl.latest_version.id[:8])
    print("@@ latest", [o.url[:22] for o in run_latest(sdxl, "a red barn")])
    for vid, urls in benchmark(sdxl, "a blue barn"):
        print("@@ bench", vid, urls)
    p = start(sdxl.latest_version, "a green barn")
    q = start_on(sdxl, "a grey barn")
    print("@@ started", p.id, p.version[:8], p.status, q.id, q.model, q.status)

    llama = load("meta/meta-llama-3-8b-instruct")
    version = pinned(llama, llama.latest_version.id)
    print("@@ pinned", version.id[:8], version.cog_version)
    print("@@ answer", run_pinned(llama, version, "Say hi"))
