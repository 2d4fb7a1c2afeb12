# Exercises: a pytest module for a webhook receiver and a deployment rollout, with fixtures typed by the SDK's namespace classes:
# `from replicate.webhook import Webhooks` (`-> Webhooks.Default`, `isinstance(..., Webhooks.Default)`) then `replicate.webhooks.default.secret()`;
# `from replicate.deployment import Deployments, DeploymentsPredictions` on separate lines; `replicate.file.Files` (module attribute);
# a scale-up config typed `Deployments.UpdateDeploymentParams` passed to `deployments.update(deployment_owner=, deployment_name=, **config)`;
# `deployments.get("owner/name")`, `deployments.predictions.create("owner/name", input=)`. Runs without pytest (stand-in fixture decorator).
import replicate
from replicate.deployment import Deployments
from replicate.deployment import DeploymentsPredictions
from replicate.webhook import Webhooks

try:
    import pytest
except ImportError:  # `python test_rollout.py` without pytest installed
    class pytest:  # noqa: N801
        @staticmethod
        def fixture(func=None, **_options):
            return func if func is not None else (lambda f: f)


DEPLOYMENT = "acme/captioner-prod"
SCALE_UP: Deployments.UpdateDeploymentParams = {"min_instances": 1, "max_instances": 4}


@pytest.fixture
def webhooks_default() -> Webhooks.Default:
    return replicate.webhooks.default


@pytest.fixture
def deployments() -> Deployments:
    return replicate.deployments


@pytest.fixture
def files() -> replicate.file.Files:
    return replicate.files


def test_webhook_namespace(webhooks_default: Webhooks.Default):
    assert isinstance(webhooks_default, Webhooks.Default)
    secret = replicate.webhooks.default.secret()
    assert secret.key.startswith("whsec_")
    print("@@ test_webhook_namespace", secret.key)


def test_namespaces_are_the_sdks(deployments: Deployments, files: replicate.file.Files):
    assert isinstance(deployments, Deployments)
    assert isinstance(deployments.predictions, DeploymentsPredictions)
    assert isinstance(files, replicate.file.Files)
    print("@@ test_namespaces_are_the_sdks ok")


def test_scale_up(deployments: Deployments):
    owner, name = DEPLOYMENT.split("/")
    updated = deployments.update(deployment_owner=owner, deployment_name=name, **SCALE_UP)
    print("@@ test_scale_up", updated.owner, updated.name)
    current = replicate.deployments.get("acme/captioner-prod")
    print("@@ current", current.owner, current.name)


def test_rollout_prediction():
    prediction = replicate.deployments.predictions.create("acme/captioner-prod", input={"image": "https://example.com/cat.png"})
    print("@@ test_rollout_prediction", prediction.id, prediction.status)


if __name__ == "__main__":
    test_webhook_namespace(webhooks_default())
    test_namespaces_are_the_sdks(deployments(), files())
    test_scale_up(deployments())
    test_rollout_prediction()
