# v2 rewrite. Rows: IM02 (from replicate.client import Client -> from replicate import Replicate), C02 (api_token= -> bearer_token=),
# C08 (httpx kwargs follow_redirects=/verify= -> http_client=DefaultHttpxClient(...)), R01.
import os

from replicate import DefaultHttpxClient, Replicate


def make_client():
    return Replicate(
        bearer_token=os.environ["REPLICATE_API_TOKEN"],
        http_client=DefaultHttpxClient(
            follow_redirects=True,
            verify=True,
        ),
    )


if __name__ == "__main__":
    client = make_client()
    output = client.run("anthropic/claude-3.5-haiku", input={"prompt": "Write a haiku about tests"})
    print("@@ text", "".join(output))
    output = client.run("acme/classifier", input={"text": "great product!"})
    print("@@ label", output)
