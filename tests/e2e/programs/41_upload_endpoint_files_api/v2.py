# v2 rewrite. Rows: M01, C02, F01 (files.create(<str path>) -> content=pathlib.Path(path): v2 rejects a str, a Path gives the same name and type)
# + 0b.3 (metadata={...} -> metadata=json.dumps({...})), F01 + 0b.4 (files.create(fh, filename=X, content_type=T) -> content=(X, fh), filename=X, type=T),
# F12 (checksums["sha256"] -> checksums.sha256), F09 (urls["get"] -> urls.get), F03 (files.get(id) -> file_id=), P06,
# F07 (files.delete(id) returns True in v1 but None in v2, raising on failure: `if files.delete(id):` -> `if files.delete(file_id=id) is None:`).
import json
import os
import pathlib

import replicate

client = replicate.Replicate(bearer_token=os.environ["REPLICATE_API_TOKEN"])

UPLOAD_DIR = os.environ.get("UPLOAD_DIR", ".")
CAPTION_VERSION = "2e1dddc8621f72155f24cf2e0adbde548458d3cab9f00c0139eea840d0ac4746"


# POST /uploads
def upload_saved_file(filename, user_id):
    path = os.path.join(UPLOAD_DIR, filename)
    f = client.files.create(content=pathlib.Path(path), metadata=json.dumps({"user_id": user_id, "source": "web"}))
    return {"id": f.id, "type": f.content_type, "size": f.size, "sha256": f.checksums.sha256, "url": f.urls.get}


# POST /avatars (the request stream has no useful name)
def upload_avatar(stream_path, user_id):
    with open(stream_path, "rb") as fh:
        f = client.files.create(content=(f"avatar-{user_id}.jpg", fh), filename=f"avatar-{user_id}.jpg", type="image/jpeg")
    return {"id": f.id, "type": f.content_type, "url": f.urls.get}


# POST /uploads/{file_id}/caption
def caption_upload(file_id):
    f = client.files.get(file_id=file_id)
    prediction = client.predictions.create(version=CAPTION_VERSION, input={"image": f.urls.get})
    return {"prediction": prediction.id, "status": prediction.status, "metadata": f.metadata}


# DELETE /uploads/{file_id}
def delete_upload(file_id):
    if client.files.delete(file_id=file_id) is None:
        return {"deleted": file_id}, 200
    return {"error": "not deleted"}, 500


if __name__ == "__main__":
    saved = upload_saved_file("image.jpg", "u42")
    print("@@ saved", sorted(saved.items()))
    avatar = upload_avatar("image.jpg", "u42")
    print("@@ avatar", sorted(avatar.items()))
    print("@@ caption", sorted(caption_upload(saved["id"]).items()))
    print("@@ delete", delete_upload(saved["id"]))
