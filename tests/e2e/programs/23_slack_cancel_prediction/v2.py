# v2 rewrite. Rows: P07 (predictions.create(model="o/n") -> models.predictions.create), PO03 (prediction.cancel() ->
# prediction = predictions.cancel(prediction_id=prediction.id)), P03 (predictions.get(id) -> get(prediction_id=id)).
import replicate

RUNNING = {}


def on_generate(user, prompt):
    prediction = replicate.models.predictions.create(model_owner="acme", model_name="video-gen", input={"prompt": prompt})
    RUNNING[user] = prediction
    return f"started {prediction.id} ({prediction.status})"


def on_stop(user):
    prediction = RUNNING.pop(user, None)
    if prediction is None:
        return "nothing to stop"
    prediction = replicate.predictions.cancel(prediction_id=prediction.id)
    return f"stopped {prediction.id}: {prediction.status}"


def on_stop_by_id(prediction_id):
    prediction = replicate.predictions.get(prediction_id=prediction_id)
    prediction = replicate.predictions.cancel(prediction_id=prediction.id)
    return f"stopped {prediction.id}: {prediction.status}"


if __name__ == "__main__":
    print("@@", on_generate("U1", "a cat surfing"))
    print("@@", on_generate("U2", "a dog skiing"))
    print("@@", on_stop("U1"))
    print("@@", on_stop("U1"))
    print("@@", on_stop_by_id("gen_002"))
