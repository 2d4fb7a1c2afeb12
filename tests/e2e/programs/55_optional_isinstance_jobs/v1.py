# Exercises: narrowing in a job runner that mixes LocalJob objects (own id/status/output, wait(), cancel()) and SDK predictions in one list:
# `if isinstance(job, LocalJob): job.wait() else: job.wait()`; `maybe_start(prompt) -> Optional[Prediction]` (from replicate.prediction import Prediction)
# and `if p is not None: p.wait()`; cancel_unfinished(job) with an isinstance early return before `job.cancel()`; a Union[LocalJob, Prediction] list
# whose first prediction, waited on inside finish_all(), is read again from the list afterwards (v1 mutated it in place).
from typing import List, Optional, Union

import replicate
from replicate.prediction import Prediction

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
    for job in jobs:
        if isinstance(job, LocalJob):
            job.wait()
        else:
            job.wait()
        done.append((job.id, job.status, job.output))
    return done


def cancel_unfinished(job):
    if isinstance(job, LocalJob):
        job.cancel()
        return job.id, job.status
    if job.status not in ("succeeded", "failed", "canceled"):
        job.cancel()
    return job.id, job.status


if __name__ == "__main__":
    jobs = plan([("remote", "a cat"), ("local", "resize"), ("remote", "   "), ("remote", "a dog")])
    print("@@ planned", [(j.id, j.status) for j in jobs])

    p = maybe_start("")
    if p is not None:
        p.wait()
    print("@@ empty prompt", p)

    p = maybe_start("a fish")
    if p is not None:
        p.wait()
        print("@@ fish", p.id, p.status, p.output)

    print("@@ finished", finish_all(jobs))
    extra = [maybe_start("a bird"), LocalJob("thumb", "T"), jobs[0]]
    print("@@ canceled", [cancel_unfinished(j) for j in extra])
