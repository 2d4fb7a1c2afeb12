# v2 rewrite. Rows: E09 (from replicate.exceptions import ModelError: unchanged), R15, E12 (e.prediction fields: unchanged), M03. No change needed.
import replicate
from replicate.exceptions import ModelError

PRIMARY = "acme/failing-captioner"
FALLBACK = "acme/captioner"


def caption(image_url):
    for ref in (PRIMARY, FALLBACK):
        try:
            return ref, replicate.run(ref, input={"image": image_url})
        except ModelError as e:
            print("@@ model failed", ref, e.prediction.id, e.prediction.status, e.prediction.error, str(e))
    return None, None


if __name__ == "__main__":
    used, text = caption("https://example.com/cat.png")
    print("@@ caption", used, text)
