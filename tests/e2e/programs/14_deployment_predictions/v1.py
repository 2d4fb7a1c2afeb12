# Exercises: deployments.get("o/n") and its current_release; predictions.create(deployment="o/n", input=...); wait().
import replicate

DEPLOYMENT = "acme/prod-summarizer"


def describe_deployment(name):
    deployment = replicate.deployments.get(name)
    release = deployment.current_release
    return deployment.owner, deployment.name, release.number, release.model, release.configuration.hardware


def run_on_deployment(text):
    prediction = replicate.predictions.create(
        deployment=DEPLOYMENT,
        input={"text": text},
    )
    print("@@ queued", prediction.id, prediction.status)
    prediction.wait()
    return prediction.id, prediction.status, prediction.output


if __name__ == "__main__":
    print("@@ deployment", *describe_deployment(DEPLOYMENT))
    print("@@ result", *run_on_deployment("Quarterly report ..."))
