# v2 rewrite. Rows: W06 (replicate.resources.webhooks.DefaultResource -> replicate.resources.webhooks.DefaultResource; the `Webhooks` import goes), W01 (secret() ->
# secret.get()), IM09 (Deployments -> replicate.resources.DeploymentsResource, DeploymentsPredictions ->
# replicate.resources.deployments.PredictionsResource), IM12 (replicate.resources.FilesResource -> replicate.resources.FilesResource), D18
# (UpdateDeploymentParams -> replicate.types.DeploymentUpdateParams), D07 (keywords: unchanged), D01 (split), D11 (split, input=).
# Exercises: a pytest module for a webhook receiver and a deployment rollout, with fixtures typed by the SDK's namespace classes:
# `from replicate.webhook import Webhooks` (`-> replicate.resources.webhooks.DefaultResource`, `isinstance(..., replicate.resources.webhooks.DefaultResource)`) then `replicate.webhooks.default.secret.get()`;
# `from replicate.deployment import Deployments, DeploymentsPredictions` on separate lines; `replicate.resources.FilesResource` (module attribute);
# a scale-up config typed `Deployments.UpdateDeploymentParams` passed to `deployments.update(deployment_owner=, deployment_name=, **config)`;
# `deployments.get("owner/name")`, `deployments.predictions.create("owner/name", input=)`. Runs without pytest (stand-in fixture decorator).
import replicate
from replicate.resources import DeploymentsResource as Deployments
from replicate.resources.deployments import PredictionsResource as DeploymentsPredictions

try:
    import pytest
except ImportError:  # `python test_rollout.py` without pytest installed
    class pytest:  # noqa: N801
        @staticmethod
        def fixture(func=None, **_options):
            return func if func is not None else (lambda f: f)


DEPLOYMENT = "acme/captioner-prod"
SCALE_UP: replicate.types.DeploymentUpdateParams = {"min_instances": 1, "max_instances": 4}


@pytest.fixture
def webhooks_default() -> replicate.resources.webhooks.DefaultResource:
    return replicate.webhooks.default


@pytest.fixture
def deployments() -> Deployments:
    return replicate.deployments


@pytest.fixture
def files() -> replicate.resources.FilesResource:
    return replicate.files


def test_webhook_namespace(webhooks_default: replicate.resources.webhooks.DefaultResource):
    assert isinstance(webhooks_default, replicate.resources.webhooks.DefaultResource)
    secret = replicate.webhooks.default.secret.get()
    assert secret.key.startswith("whsec_")
    print("@@ test_webhook_namespace", secret.key)


def test_namespaces_are_the_sdks(deployments: Deployments, files: replicate.resources.FilesResource):
    assert isinstance(deployments, Deployments)
    assert isinstance(deployments.predictions, DeploymentsPredictions)
    assert isinstance(files, replicate.resources.FilesResource)
    print("@@ test_namespaces_are_the_sdks ok")


def test_scale_up(deployments: Deployments):
    owner, name = DEPLOYMENT.split("/")
    updated = deployments.update(deployment_owner=owner, deployment_name=name, **SCALE_UP)
    print("@@ test_scale_up", updated.owner, updated.name)
    current = replicate.deployments.get(deployment_owner="acme", deployment_name="captioner-prod")
    print("@@ current", current.owner, current.name)


def test_rollout_prediction():
    prediction = replicate.deployments.predictions.create(deployment_owner="acme", deployment_name="captioner-prod", input={"image": "https://example.com/cat.png"})
    print("@@ test_rollout_prediction", prediction.id, prediction.status)


if __name__ == "__main__":
    test_webhook_namespace(webhooks_default())
    test_namespaces_are_the_sdks(deployments(), files())
    test_scale_up(deployments())
    test_rollout_prediction()
