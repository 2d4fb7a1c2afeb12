# Exercises: run() with file inputs: an open handle inside `with open(...)`, a pathlib.Path value, and a list of open handles (batch captioning script).
import pathlib
import sys

import replicate

CAPTIONER = "acme/blip-captioner"
UPSCALER = "acme/real-esrgan-upscaler"
DIFFER = "acme/image-diff"


def caption(path):
    with open(path, "rb") as f:
        return replicate.run(CAPTIONER, input={"image": f, "task": "image_captioning"})


def upscale(path: pathlib.Path, scale=2):
    output = replicate.run(UPSCALER, input={"image": path, "scale": scale, "face_enhance": False})
    return output[0].read()


def compare(paths):
    handles = [open(p, "rb") for p in paths]
    try:
        return replicate.run(DIFFER, input={"images": handles, "threshold": 0.1})
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
