# v2 rewrite. Rows: P05 (create(version, input) positional -> create(version=, input=)), PO01 (prediction.wait() -> prediction = replicate.predictions.wait(prediction.id)).
import replicate

WHISPER = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"


def transcribe(audio_url, language="en"):
    prediction = replicate.predictions.create(version=WHISPER, input={"audio": audio_url, "language": language})
    print("@@ created", prediction.id, prediction.status)
    prediction = replicate.predictions.wait(prediction.id)
    return prediction


if __name__ == "__main__":
    for url in ["https://example.com/a.mp3", "https://example.com/b.mp3"]:
        p = transcribe(url)
        print("@@ done", p.id, p.status, p.output)
