# v2 rewrite. Rows: M01, C02 (rep.Client(api_token=) -> rep.Replicate(bearer_token=)), M03/R05 (positional input -> input=), P06 + P09 (wait=True -> prefer="wait"),
# P14 (cancel(id) -> cancel(prediction_id=)), MD02 (models.get(owner, name) -> keywords), E10 (rep.exceptions needs `import replicate.exceptions` in v2).
import os

import replicate as rep
import replicate.exceptions

LLM = "meta/meta-llama-3-8b-instruct"
WHISPER_VERSION = "8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e"

_client = None


def client():
    global _client
    if _client is None:
        _client = rep.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])
    return _client


def ask(question):
    tokens = rep.run(LLM, input={"prompt": question, "max_tokens": 64})
    return "".join(tokens)


def transcribe(audio_url):
    prediction = client().predictions.create(version=WHISPER_VERSION, input={"audio": audio_url}, prefer="wait")
    return prediction.id, prediction.status, prediction.output


def abort(prediction_id):
    return client().predictions.cancel(prediction_id=prediction_id).status


def model_card(owner, name):
    model = rep.models.get(model_owner=owner, model_name=name)
    return f"{model.owner}/{model.name}: {model.description} ({model.run_count} runs)"


def try_failing():
    try:
        rep.run("acme/failing-transcriber", input={"audio": "https://example.test/a.wav"})
    except rep.exceptions.ModelError as e:
        return f"failed {e.prediction.id} {e.prediction.error}"
    return "no error"


if __name__ == "__main__":
    print("@@ ask", ask("What is the capital of France?"))
    print("@@ transcribe", transcribe("https://example.test/meeting.wav"))
    print("@@ abort", abort("pred_stale_42"))
    print("@@ card", model_card("openai", "whisper"))
    print("@@ failing", try_failing())
