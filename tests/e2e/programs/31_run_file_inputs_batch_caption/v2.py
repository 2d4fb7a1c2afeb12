# v2 rewrite. Rows: R12/RM206 (a file handle or Path in run() input: v1 uploaded it with files.create, keeping its name
# and type; v2 would upload nameless bytes, so upload with files.create(content=...) and pass .urls.get), M03.
import pathlib
import sys

import replicate

CAPTIONER = "acme/blip-captioner"
UPSCALER = "acme/real-esrgan-upscaler"
DIFFER = "acme/image-diff"


def caption(path):
    with open(path, "rb") as f:
        return replicate.run(CAPTIONER, input={"image": replicate.files.create(content=f).urls.get, "task": "image_captioning"})


def upscale(path: pathlib.Path, scale=2):
    output = replicate.run(UPSCALER, input={"image": replicate.files.create(content=path).urls.get, "scale": scale, "face_enhance": False})
    return output[0].read()


def compare(paths):
    handles = [open(p, "rb") for p in paths]
    try:
        return replicate.run(DIFFER, input={"images": [replicate.files.create(content=h).urls.get for h in handles], "threshold": 0.1})
    finally:
        for h in handles:
            h.close()


def main(argv):
    paths = [pathlib.Path(a) for a in argv] or [pathlib.Path("image.jpg")]
    for path in paths:
        print("@@ caption", path.name, caption(path))
        data = upscale(path)
        print("@@ upscaled", path.name, len(data), data[:8])
    diff = compare(paths + paths)
    print("@@ diff", [str(d) for d in diff])


if __name__ == "__main__":
    main(sys.argv[1:])
