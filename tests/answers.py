"""What a visitor sees must add up: a helper for tests that throw odd input at the query service."""
from __future__ import annotations


def assert_consistent(results) -> None:
    """Assert that a results page adds up: the hits it shows, distinct documents, facet counts within the total."""
    r = results.request
    assert len(results.hits) == max(0, min(r.per_page, results.total - (r.page - 1) * r.per_page))
    assert len({h.document.id for h in results.hits}) == len(results.hits)
    assert all(v.count <= results.total for f in results.facets for v in f.values if not v.selected)
    assert all(h.score >= 0 and h.document.title for h in results.hits)
