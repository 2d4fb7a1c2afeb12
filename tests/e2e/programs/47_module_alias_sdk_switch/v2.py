# v2 rewrite. Rows: M03/R05 (rep.run(ref, {...}) through the module alias -> input=), M01/C02 (replicate.Client(api_token=) -> replicate.Replicate(bearer_token=),
# for self.api, for `sdk` and for the api= argument), P06 (create(version=) unchanged on the alias and the client), P03 (self.api.predictions.get(pid) ->
# get(prediction_id=)), PO01 (prediction.wait() -> prediction = self.api.predictions.wait(prediction.id)), P14 (sdk.predictions.cancel(id) -> prediction_id=),
# R05 (api.run(ref, {...}) with api=replicate as default -> input=). rollout()'s parameter `replicate` is a ReplicaSet: unchanged.
import replicate

rep = replicate

LLM = "meta/meta-llama-3-8b-instruct"
WHISPER_VERSION = "8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e"


def ask(question):
    return "".join(rep.run(LLM, input={"prompt": question, "max_tokens": 32}))


class Transcriber:
    def __init__(self, token=None):
        self.api = replicate
        if token:
            self.api = replicate.Replicate(bearer_token=token)

    def start(self, audio_url):
        return self.api.predictions.create(version=WHISPER_VERSION, input={"audio": audio_url})

    def result(self, pid):
        prediction = self.api.predictions.get(prediction_id=pid)
        prediction = self.api.predictions.wait(prediction.id)
        return prediction.status, prediction.output


def run_with(prompt, token=None):
    sdk = replicate if token is None else replicate.Replicate(bearer_token=token)
    caption = sdk.run("acme/captioner", input={"prompt": prompt})
    job = sdk.predictions.create(version=WHISPER_VERSION, input={"audio": prompt})
    stopped = sdk.predictions.cancel(prediction_id=job.id)
    return caption, job.id, stopped.status


def summarize(text, api=replicate):
    return api.run("acme/summarizer", input={"text": text})


class ReplicaSet:
    """A deployment's replica set in our cluster tooling; nothing to do with the SDK."""

    def __init__(self, name, size):
        self.name = name
        self.size = size
        self.generation = 0

    def reload(self):
        self.generation += 1

    def run(self, command, timeout=30):
        return [f"{self.name}-{i}@g{self.generation}: {command} ({timeout}s)" for i in range(self.size)]


def rollout(replicate, command):
    replicate.reload()
    return replicate.run(command, timeout=5)


if __name__ == "__main__":
    print("@@ ask", ask("Name a prime number."))
    default = Transcriber()
    team = Transcriber(token="r8_team_token")
    a = default.start("https://example.test/a.wav")
    b = team.start("https://example.test/b.wav")
    print("@@ started", a.id, a.status, b.id, b.status)
    print("@@ result default", default.result(a.id))
    print("@@ result team", team.result(b.id))
    print("@@ run_with default", run_with("a harbor"))
    print("@@ run_with token", run_with("a market", token="r8_other_token"))
    print("@@ summarize", summarize("long text"), summarize("more text", api=replicate.Replicate(bearer_token="r8_other_token")))
    print("@@ rollout", rollout(ReplicaSet("web", 2), "migrate"))
