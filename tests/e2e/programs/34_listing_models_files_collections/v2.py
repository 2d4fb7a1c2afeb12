# v2 rewrite. Rows: MD06 (models.list(): unchanged), PG06/PG05/PG04 (len(page), page[0], for m in page -> page.results), PG02 (page.next: unchanged), MO03,
# F05 (files.list() is a page in v2: len/index/iterate .results), F12 (checksums["sha256"] -> checksums.sha256), F09 (urls["get"] -> urls.get),
# CO03 + PG04 (for c in collections.list() -> .results), CO01 (get(slug) -> collection_slug=), CO08 (len(collection) -> len(collection.models)), CO06 (for m in collection -> collection.models).
import replicate


def model_catalog():
    page = replicate.models.list()
    print("@@ models on this page", len(page.results))
    top = page.results[0]
    print("@@ first model", top.owner, top.name, top.run_count)
    names = []
    for m in page.results:
        print("@@ model", f"{m.owner}/{m.name}", m.visibility, m.latest_version.id[:12])
        names.append(m.name)
    if page.next:
        print("@@ more models at", page.next)
    return names


def uploaded_files():
    files = replicate.files.list()
    print("@@ uploaded files", len(files.results))
    if files.results:
        print("@@ newest", files.results[0].id, files.results[0].content_type)
    for f in files.results:
        print("@@ file", f.id, f.size, f.checksums.sha256, f.urls.get)
    return [f.id for f in files.results]


def collections_overview():
    summary = {}
    for c in replicate.collections.list().results:
        collection = replicate.collections.get(collection_slug=c.slug)
        print("@@ collection", collection.slug, collection.name, len(collection.models))
        for m in collection.models:
            print("@@   member", m.owner, m.name, m.run_count)
        summary[collection.slug] = [m.name for m in collection.models]
    return summary


if __name__ == "__main__":
    print("@@ names", model_catalog())
    print("@@ file ids", uploaded_files())
    print("@@ summary", collections_overview())
