import os

import replicate

client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])


def caption(url):
    return replicate.run("owner/captioner", {"image": url})


def warm_up():
    return client.run("owner/captioner")
