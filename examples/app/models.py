import replicate as r


def latest_versions(ref):
    model = r.models.get("stability-ai/sdxl")
    versions = model.versions.list()
    return [v.id for v in versions.results]


def upload(path):
    upload = r.files.create(file=open(path, "rb"), filename="input.png")
    return upload.urls["get"]


def recent():
    for p in r.predictions.list():
        print(p.id, p.status)
