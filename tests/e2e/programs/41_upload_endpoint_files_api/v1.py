# Exercises: Flask-style upload endpoints on a module-level client: files.create(<str path>, metadata={...}) (v1 opens the path, JSON metadata);
# files.create(fh, filename=, content_type=); file.checksums["sha256"], file.urls["get"] fed to predictions.create(version=, input=); files.get(id); `if files.delete(id):` (bool in v1).
import os

import replicate

client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])

UPLOAD_DIR = os.environ.get("UPLOAD_DIR", ".")
CAPTION_VERSION = "2e1dddc8621f72155f24cf2e0adbde548458d3cab9f00c0139eea840d0ac4746"


# POST /uploads
def upload_saved_file(filename, user_id):
    path = os.path.join(UPLOAD_DIR, filename)
    f = client.files.create(path, metadata={"user_id": user_id, "source": "web"})
    return {"id": f.id, "type": f.content_type, "size": f.size, "sha256": f.checksums["sha256"], "url": f.urls["get"]}


# POST /avatars (the request stream has no useful name)
def upload_avatar(stream_path, user_id):
    with open(stream_path, "rb") as fh:
        f = client.files.create(fh, filename=f"avatar-{user_id}.jpg", content_type="image/jpeg")
    return {"id": f.id, "type": f.content_type, "url": f.urls["get"]}


# POST /uploads/{file_id}/caption
def caption_upload(file_id):
    f = client.files.get(file_id)
    prediction = client.predictions.create(version=CAPTION_VERSION, input={"image": f.urls["get"]})
    return {"prediction": prediction.id, "status": prediction.status, "metadata": f.metadata}


# DELETE /uploads/{file_id}
def delete_upload(file_id):
    if client.files.delete(file_id):
        return {"deleted": file_id}, 200
    return {"error": "not deleted"}, 500


if __name__ == "__main__":
    saved = upload_saved_file("image.jpg", "u42")
    print("@@ saved", sorted(saved.items()))
    avatar = upload_avatar("image.jpg", "u42")
    print("@@ avatar", sorted(avatar.items()))
    print("@@ caption", sorted(caption_upload(saved["id"]).items()))
    print("@@ delete", delete_upload(saved["id"]))
