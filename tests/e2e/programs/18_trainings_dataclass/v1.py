# Exercises: a dataclass config; trainings.create(version="o/m:v", input=..., destination=...); training.reload() polling loop; training.cancel().
import time
from dataclasses import dataclass, field

import replicate


@dataclass
class FineTuneConfig:
    base: str = "ostris/flux-dev-lora-trainer:5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"
    destination: str = "acme/flux-mascot"
    steps: int = 1000
    extra: dict = field(default_factory=lambda: {"lora_rank": 16})

    def training_input(self, zip_url):
        return {"input_images": zip_url, "steps": self.steps, **self.extra}


def fine_tune(cfg, zip_url):
    training = replicate.trainings.create(
        version=cfg.base,
        input=cfg.training_input(zip_url),
        destination=cfg.destination,
    )
    print("@@ created", training.id, training.status)
    while training.status not in ("succeeded", "failed", "canceled"):
        time.sleep(0.01)
        training.reload()
        print("@@ poll", training.status)
    return training


if __name__ == "__main__":
    cfg = FineTuneConfig()
    t = fine_tune(cfg, "https://example.com/mascot.zip")
    print("@@ finished", t.id, t.status, t.output["version"])
    second = replicate.trainings.create(version=cfg.base, input=cfg.training_input("https://example.com/b.zip"),
                                        destination=cfg.destination)
    second.cancel()
    print("@@ canceled", second.id, second.status)
