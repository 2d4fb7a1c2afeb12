# v2 rewrite. Rows: M03 (keyword input: unchanged), R13 (FileOutput .read()/str(): unchanged). No change needed.
import hashlib
import replicate

PROMPTS = [
    "a watercolor fox in the snow",
    "an isometric city at night",
    "a bowl of ramen, studio lighting",
]


def generate_all(prompts, aspect_ratio="1:1"):
    results = []
    for i, prompt in enumerate(prompts):
        output = replicate.run(
            "black-forest-labs/flux-schnell",
            input={"prompt": prompt, "aspect_ratio": aspect_ratio, "num_outputs": 1, "seed": 1000 + i},
        )
        for j, item in enumerate(output):
            data = item.read()
            results.append((i, j, len(data), hashlib.sha256(data).hexdigest()[:12], str(item)[:30]))
    return results


if __name__ == "__main__":
    for row in generate_all(PROMPTS):
        print("@@ image", *row)
