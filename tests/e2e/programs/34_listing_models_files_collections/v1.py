# Exercises: inventory script over list endpoints: models.list() page (len(page), page[0], `for m in page`, page.next); files.list() (a plain list in v1:
# len, index, iteration, f.urls["get"]); `for c in collections.list()` then collections.get(c.slug), len(collection) and `for m in collection`.
import replicate


def model_catalog():
    page = replicate.models.list()
    print("@@ models on this page", len(page))
    top = page[0]
    print("@@ first model", top.owner, top.name, top.run_count)
    names = []
    for m in page:
        print("@@ model", f"{m.owner}/{m.name}", m.visibility, m.latest_version.id[:12])
        names.append(m.name)
    if page.next:
        print("@@ more models at", page.next)
    return names


def uploaded_files():
    files = replicate.files.list()
    print("@@ uploaded files", len(files))
    if files:
        print("@@ newest", files[0].id, files[0].content_type)
    for f in files:
        print("@@ file", f.id, f.size, f.checksums["sha256"], f.urls["get"])
    return [f.id for f in files]


def collections_overview():
    summary = {}
    for c in replicate.collections.list():
        collection = replicate.collections.get(c.slug)
        print("@@ collection", collection.slug, collection.name, len(collection))
        for m in collection:
            print("@@   member", m.owner, m.name, m.run_count)
        summary[collection.slug] = [m.name for m in collection]
    return summary


if __name__ == "__main__":
    print("@@ names", model_catalog())
    print("@@ file ids", uploaded_files())
    print("@@ summary", collections_overview())
