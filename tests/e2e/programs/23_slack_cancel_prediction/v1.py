# Exercises: prediction.cancel() on a prediction object (created, and fetched with predictions.get), in a Slack-bot style handler.
import replicate

RUNNING = {}


def on_generate(user, prompt):
    prediction = replicate.predictions.create(model="acme/video-gen", input={"prompt": prompt})
    RUNNING[user] = prediction
    return f"started {prediction.id} ({prediction.status})"


def on_stop(user):
    prediction = RUNNING.pop(user, None)
    if prediction is None:
        return "nothing to stop"
    prediction.cancel()
    return f"stopped {prediction.id}: {prediction.status}"


def on_stop_by_id(prediction_id):
    prediction = replicate.predictions.get(prediction_id)
    prediction.cancel()
    return f"stopped {prediction.id}: {prediction.status}"


if __name__ == "__main__":
    print("@@", on_generate("U1", "a cat surfing"))
    print("@@", on_generate("U2", "a dog skiing"))
    print("@@", on_stop("U1"))
    print("@@", on_stop("U1"))
    print("@@", on_stop_by_id("gen_002"))
