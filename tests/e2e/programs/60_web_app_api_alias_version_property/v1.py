# Exercises: a Flask-style caption API as a class: `self.api = replicate` in __init__ and a `@classmethod with_token(cls, token)` factory that swaps in
# replicate.Client(api_token=token); a lazily cached `version` property returning self.api.models.get(...).latest_version (a v1 Version) passed as
# predictions.create(version=self.version, webhook=, webhook_events_filter=); route handlers returning (status, json) with `except ReplicateError as e`
# reading e.status/e.title/e.detail (the property is evaluated inside the try); urls["get"]; get(pid) + reload() when still running; cancel(pid).
import replicate
from replicate.exceptions import ReplicateError

TERMINAL = ("succeeded", "failed", "canceled")


class CaptionApp:
    def __init__(self, model="salesforce/blip"):
        self.api = replicate
        self.model = model
        self._version = None

    @classmethod
    def with_token(cls, token, **kwargs):
        app = cls(**kwargs)
        app.api = replicate.Client(api_token=token)
        return app

    @property
    def version(self):
        if self._version is None:
            owner, name = self.model.split("/")
            self._version = self.api.models.get(owner, name).latest_version
        return self._version

    def post_caption(self, body):
        try:
            prediction = self.api.predictions.create(
                version=self.version,
                input={"image": body["image"]},
                webhook=body.get("webhook", "https://hooks.example.test/captions"),
                webhook_events_filter=["completed"],
            )
        except ReplicateError as e:
            return e.status or 500, {"error": e.title, "detail": e.detail}
        return 201, {"id": prediction.id, "status": prediction.status, "poll": prediction.urls["get"].split("/v1/", 1)[-1]}

    def get_caption(self, pid):
        try:
            prediction = self.api.predictions.get(pid)
            if prediction.status not in TERMINAL:
                prediction.reload()
        except ReplicateError as e:
            return e.status, {"error": e.detail}
        return 200, {"id": prediction.id, "status": prediction.status, "output": prediction.output}

    def delete_caption(self, pid):
        prediction = self.api.predictions.cancel(pid)
        return 202, {"id": prediction.id, "status": prediction.status}


def handle(app, method, path, body=None):
    parts = path.strip("/").split("/")
    if method == "POST" and parts == ["captions"]:
        return app.post_caption(body or {})
    if method == "GET" and len(parts) == 2:
        return app.get_caption(parts[1])
    if method == "DELETE" and len(parts) == 2:
        return app.delete_caption(parts[1])
    return 404, {"error": "no route"}


if __name__ == "__main__":
    app = CaptionApp()
    print("@@", handle(app, "POST", "/captions", {"image": "https://example.test/1.jpg"}))
    print("@@", handle(app, "POST", "/captions", {"image": "https://example.test/2.jpg", "webhook": "https://hooks.example.test/x"}))
    print("@@", handle(app, "GET", "/captions/gen_001"))
    print("@@", handle(app, "GET", "/captions/gen_001"))
    print("@@", handle(app, "DELETE", "/captions/gen_002"))
    print("@@", handle(app, "GET", "/captions/pred_missing_7"))
    print("@@", handle(app, "PUT", "/captions"))
    print("@@ version", app.version.id[:8], app.version.cog_version)

    locked = CaptionApp.with_token("r8_bad_token_0")
    print("@@ locked", handle(locked, "POST", "/captions", {"image": "https://example.test/3.jpg"}))
    other = CaptionApp.with_token("r8_other_token", model="acme/forbidden-captioner")
    print("@@ forbidden", handle(other, "POST", "/captions", {"image": "https://example.test/4.jpg"}))
