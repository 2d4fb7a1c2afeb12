# Exercises: ModelError imported from replicate.exceptions, caught around replicate.run; e.prediction fields; fallback model.
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
