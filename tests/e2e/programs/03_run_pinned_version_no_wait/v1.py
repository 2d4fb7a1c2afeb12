# Exercises: run() on an "owner/name:version" ref built from models.get().latest_version, with wait=False; LLM output joined.
import replicate


def pinned_ref(model_ref):
    model = replicate.models.get(model_ref)
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
