"""JSON API: search, health, suggestions, similar documents, and its OpenAPI description. Errors are Dutch JSON."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, url_for

from indexer.index import store
from indexer.search import QueryError, Vocabulary, build_vocabulary, results_to_dict

from . import indexes
from .params import parse_int, search_request
from .security import index_name
from .service import query_service

bp = Blueprint("api", __name__, url_prefix="/api")


def json_error(status: int, message: str):
    """Return a Dutch JSON error: {"error": message, "status": status}."""
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    return response


@bp.get("/search")
def api_search():
    """Search and return hits, facets and page snippets as JSON."""
    try:
        req = search_request(request.args)
        results = query_service().search(indexes.searcher(index_name()), req)
    except QueryError as exc:
        return json_error(400, str(exc))
    except store.IndexMissing as exc:
        return json_error(503, f"De zoekindex is niet beschikbaar: {exc}.")
    return jsonify(results_to_dict(
        results,
        url_for_doc=lambda i: url_for("views.document", doc_id=i),
        url_for_pdf=lambda i: url_for("views.document_pdf", doc_id=i),
    ))


@bp.get("/health")
def health():
    """Report whether the index is usable, how many documents it holds and when it was built."""
    try:
        docs = query_service().count(indexes.searcher("public"))
        manifest = indexes.manifest()
    except store.IndexMissing as exc:
        return jsonify({"status": "unavailable", "message": f"Geen zoekindex: {exc}.", "documents": 0,
                        "built_at": None}), 503
    return jsonify({"status": "ok", "documents": docs, "built_at": manifest["built_at"],
                    "generation": indexes.generation_name()})


MAX_SUGGESTIONS = 10


def vocabulary() -> Vocabulary:
    """Return the suggestion vocabulary of the visitor's index, gathered once per index generation."""
    name = index_name()
    return indexes.per_generation(("vocabulary", name), lambda: build_vocabulary(indexes.searcher(name)))


@bp.get("/suggest")
def api_suggest():
    """Suggest document titles and frequent words for what the visitor is typing."""
    text = request.args.get("q", "")[:200]
    limit = parse_int(request.args.get("limit") or "8")
    if limit is None:
        return json_error(400, "'limit' moet een getal zijn.")
    limit = min(MAX_SUGGESTIONS, max(1, limit))
    try:
        suggestions = vocabulary().complete(text, limit=limit)
    except store.IndexMissing as exc:
        return json_error(503, f"De zoekindex is niet beschikbaar: {exc}.")
    if request.args.get("format") == "opensearch":
        # The OpenSearch suggestions format browsers understand: [query, [completions]].
        return jsonify([text, [s.text for s in suggestions if s.kind == "woord"]
                        + [s.text for s in suggestions if s.kind == "titel"]])
    return jsonify({"query": text, "suggestions": [
        {"text": s.text, "kind": s.kind,
         "url": url_for("views.document", doc_id=s.doc_id) if s.doc_id else url_for("views.home", q=s.text)}
        for s in suggestions]})


@bp.get("/documenten/<doc_id>/vergelijkbaar")
def api_similar(doc_id):
    """Return documents resembling one document, among those the visitor may see."""
    try:
        searcher = indexes.searcher(index_name())
    except store.IndexMissing as exc:
        return json_error(503, f"De zoekindex is niet beschikbaar: {exc}.")
    if searcher.document_number(uid=f"doc:{doc_id}") is None:
        return json_error(404, "Dit document bestaat niet.")
    return jsonify({"id": doc_id, "similar": [
        {"id": s.document.id, "title": s.document.title, "date": s.document.date or None,
         "author": s.document.author or None, "doctype": s.document.doctype or None, "score": s.score,
         "url": url_for("views.document", doc_id=s.document.id)}
        for s in query_service().similar(searcher, doc_id)]})


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI description of this API."""
    spec = (Path(current_app.static_folder) / "openapi.json").read_bytes()
    return current_app.response_class(spec, mimetype="application/json")


@bp.errorhandler(404)
def not_found(exc):
    return json_error(404, "Niet gevonden.")


@bp.errorhandler(405)
def not_allowed(exc):
    return json_error(405, "Deze methode is hier niet toegestaan.")
