# Exercises: error handling in an ops script: `except ReplicateError as e` around a `try` that both builds the client (replicate.Client(api_token=token))
# and calls it, with try/except/else; e.status / e.title / e.detail read in the handler and in a describe(e) helper that receives the exception;
# `except ModelError as e` reading e.prediction.id/.status/.error/.logs after replicate.run on a failing model; a wait_or_raise(prediction) helper that
# calls prediction.wait() and raises ModelError(prediction) itself, caught by the caller with try/except/finally.
import replicate
from replicate.exceptions import ModelError, ReplicateError


def describe(e):
    return f"{e.status} {e.title}: {e.detail}"


def prediction_status(token, pid):
    try:
        client = replicate.Client(api_token=token)
        prediction = client.predictions.get(pid)
    except ReplicateError as e:
        return "error " + describe(e)
    else:
        return f"{prediction.id} {prediction.status}"


def run_or_report(ref, **inputs):
    try:
        output = replicate.run(ref, input=inputs)
    except ModelError as e:
        p = e.prediction
        return f"model failed: {p.id} {p.status} {p.error!r} logs={p.logs!r}"
    except ReplicateError as e:
        if e.status == 404:
            return f"no such model {ref}: {e.detail}"
        return f"api error {e.status} ({e.title})"
    return f"ok {output!r}"


def wait_or_raise(prediction):
    prediction.wait()
    if prediction.status == "failed":
        raise ModelError(prediction)
    return prediction.output


def start_and_collect(model):
    prediction = replicate.predictions.create(model=model, input={"prompt": "denoise"})
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
