# v2 rewrite. Rows: M03 (keyword input: unchanged), R13 (str(FileOutput) and use_file_output=False: unchanged). No change needed.
import json

import replicate


def handle_generate(query):
    prompt = query.get("prompt", "a tree")
    output = replicate.run("ideogram-ai/ideogram-v2", input={"prompt": prompt, "style": query.get("style", "auto")})
    urls = [str(item) for item in output]
    raw = replicate.run("ideogram-ai/ideogram-v2", input={"prompt": prompt}, use_file_output=False)
    return json.dumps({"prompt": prompt, "urls": [u[:30] for u in urls], "raw_is_str": isinstance(raw[0], str),
                       "same": raw[0] == urls[0]}, sort_keys=True)


if __name__ == "__main__":
    print("@@", handle_generate({"prompt": "a sunset"}))
    print("@@", handle_generate({}))
