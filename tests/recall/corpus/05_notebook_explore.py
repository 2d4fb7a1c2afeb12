# %% [markdown]
# # Exploring the Replicate catalogue
# Exported from a Jupyter notebook (jupytext percent format).

# %%
import json
import os
from pathlib import Path

import replicate as rep
import requests

OUT = Path("outputs")
OUT.mkdir(exist_ok=True)
print(rep.__about__.__version__)  # v1: M19

# %% Collections
coll = rep.collections.get("text-to-image")  # v1: CO01
print(coll.name, "-", coll.description)
print("models in collection:", len(coll))  # v1: CO08
for m in coll:  # v1: CO06
    print(" ", m.owner, m.name, m.run_count)
first = coll[0]  # v1: CO07
print("first:", first.url)
print("slug via alias:", coll.id)  # v1: CO09
print("names:", [m.name for m in coll.models])

# %% Walk every page of public models
seen = 0
for page in rep.paginate(rep.models.list):  # v1: M07
    for model in page.results:
        seen += 1
print("models seen:", seen)

# %% Search
hits = rep.models.search("upscaler")  # v1: MD08
for model in hits.results[:5]:
    print(model.owner, model.name, model.username)  # v1: MO05

# %% A model and its versions
sdxl = rep.models.get("stability-ai/sdxl")  # v1: MD01
version = sdxl.versions.get("39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b")  # v1: V01
print(version.cog_version, sorted(version.openapi_schema["components"]["schemas"]))
example = sdxl.default_example  # v1: MO02
if example is not None:
    print("example output:", example.output)

# %% Run it and save the files
images = rep.run(
    f"stability-ai/sdxl:{version.id}",
    input={"prompt": "a lighthouse at dusk, oil painting", "num_outputs": 2},
)
for i, img in enumerate(images):
    (OUT / f"sdxl_{i}.png").write_bytes(img.read())
    print("saved", img.url)

# %% Run a model by passing the Version object
images = rep.run(version, input={"prompt": "same lighthouse, watercolour"})  # v1: I05
print(images)

# %% Something that is not replicate at all
resp = requests.get("https://api.github.com/repos/replicate/replicate-python", timeout=10)
resp.raise_for_status()
print(json.dumps({k: resp.json()[k] for k in ("stargazers_count", "open_issues")}))

# %% Hardware
for hw in rep.hardware.list():
    print(f"{hw.sku:30} {hw.name}")
print("token set:", bool(os.environ.get("REPLICATE_API_TOKEN")))
