# Exercises: predictions.create(version=..., wait=True) (sync wait via Prefer header) and predictions.create(model=..., wait=True), which 1.0.7 ignores.
import replicate

VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


def quick(prompt):
    prediction = replicate.predictions.create(version=VERSION, input={"prompt": prompt}, wait=True)
    return prediction.id, prediction.status, prediction.output


def quick_by_model(prompt):
    prediction = replicate.predictions.create(model="acme/tagger", input={"prompt": prompt}, wait=True)
    return prediction.id, prediction.status


if __name__ == "__main__":
    print("@@ version", *quick("tag this"))
    print("@@ model", *quick_by_model("tag that"))
    print("@@ no wait", replicate.predictions.create(version=VERSION, input={"prompt": "x"}, wait=False).status)
