# v2 rewrite. Rows: P07 (predictions.create(model="o/n") -> models.predictions.create(model_owner=, model_name=)),
# PO01 (prediction.wait() inside a helper -> prediction = replicate.predictions.wait(prediction.id); the helper reads the result locally).
import replicate


def start_chat(prompt, system_prompt="You are terse."):
    return replicate.models.predictions.create(
        model_owner="meta",
        model_name="meta-llama-3-70b-instruct",
        input={"prompt": prompt, "system_prompt": system_prompt},
    )


def finish(prediction):
    prediction = replicate.predictions.wait(prediction.id)
    return prediction.status, "".join(prediction.output)


if __name__ == "__main__":
    pending = [start_chat(q) for q in ["Hi?", "Why is the sky blue?"]]
    print("@@ pending", [(p.id, p.status) for p in pending])
    for p in pending:
        status, text = finish(p)
        print("@@ answer", p.id, status, repr(text))
