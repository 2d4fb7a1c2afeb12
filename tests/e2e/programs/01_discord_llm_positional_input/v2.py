# v2 rewrite. Rows: M03/R05 (positional input -> input=).
import replicate

MODEL = "meta/meta-llama-3-8b-instruct"


def on_message(author, content):
    """Discord-style command handler: '!ask <question>' answers with the model's reply."""
    if not content.startswith("!ask "):
        return None
    question = content[len("!ask "):].strip()
    output = replicate.run(
        MODEL,
        input={"prompt": question, "max_new_tokens": 128, "temperature": 0.7},
    )
    reply = "".join(output)
    return f"{author}: {reply}"


if __name__ == "__main__":
    for author, content in [("alice", "!ask what is a llama?"), ("bob", "hello there"), ("carol", "!ask tell me a joke")]:
        answer = on_message(author, content)
        print("@@ reply", repr(answer))
