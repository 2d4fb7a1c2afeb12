# v2 rewrite. Rows: P01 (predictions.list() without cursor: unchanged), PG06 (len(page) -> len(page.results)), PG05 (page[0] -> page.results[0]),
# PG04 (for p in page -> for p in page.results: v2 iteration would fetch every page), PG01 (page.results), PG02 (page.next: unchanged).
import replicate


def recent_predictions():
    page = replicate.predictions.list()
    print("@@ count", len(page.results))
    print("@@ first", page.results[0].id, page.results[0].status)
    for p in page.results:
        print("@@ item", p.id, p.status)
    ids = [p.id for p in page.results]
    print("@@ ids", ids)
    print("@@ has more", page.next is not None)
    return ids


if __name__ == "__main__":
    recent_predictions()
