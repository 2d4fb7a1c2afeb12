# v2 rewrite. Rows: MD01 (models.get("o/n") -> model_owner=/model_name=), MD02 (models.get("o", "n") -> keywords), MO01/MO03 (fields: unchanged),
# MO07 + V03 (model.versions.list() -> models.versions.list(model_owner=model.owner, model_name=model.name)), PG04 (for v in page -> page.results),
# MO07 + V01 (model.versions.get(id) -> models.versions.get(..., version_id=id)), V08.
import replicate


def model_summary(model):
    return f"{model.owner}/{model.name}", model.visibility, model.run_count, model.latest_version.id[:12]


if __name__ == "__main__":
    sdxl = replicate.models.get(model_owner="stability-ai", model_name="sdxl")
    print("@@ model", *model_summary(sdxl))

    llama = replicate.models.get(model_owner="meta", model_name="llama-2-7b-chat")
    print("@@ model", *model_summary(llama))

    versions = replicate.models.versions.list(model_owner=sdxl.owner, model_name=sdxl.name)
    for v in versions.results:
        print("@@ version", v.id[:12], v.cog_version)

    latest = replicate.models.versions.get(model_owner=llama.owner, model_name=llama.name, version_id=llama.latest_version.id)
    print("@@ latest", latest.id[:12], sorted(latest.openapi_schema["components"]["schemas"]))
