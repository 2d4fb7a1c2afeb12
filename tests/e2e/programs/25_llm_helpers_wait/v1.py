# Exercises: helper functions that return predictions (create with model= on a language model) and wait on them elsewhere; token output joined.
import replicate


def start_chat(prompt, system_prompt="You are terse."):
    return replicate.predictions.create(
        model="meta/meta-llama-3-70b-instruct",
        input={"prompt": prompt, "system_prompt": system_prompt},
    )


def finish(prediction):
    prediction.wait()
    return prediction.status, "".join(prediction.output)


if __name__ == "__main__":
    pending = [start_chat(q) for q in ["Hi?", "Why is the sky blue?"]]
    print("@@ pending", [(p.id, p.status) for p in pending])
    for p in pending:
        status, text = finish(p)
        print("@@ answer", p.id, status, repr(text))
