# Exercises: `import replicate as rep` everywhere: rep.Client(api_token=) kept in a module global; rep.run(ref, {...}) with positional input on an LLM;
# rep.predictions.create(version=, input=, wait=True); rep.predictions.cancel(id); rep.models.get("o", "n"); `except rep.exceptions.ModelError`.
import os

import replicate as rep

LLM = "meta/meta-llama-3-8b-instruct"
WHISPER_VERSION = "8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e"

_client = None


def client():
    global _client
    if _client is None:
        _client = rep.Client(api_token=os.environ["REPLICATE_API_TOKEN"])
    return _client


def ask(question):
    tokens = rep.run(LLM, {"prompt": question, "max_tokens": 64})
    return "".join(tokens)


def transcribe(audio_url):
    prediction = client().predictions.create(version=WHISPER_VERSION, input={"audio": audio_url}, wait=True)
    return prediction.id, prediction.status, prediction.output


def abort(prediction_id):
    return client().predictions.cancel(prediction_id).status


def model_card(owner, name):
    model = rep.models.get(owner, name)
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
