# Exercises: `from replicate.client import Client` with extra httpx kwargs (follow_redirects, verify); client.run on a language model.
import os

from replicate.client import Client


def make_client():
    return Client(
        api_token=os.environ["REPLICATE_API_TOKEN"],
        follow_redirects=True,
        verify=True,
    )


if __name__ == "__main__":
    client = make_client()
    output = client.run("anthropic/claude-3.5-haiku", input={"prompt": "Write a haiku about tests"})
    print("@@ text", "".join(output))
    output = client.run("acme/classifier", input={"text": "great product!"})
    print("@@ label", output)
