# v2 rewrite. Rows: T03 (trainings.create(version="o/n:v") with a non-literal ref -> ModelVersionIdentifier.parse + model_owner=/model_name=/version_id=),
# I06 (replicate.ModelVersionIdentifier), T13 (training.reload() -> training = trainings.get(training_id=)), T16 (output["version"] -> output.version),
# T11 (training.cancel() -> second = trainings.cancel(training_id=)).
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
    _ref = replicate.ModelVersionIdentifier.parse(cfg.base)
    training = replicate.trainings.create(
        model_owner=_ref.owner,
        model_name=_ref.name,
        version_id=_ref.version,
        input=cfg.training_input(zip_url),
        destination=cfg.destination,
    )
    print("@@ created", training.id, training.status)
    while training.status not in ("succeeded", "failed", "canceled"):
        time.sleep(0.01)
        training = replicate.trainings.get(training_id=training.id)
        print("@@ poll", training.status)
    return training


if __name__ == "__main__":
    cfg = FineTuneConfig()
    t = fine_tune(cfg, "https://example.com/mascot.zip")
    print("@@ finished", t.id, t.status, t.output.version)
    _ref = replicate.ModelVersionIdentifier.parse(cfg.base)
    second = replicate.trainings.create(model_owner=_ref.owner, model_name=_ref.name, version_id=_ref.version,
                                        input=cfg.training_input("https://example.com/b.zip"),
                                        destination=cfg.destination)
    second = replicate.trainings.cancel(training_id=second.id)
    print("@@ canceled", second.id, second.status)
