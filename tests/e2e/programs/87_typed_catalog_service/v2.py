# v2 rewrite. Rows: IM11 (Collections -> replicate.resources.CollectionsResource), IM13 (HardwareNamespace -> HardwareResource),
# IM07 (Models -> ModelsResource), IM05 (Predictions -> PredictionsResource), P17 (replicate.types.PredictionCreateParamsWithoutVersion ->
# replicate.types.PredictionCreateParamsWithoutVersion), IM09 (replicate.resources.DeploymentsResource -> replicate.resources.DeploymentsResource).
# The namespaces' methods used here (`create(version=, input=, webhook=...)`, `list().results`, `hardware.list()`) are the same in v2.
# Exercises: a typed service module that takes the SDK's namespaces by injection: `from replicate.prediction import Predictions`,
# `from replicate.model import Models`, `from replicate.collection import Collections`, `from replicate.hardware import HardwareNamespace`
# in parameter annotations and `isinstance` guards; default options typed `replicate.types.PredictionCreateParamsWithoutVersion` and passed as `**options`;
# `replicate.resources.DeploymentsResource` (a module attribute) in the same guard; a dataclass `Catalog` of our own as decoy.
from dataclasses import dataclass, field
from typing import List, Optional

import replicate
from replicate.resources import CollectionsResource as Collections
from replicate.resources import HardwareResource as HardwareNamespace
from replicate.resources import ModelsResource as Models
from replicate.resources import PredictionsResource as Predictions

SUMMARIZER_VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa"

DEFAULT_OPTIONS: replicate.types.PredictionCreateParamsWithoutVersion = {
    "webhook": "https://example.com/hooks/replicate",
    "webhook_events_filter": ["completed"],
}


def is_sdk_namespace(namespace: object) -> bool:
    """True for any of the SDK's namespaces we know how to inspect."""
    return isinstance(namespace, (Predictions, Models, Collections, HardwareNamespace, replicate.resources.DeploymentsResource))


@dataclass
class Catalog:
    """Our own catalog entry (not the SDK's)."""

    name: str
    tags: List[str] = field(default_factory=list)


class CatalogService:
    def __init__(
        self,
        predictions: Predictions,
        models: Models,
        collections: Collections,
        hardware: HardwareNamespace,
    ) -> None:
        for namespace in (predictions, models, collections, hardware):
            if not is_sdk_namespace(namespace):
                raise TypeError(f"not a replicate namespace: {namespace!r}")
        self.predictions = predictions
        self.models = models
        self.collections = collections
        self.hardware = hardware

    def submit(self, text: str, options: Optional[replicate.types.PredictionCreateParamsWithoutVersion] = None):
        return self.predictions.create(
            version=SUMMARIZER_VERSION,
            input={"text": text, "max_words": 20},
            **(options or DEFAULT_OPTIONS),
        )

    def recent_ids(self) -> List[str]:
        return [p.id for p in self.predictions.list().results]

    def model_names(self) -> List[str]:
        return [f"{m.owner}/{m.name}" for m in self.models.list().results]

    def collection_slugs(self) -> List[str]:
        return [c.slug for c in self.collections.list().results]

    def hardware_skus(self) -> List[str]:
        return sorted(hw.sku for hw in self.hardware.list())

    def catalog(self) -> List[Catalog]:
        return [Catalog(name, tags=["replicate"]) for name in self.model_names()]


def build_service() -> CatalogService:
    return CatalogService(replicate.predictions, replicate.models, replicate.collections, replicate.hardware)


if __name__ == "__main__":
    service = build_service()
    print("@@ guards", is_sdk_namespace(replicate.deployments), is_sdk_namespace(Catalog("x")))
    prediction = service.submit("The quick brown fox jumps over the lazy dog.")
    print("@@ submitted", prediction.id, prediction.status)
    custom = service.submit("Short text.", {"webhook": "https://example.com/other"})
    print("@@ custom", custom.id, custom.status)
    print("@@ recent", service.recent_ids())
    print("@@ models", service.model_names())
    print("@@ collections", service.collection_slugs())
    print("@@ hardware", service.hardware_skus())
    print("@@ catalog", [entry.name for entry in service.catalog()])
