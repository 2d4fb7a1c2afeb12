# Exercises: `import replicate as r`, r.Client(api_token=...), client.run on an image model, FileOutput .read() and .url.
import hashlib
import os

import replicate as r

client = r.Client(api_token=os.environ["REPLICATE_API_TOKEN"])


def thumbnail(prompt):
    outputs = client.run("stability-ai/sdxl", input={"prompt": prompt, "num_outputs": 1})
    first = outputs[0]
    blob = first.read()
    return len(blob), hashlib.md5(blob).hexdigest(), first.url[:22]


if __name__ == "__main__":
    print("@@ thumb", *thumbnail("a red bicycle"))
