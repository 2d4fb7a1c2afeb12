# v2 alternative. Rows: as v2.py, but F01 as content=fh (exact here only because the handle is named image.jpg, matching filename=; 0b.4).
# F09, F10, R01, M01, C02.
import os

import replicate

client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])


def upload(path):
    file = client.files.create(content=open(path, "rb"), filename="image.jpg")
    return file


if __name__ == "__main__":
    f = upload("image.jpg")
    print("@@ file", f.id, f.content_type, f.size)
    url = f.urls.get
    print("@@ url", url)
    output = client.run("acme/captioner", input={"image": url})
    print("@@ caption", output)
