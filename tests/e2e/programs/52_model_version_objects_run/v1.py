# Exercises: Model and Version objects handed to helpers that run them: load() returns replicate.models.get(owner, name) (a v1 Model);
# run_latest(model, ...) calls replicate.run(model, input=...); benchmark(model, ...) runs replicate.run(version, ...) for each v1 Version of
# model.versions.list(); start(version, ...) calls predictions.create(version=<Version>) with model.latest_version; start_on(model, ...) calls
# predictions.create(model=<Model>); pinned(model, vid) returns model.versions.get(vid), then run_pinned(model, version, ...) runs that Version.
import replicate


def load(ref):
    owner, name = ref.split("/")
    return replicate.models.get(owner, name)


def run_latest(model, prompt):
    return replicate.run(model, input={"prompt": prompt})


def benchmark(model, prompt):
    rows = []
    for version in model.versions.list():
        output = replicate.run(version, input={"prompt": prompt, "seed": 7})
        rows.append((version.id[:8], [o.url[:22] for o in output]))
    return rows


def start(version, prompt):
    return replicate.predictions.create(version=version, input={"prompt": prompt})


def start_on(model, prompt):
    return replicate.predictions.create(model=model, input={"prompt": prompt})


def pinned(model, version_id):
    return model.versions.get(version_id)


def run_pinned(model, version, prompt):
    print("@@ running", model.owner, model.name, version.id[:8])
    return "".join(replicate.run(version, input={"prompt": prompt}))


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
