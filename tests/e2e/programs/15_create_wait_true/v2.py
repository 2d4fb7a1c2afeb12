# v2 rewrite. Rows: P06 + P09 (version form: wait=True -> prefer="wait"; wait=False -> dropped),
# P07 + 0b.1 (model= form -> models.predictions.create; 1.0.7 ignored wait= there, so it is dropped, not turned into prefer=).
import replicate

VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


def quick(prompt):
    prediction = replicate.predictions.create(version=VERSION, input={"prompt": prompt}, prefer="wait")
    return prediction.id, prediction.status, prediction.output


def quick_by_model(prompt):
    prediction = replicate.models.predictions.create(model_owner="acme", model_name="tagger", input={"prompt": prompt})
    return prediction.id, prediction.status


if __name__ == "__main__":
    print("@@ version", *quick("tag this"))
    print("@@ model", *quick_by_model("tag that"))
    print("@@ no wait", replicate.predictions.create(version=VERSION, input={"prompt": "x"}).status)
