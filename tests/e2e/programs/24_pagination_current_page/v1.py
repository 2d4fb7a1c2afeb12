# Exercises: predictions.list() page: `for p in page` (current page only), len(page), page[0], page.results, page.next.
import replicate


def recent_predictions():
    page = replicate.predictions.list()
    print("@@ count", len(page))
    print("@@ first", page[0].id, page[0].status)
    for p in page:
        print("@@ item", p.id, p.status)
    ids = [p.id for p in page.results]
    print("@@ ids", ids)
    print("@@ has more", page.next is not None)
    return ids


if __name__ == "__main__":
    recent_predictions()
