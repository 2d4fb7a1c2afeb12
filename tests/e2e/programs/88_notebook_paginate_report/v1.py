# Exercises: a notebook exported as a script (`# %%` cells) that builds a usage report: `from replicate.pagination import paginate`
# over `replicate.predictions.list` (two pages) and `replicate.trainings.list`, `replicate.pagination.paginate(replicate.models.list)`
# through the module; helpers annotated with `replicate.training.Trainings` / `replicate.model.ModelsPredictions` (module attributes);
# a config typed `Models.CreateModelParams` (`from replicate.model import Models`) shown in the report; a local `paginate_rows` as decoy.
# %%
import collections
import json

import replicate
from replicate.model import Models
from replicate.pagination import paginate

# %%
NEW_MODEL: Models.CreateModelParams = {
    "hardware": "gpu-t4",
    "visibility": "private",
    "description": "Report demo",
}


def paginate_rows(rows, size):
    """Our own pager over report rows (not the SDK's)."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def training_ids(trainings: replicate.training.Trainings) -> list:
    ids = []
    for page in paginate(trainings.list):
        ids.extend(t.id for t in page.results)
    return ids


def is_models_predictions(namespace: object) -> bool:
    return isinstance(namespace, replicate.model.ModelsPredictions)


# %%
pages = 0
statuses = collections.Counter()
for page in paginate(replicate.predictions.list):
    pages += 1
    for prediction in page.results:
        statuses[prediction.status] += 1
print("@@ prediction pages", pages, dict(statuses))

# %%
model_names = []
for page in replicate.pagination.paginate(replicate.models.list):
    model_names.extend(f"{m.owner}/{m.name}" for m in page.results)
print("@@ models", model_names)

# %%
print("@@ trainings", training_ids(replicate.trainings))
print("@@ namespace", is_models_predictions(replicate.models.predictions), is_models_predictions(replicate.models))
print("@@ new model config", json.dumps(NEW_MODEL, sort_keys=True))
for chunk in paginate_rows(model_names, 1):
    print("@@ chunk", chunk)
