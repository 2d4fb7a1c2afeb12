# v2 rewrite. Rows: MD01 (models.get with a non-literal "owner/name" -> split + keywords), MO03 (latest_version: unchanged),
# M03/R07/I02 (run with "owner/name:version" and wait=False: unchanged), R14 (v2 returns a list, not a generator; join unaffected).
import replicate


def pinned_ref(model_ref):
    _owner, _name = model_ref.split("/", 1)
    model = replicate.models.get(model_owner=_owner, model_name=_name)
    return f"{model.owner}/{model.name}:{model.latest_version.id}"


def summarize(text, ref):
    output = replicate.run(ref, input={"prompt": f"Summarize: {text}"}, wait=False)
    return "".join(output)


if __name__ == "__main__":
    ref = pinned_ref("mistralai/mistral-7b-instruct")
    print("@@ ref", ref)
    print("@@ summary", summarize("The quick brown fox jumps over the lazy dog.", ref))
    # a plain model also works with a pinned version and no wait
    print("@@ plain", replicate.run("acme/echo:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
                                    input={"text": "ping"}, wait=False))
