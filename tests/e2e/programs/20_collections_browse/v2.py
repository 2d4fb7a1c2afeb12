# v2 rewrite. Rows: CO01 (collections.get(slug) -> get(collection_slug=slug)), CO05 (collection.models: unchanged), CO10 (slug/name/description: unchanged), MO01.
import replicate


def list_collection(slug):
    collection = replicate.collections.get(collection_slug=slug)
    print("@@ collection", collection.slug, collection.name, collection.description)
    for model in collection.models:
        print("@@ model", slug, f"{model.owner}/{model.name}", model.run_count)
    return len(collection.models)


if __name__ == "__main__":
    total = sum(list_collection(s) for s in ["text-to-image", "language-models"])
    print("@@ total", total)
