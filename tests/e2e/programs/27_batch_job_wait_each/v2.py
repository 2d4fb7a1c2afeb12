# v2 rewrite. Rows: P06 (create(version=, input=): unchanged), P05 (create(version, input) positional -> keywords),
# PO01 (p.wait() in a loop -> p = replicate.predictions.wait(p.id)), PO14 (metrics["predict_time"] -> metrics.predict_time), P03.
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
            p = replicate.predictions.create(version=UPSCALER_VERSION, input=job)
        predictions.append(p)
    return predictions


def collect(predictions):
    report = []
    for p in predictions:
        p = replicate.predictions.wait(p.id)
        report.append((p.id, p.status, p.output, p.metrics.predict_time))
    return report


if __name__ == "__main__":
    preds = submit(JOBS)
    print("@@ submitted", [p.id for p in preds])
    for row in collect(preds):
        print("@@ result", *row)
    again = replicate.predictions.get(prediction_id=preds[0].id)
    print("@@ recheck", again.id, again.status)
