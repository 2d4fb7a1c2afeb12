# v2 rewrite. Rows: M01 (r.Client -> r.Replicate under the alias), C02 (api_token= -> bearer_token=), R01, R13/IM17 (FileOutput .read()/.url: unchanged).
import hashlib
import os

import replicate as r

client = r.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])


def thumbnail(prompt):
    outputs = client.run("stability-ai/sdxl", input={"prompt": prompt, "num_outputs": 1})
    first = outputs[0]
    blob = first.read()
    return len(blob), hashlib.md5(blob).hexdigest(), first.url[:22]


if __name__ == "__main__":
    print("@@ thumb", *thumbnail("a red bicycle"))
