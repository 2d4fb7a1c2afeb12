# v2 rewrite. Rows: IM09 (replicate.deployment.Deployment -> replicate.types.DeploymentGetResponse, kept as the name Deployment), H01/H03 (hardware.list(), sku/name: unchanged), D05 (deployments.create(**kw): unchanged), D15/D17,
# D07 (deployments.update(owner, name, ...) -> update(deployment_owner=, deployment_name=, ...)), D13 (deployment.predictions.create(input=) ->
# deployments.predictions.create(deployment_owner=deployment.owner, deployment_name=deployment.name, input=)), PO01 (wait()), D09 (delete: keywords).
import sys

import replicate
from replicate.types import DeploymentGetResponse as Deployment

MODEL = "acme/sdxl-lite"
VERSION = "a00d0b7dcbb9c3fbb34ba87d2d5b46c56969c84a628bf778a7fdaec30b1b99c5"


def pick_hardware(preferred: str = "gpu-t4") -> str:
    skus = []
    for hw in replicate.hardware.list():
        print("@@ hardware", hw.sku, hw.name)
        skus.append(hw.sku)
    return preferred if preferred in skus else skus[0]


def provision(name: str) -> Deployment:
    hardware = pick_hardware()
    deployment = replicate.deployments.create(
        name=name,
        model=MODEL,
        version=VERSION,
        hardware=hardware,
        min_instances=0,
        max_instances=2,
    )
    release = deployment.current_release
    print("@@ created", deployment.owner, deployment.name, release.number, release.configuration.hardware)
    deployment = replicate.deployments.update(deployment_owner=deployment.owner, deployment_name=deployment.name, min_instances=1)
    print("@@ updated", deployment.owner, deployment.name, deployment.current_release.configuration.min_instances)
    return deployment


def smoke_test(deployment: Deployment) -> bool:
    prediction = replicate.deployments.predictions.create(deployment_owner=deployment.owner, deployment_name=deployment.name, input={"prompt": "a test pattern", "num_inference_steps": 4})
    print("@@ smoke started", prediction.id, prediction.status)
    prediction = replicate.predictions.wait(prediction.id)
    print("@@ smoke done", prediction.id, prediction.status, prediction.output)
    return prediction.status == "succeeded"


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "sdxl-lite-prod"
    dep = provision(name)
    ok = smoke_test(dep)
    print("@@ healthy", ok)
    if not ok:
        replicate.deployments.delete(deployment_owner=dep.owner, deployment_name=dep.name)
