# v2 rewrite. Rows: D01 (deployments.get("o/n") with a non-literal name -> split + deployment_owner=/deployment_name=), D15/D17 (fields: unchanged),
# P08 (predictions.create(deployment=) -> deployments.predictions.create(deployment_owner=, deployment_name=)), PO01 (wait()).
import replicate

DEPLOYMENT = "acme/prod-summarizer"


def describe_deployment(name):
    _owner, _name = name.split("/", 1)
    deployment = replicate.deployments.get(deployment_owner=_owner, deployment_name=_name)
    release = deployment.current_release
    return deployment.owner, deployment.name, release.number, release.model, release.configuration.hardware


def run_on_deployment(text):
    _owner, _name = DEPLOYMENT.split("/", 1)
    prediction = replicate.deployments.predictions.create(
        deployment_owner=_owner,
        deployment_name=_name,
        input={"text": text},
    )
    print("@@ queued", prediction.id, prediction.status)
    prediction = replicate.predictions.wait(prediction.id)
    return prediction.id, prediction.status, prediction.output


if __name__ == "__main__":
    print("@@ deployment", *describe_deployment(DEPLOYMENT))
    print("@@ result", *run_on_deployment("Quarterly report ..."))
