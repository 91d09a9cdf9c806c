"""JSON API: /api/search and /api/health. Errors are JSON with a Dutch message and a 4xx/5xx status."""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from indexer import store
from indexer.search import QueryError, count_documents, search
from indexer.serialize import results_to_dict

from . import indexes
from .params import search_request
from .security import index_name

bp = Blueprint("api", __name__, url_prefix="/api")


def _error(status: int, message: str):
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


@bp.get("/search")
def api_search():
    """Search and return hits, facets and page snippets as JSON."""
    try:
        req = search_request(request.args)
        results = search(indexes.searcher(index_name()), req)
    except QueryError as exc:
        return _error(400, str(exc))
    except store.IndexMissing as exc:
        return _error(503, f"De zoekindex is niet beschikbaar: {exc}.")
    return jsonify(results_to_dict(
        results,
        url_for_doc=lambda i: url_for("views.document", doc_id=i),
        url_for_pdf=lambda i: url_for("views.document_pdf", doc_id=i),
    ))


@bp.get("/health")
def health():
    """Report whether the index is usable, how many documents it holds and when it was built."""
    try:
        docs = count_documents(indexes.searcher("public"))
        manifest = indexes.manifest()
    except store.IndexMissing as exc:
        return jsonify({"status": "unavailable", "message": f"Geen zoekindex: {exc}.", "documents": 0,
                        "built_at": None}), 503
    return jsonify({"status": "ok", "documents": docs, "built_at": manifest["built_at"],
                    "generation": indexes.generation_name()})


@bp.errorhandler(404)
def not_found(exc):
    return _error(404, "Niet gevonden.")


@bp.errorhandler(405)
def not_allowed(exc):
    return _error(405, "Deze methode is hier niet toegestaan.")
