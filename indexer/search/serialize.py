"""Turn query-service dataclasses into the JSON structure shared by the API and `kennisbank search --json`."""
from __future__ import annotations

from .model import SearchResults


def results_to_dict(results: SearchResults, url_for_doc=None, url_for_pdf=None) -> dict:
    """Return the API's search structure; URL builders are passed in by the web layer."""
    url_for_doc = url_for_doc or (lambda doc_id: f"/documenten/{doc_id}")
    url_for_pdf = url_for_pdf or (lambda doc_id: f"/documenten/{doc_id}/pdf")
    r = results.request
    return {
        "query": r.q,
        "total": results.total,
        "page": r.page,
        "per_page": r.per_page,
        "took_ms": results.took_ms,
        "sort": r.sort,
        "filters": {k: v for k, v in r.filters.items() if v},
        "current_only": r.current_only,
        "hits": [
            {
                "id": h.document.id,
                "title": h.document.title,
                "summary": h.document.summary,
                "date": h.document.date or None,
                "author": h.document.author or None,
                "doctype": h.document.doctype or None,
                "section": h.document.section or None,
                "superseded_by": h.document.superseded_by or None,
                "score": h.score,
                "url": url_for_doc(h.document.id),
                "pdf_url": url_for_pdf(h.document.id) if h.document.pdf else None,
                "snippet": h.snippet,
                "pages": [
                    {"page": p.page, "snippet": p.snippet, "section": p.section,
                     "url": f"{url_for_pdf(h.document.id)}#page={p.page}" if h.document.pdf else None}
                    for p in h.pages
                ],
            }
            for h in results.hits
        ],
        "facets": {f.name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in f.values]
                   for f in results.facets},
        "notices": results.notices,
        "suggestion": results.suggestion,
    }
