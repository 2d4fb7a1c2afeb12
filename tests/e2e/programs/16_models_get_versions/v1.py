# Exercises: models.get("o/n"), models.get("o", "n"), model.versions.list() (iterated as a page), model.versions.get(id), latest_version.
import replicate


def model_summary(model):
    return f"{model.owner}/{model.name}", model.visibility, model.run_count, model.latest_version.id[:12]


if __name__ == "__main__":
    sdxl = replicate.models.get("stability-ai/sdxl")
    print("@@ model", *model_summary(sdxl))

    llama = replicate.models.get("meta", "llama-2-7b-chat")
    print("@@ model", *model_summary(llama))

    versions = sdxl.versions.list()
    for v in versions:
        print("@@ version", v.id[:12], v.cog_version)

    latest = llama.versions.get(llama.latest_version.id)
    print("@@ latest", latest.id[:12], sorted(latest.openapi_schema["components"]["schemas"]))
