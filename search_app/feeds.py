"""Machine-readable views of a search: an Atom feed per search and the OpenSearch description."""
from __future__ import annotations

from dataclasses import replace

from flask import Response, render_template, request

from indexer.search import QueryError

from . import indexes
from .params import search_params, search_request
from .security import index_name
from .service import query_service
from .urls import absolute_url, base_url

FEED_SIZE = 20


def atom_feed():
    """Atom feed of the newest documents matching a search ("nieuwe documenten voor deze zoekopdracht")."""
    try:
        asked = search_request(request.args)
        req = replace(asked, sort="nieuwste", page=1, per_page=FEED_SIZE)
        results = query_service().search(indexes.searcher(index_name()), req)
    except QueryError as exc:
        return Response(str(exc), status=400, mimetype="text/plain")
    params = search_params(asked, page=None, per_page=None, sort=None)
    dates = [h.document.date for h in results.hits if h.document.date]
    updated = max(dates) + "T00:00:00Z" if dates else indexes.manifest().get("built_at", "1970-01-01T00:00:00Z")
    xml = render_template("feed.xml", results=results, q=results.request.q, updated=updated,
                          self_url=absolute_url("views.feed", **params),
                          html_url=absolute_url("views.home", sort="nieuwste", **params))
    return Response(xml, mimetype="application/atom+xml")


def opensearch_description():
    """OpenSearch description, so a browser can add Kennisbank Zoeken as a search engine."""
    xml = render_template("opensearch.xml", base=base_url())
    return Response(xml, mimetype="application/opensearchdescription+xml")
