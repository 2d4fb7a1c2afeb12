# v2 rewrite. Rows: IM04 (from replicate.prediction import Prediction -> from replicate.types import Prediction), P06 (create(version=) unchanged),
# PO01 (wait() on the SDK side of each narrowing only: `if p is not None: p = replicate.predictions.wait(p.id)`; in the `else:` of
# `isinstance(job, LocalJob)` -> job = jobs[i] = replicate.predictions.wait(job.id), written back because main() reads jobs[0] again),
# PO03 (job.cancel() after the isinstance early return -> job = replicate.predictions.cancel(prediction_id=job.id)). LocalJob.wait()/cancel() stay.
from typing import List, Optional, Union

import replicate
from replicate.types import Prediction

CAPTION_VERSION = "2e1dddc8621f72155f24cf2e0adbde548458d3cab9f00c0139eea840d0ac4746"


class LocalJob:
    """Work we do on the box itself (resizing, thumbnails) but track like a prediction."""

    def __init__(self, name, result):
        self.id = f"local-{name}"
        self.status = "starting"
        self.output = result

    def wait(self):
        self.status = "succeeded"

    def cancel(self):
        if self.status != "succeeded":
            self.status = "canceled"


def maybe_start(prompt: str) -> Optional[Prediction]:
    if not prompt.strip():
        return None
    return replicate.predictions.create(version=CAPTION_VERSION, input={"prompt": prompt})


def plan(tasks) -> List[Union[LocalJob, Prediction]]:
    jobs: List[Union[LocalJob, Prediction]] = []
    for kind, payload in tasks:
        if kind == "local":
            jobs.append(LocalJob(payload, payload.upper()))
            continue
        p = maybe_start(payload)
        if p is not None:
            jobs.append(p)
    return jobs


def finish_all(jobs):
    done = []
    for i, job in enumerate(jobs):
        if isinstance(job, LocalJob):
            job.wait()
        else:
            job = jobs[i] = replicate.predictions.wait(job.id)
        done.append((job.id, job.status, job.output))
    return done


def cancel_unfinished(job):
    if isinstance(job, LocalJob):
        job.cancel()
        return job.id, job.status
    if job.status not in ("succeeded", "failed", "canceled"):
        job = replicate.predictions.cancel(prediction_id=job.id)
    return job.id, job.status


if __name__ == "__main__":
    jobs = plan([("remote", "a cat"), ("local", "resize"), ("remote", "   "), ("remote", "a dog")])
    print("@@ planned", [(j.id, j.status) for j in jobs])

    p = maybe_start("")
    if p is not None:
        p = replicate.predictions.wait(p.id)
    print("@@ empty prompt", p)

    p = maybe_start("a fish")
    if p is not None:
        p = replicate.predictions.wait(p.id)
        print("@@ fish", p.id, p.status, p.output)

    print("@@ finished", finish_all(jobs))
    extra = [maybe_start("a bird"), LocalJob("thumb", "T"), jobs[0]]
    print("@@ canceled", [cancel_unfinished(j) for j in extra])
