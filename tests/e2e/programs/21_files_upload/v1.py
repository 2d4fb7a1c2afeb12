# Exercises: files.create(file=open(...), filename=...) on a client, file.urls["get"], file.id/content_type/size, then passing the URL to run.
import os

import replicate

client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])


def upload(path):
    file = client.files.create(file=open(path, "rb"), filename="image.jpg")
    return file


if __name__ == "__main__":
    f = upload("image.jpg")
    print("@@ file", f.id, f.content_type, f.size)
    url = f.urls["get"]
    print("@@ url", url)
    output = client.run("acme/captioner", input={"image": url})
    print("@@ caption", output)
