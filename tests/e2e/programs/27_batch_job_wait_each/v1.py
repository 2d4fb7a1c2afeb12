# Exercises (mixed): batch job creating several predictions (version= and positional forms), waiting on each, collecting outputs and metrics; one predictions.get re-check.
import replicate

UPSCALER_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"

JOBS = [
    {"image": "https://example.com/1.png", "scale": 2},
    {"image": "https://example.com/2.png", "scale": 4},
    {"image": "https://example.com/3.png", "scale": 2},
]


def submit(jobs):
    predictions = []
    for n, job in enumerate(jobs):
        if n % 2 == 0:
            p = replicate.predictions.create(version=UPSCALER_VERSION, input=job)
        else:
            p = replicate.predictions.create(UPSCALER_VERSION, job)
        predictions.append(p)
    return predictions


def collect(predictions):
    report = []
    for p in predictions:
        p.wait()
        report.append((p.id, p.status, p.output, p.metrics["predict_time"]))
    return report


if __name__ == "__main__":
    preds = submit(JOBS)
    print("@@ submitted", [p.id for p in preds])
    for row in collect(preds):
        print("@@ result", *row)
    again = replicate.predictions.get(preds[0].id)
    print("@@ recheck", again.id, again.status)
