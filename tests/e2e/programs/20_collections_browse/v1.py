# Exercises: collections.get(slug) with a variable slug; collection.slug/name/description; collection.models.
import replicate


def list_collection(slug):
    collection = replicate.collections.get(slug)
    print("@@ collection", collection.slug, collection.name, collection.description)
    for model in collection.models:
        print("@@ model", slug, f"{model.owner}/{model.name}", model.run_count)
    return len(collection.models)


if __name__ == "__main__":
    total = sum(list_collection(s) for s in ["text-to-image", "language-models"])
    print("@@ total", total)
