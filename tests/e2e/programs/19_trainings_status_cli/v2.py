# v2 rewrite. Rows: T05 (trainings.get(id) -> get(training_id=id)), T09 (trainings.cancel(id) -> cancel(training_id=id)),
# T16 (training.output["version"] -> training.output.version).
import replicate


def slash_training(text):
    """'/training status <id>' or '/training cancel <id>'"""
    parts = text.split()
    if len(parts) != 2:
        return "usage: /training status|cancel <id>"
    verb, training_id = parts
    if verb == "status":
        training = replicate.trainings.get(training_id=training_id)
        msg = f"{training.id} is {training.status}"
        if training.status == "succeeded":
            msg += f" -> {training.output.version}"
        return msg
    if verb == "cancel":
        training = replicate.trainings.cancel(training_id=training_id)
        return f"{training.id} is now {training.status}"
    return f"unknown verb {verb}"


if __name__ == "__main__":
    for cmd in ["status trn_abc", "status trn_abc", "status trn_abc", "cancel trn_abc",
                "cancel trn_def", "status trn_def", "bogus", "restart trn_abc"]:
        print("@@", repr(slash_training(cmd)))
