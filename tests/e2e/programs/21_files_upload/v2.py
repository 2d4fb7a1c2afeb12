# v2 rewrite. Rows: M01, C02, F01 + 0b.4 (files.create(file=fh, filename=X) -> files.create(content=(X, fh), filename=X), exact whatever the handle's name),
# F09 (file.urls["get"] -> file.urls.get), F10 (id/content_type/size: unchanged), R01.
import os

import replicate

client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])


def upload(path):
    file = client.files.create(content=("image.jpg", open(path, "rb")), filename="image.jpg")
    return file


if __name__ == "__main__":
    f = upload("image.jpg")
    print("@@ file", f.id, f.content_type, f.size)
    url = f.urls.get
    print("@@ url", url)
    output = client.run("acme/captioner", input={"image": url})
    print("@@ caption", output)
