# Decoys: nothing here uses the Replicate SDK, so nothing is reported.
import subprocess


class Client:
    def __init__(self, api_token):
        self.api_token = api_token

    def run(self, ref, payload):
        return subprocess.run(["echo", ref, str(payload)], capture_output=True)


def main(replicate):
    # a parameter that happens to be called `replicate`
    return replicate.run("x", {"y": 1})
