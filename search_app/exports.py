"""Export and cite: the current search or one document as CSV, RIS or BibTeX, for the visitor's own index."""
from __future__ import annotations

import re
from dataclasses import replace

from flask import Blueprint, Response, abort, request

from indexer.search import MAX_PER_PAGE, QueryError
from indexer.search.export import FORMATS, Citable, render

from . import indexes
from .params import parse_int, search_request
from .security import index_name
from .service import query_service
from .urls import absolute_url

bp = Blueprint("exports", __name__)

EXPORT_LIMIT = 500  # documents in one export: a memo's worth, bounded work per request


def citable(doc, page: int | None = None) -> Citable:
    """Return a document with its absolute URLs, for export and citation."""
    # From the configured base URL (KENNISBANK_BASE_URL), never from the Host header a visitor sends.
    pdf = absolute_url("views.document_pdf", doc_id=doc.id) if doc.pdf else None
    return Citable(document=doc, url=absolute_url("views.document", doc_id=doc.id), pdf_url=pdf,
                   page=page)


@bp.get("/zoeken.<any(csv, ris, bib):fmt>")
def search_export(fmt):
    """Export the documents of the current search (query, filters and sort), best first, up to EXPORT_LIMIT."""
    try:
        req = replace(search_request(request.args), page=1, per_page=MAX_PER_PAGE)
        searcher, service = indexes.searcher(index_name()), query_service()
        items = []
        while len(items) < EXPORT_LIMIT:
            results = service.search(searcher, req)
            items += [citable(h.document, h.pages[0].page if h.pages and h.document.pdf else None)
                      for h in results.hits]
            if req.page * req.per_page >= results.total:
                break
            req = replace(req, page=req.page + 1)
    except QueryError as exc:
        return Response(str(exc), status=400, mimetype="text/plain")
    name = re.sub(r"[^a-z0-9]+", "-", (request.args.get("q") or "").lower()).strip("-")[:40]
    return _download(render(items[:EXPORT_LIMIT], fmt), fmt, f"kennisbank-{name or 'documenten'}")


@bp.get("/documenten/<doc_id>/citaat.<any(csv, ris, bib):fmt>")
def document_export(doc_id, fmt):
    """Export one document (at a page with ?pagina=N) for a reference manager or a spreadsheet."""
    doc = query_service().document(indexes.searcher(index_name()), doc_id)
    if doc is None:
        abort(404)
    return _download(render([citable(doc, cited_page(doc))], fmt), fmt, doc.id)


def cited_page(doc) -> int | None:
    """Return the page a visitor asks to cite (?pagina=N), or None when absent or not a page of the document."""
    page = parse_int(request.args.get("pagina"))  # plain ASCII digits, at most 9: never a 5,000-digit int()
    return page if page is not None and 0 < page <= (doc.pages or 100_000) else None


def _download(body: str, fmt: str, stem: str) -> Response:
    mimetype, ext = FORMATS[fmt]
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{ext}"'
    return response
