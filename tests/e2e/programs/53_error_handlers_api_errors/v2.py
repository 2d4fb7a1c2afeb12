# v2 rewrite. Rows: E02 (except ReplicateError, for the HTTP errors -> except replicate.APIStatusError; v2's ReplicateError is the root class and would also
# catch ModelError), E03 (e.status -> e.status_code), E04 (e.title / e.detail -> e.body.get("title") / e.body.get("detail"), also in describe(e), whose
# parameter only ever receives those exceptions), M01/C02 (Client(api_token=) inside the try -> Replicate(bearer_token=)), P03, E09/R15/E12 (ModelError and
# e.prediction unchanged; ModelError(prediction) still takes the prediction), PO01 (prediction.wait() on the helper's parameter -> prediction =
# replicate.predictions.wait(prediction.id); the helper reads it locally), P07 (create(model=<param>) -> split + models.predictions.create).
import replicate
from replicate.exceptions import ModelError, ReplicateError


def describe(e):
    return f"{e.status_code} {e.body.get('title')}: {e.body.get('detail')}"


def prediction_status(token, pid):
    try:
        client = replicate.Replicate(bearer_token=token)
        prediction = client.predictions.get(prediction_id=pid)
    except replicate.APIStatusError as e:
        return "error " + describe(e)
    else:
        return f"{prediction.id} {prediction.status}"


def run_or_report(ref, **inputs):
    try:
        output = replicate.run(ref, input=inputs)
    except ModelError as e:
        p = e.prediction
        return f"model failed: {p.id} {p.status} {p.error!r} logs={p.logs!r}"
    except replicate.APIStatusError as e:
        if e.status_code == 404:
            return f"no such model {ref}: {e.body.get('detail')}"
        return f"api error {e.status_code} ({e.body.get('title')})"
    return f"ok {output!r}"


def wait_or_raise(prediction):
    prediction = replicate.predictions.wait(prediction.id)
    if prediction.status == "failed":
        raise ModelError(prediction)
    return prediction.output


def start_and_collect(model):
    _owner, _name = model.split("/", 1)
    prediction = replicate.models.predictions.create(model_owner=_owner, model_name=_name, input={"prompt": "denoise"})
    try:
        return wait_or_raise(prediction)
    except ModelError as e:
        print("@@ collected failure", e.prediction.id, e.prediction.status, str(e))
        return None
    finally:
        print("@@ cleanup", prediction.id)


if __name__ == "__main__":
    print("@@ bad token", prediction_status("r8_bad_token_123", "gen_x"))
    print("@@ forbidden", prediction_status(None, "pred_forbidden_1"))
    print("@@ missing", prediction_status(None, "pred_missing_2"))
    print("@@ ok", prediction_status(None, "pred_ok_3"))
    for ref in ["acme/failing-denoiser", "acme/notfound-denoiser", "acme/forbidden-denoiser", "acme/denoiser"]:
        print("@@ run", ref, run_or_report(ref, prompt="x", strength=0.5))
    print("@@ collect failing", start_and_collect("acme/failing-denoiser"))
    print("@@ collect ok", start_and_collect("acme/denoiser"))
