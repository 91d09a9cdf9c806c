"""HTML pages: start and results page, document page, the PDF, help."""
from __future__ import annotations


from flask import Blueprint, abort, current_app, g, redirect, render_template, request, send_file, url_for

from indexer.index import store
from indexer.search import FACETS, SORTS, QueryError, SearchRequest
from indexer.search.dates import dutch_date
from indexer.search.export import citation

from . import feeds, indexes
from .api import json_error
from .exports import EXPORT_LIMIT, citable, cited_page
from .pdffiles import pdf_file
from .params import search_params, search_request
from .security import current_user, index_name
from .service import query_service

bp = Blueprint("views", __name__)
bp.add_url_rule("/zoeken.atom", "feed", feeds.atom_feed)
bp.add_url_rule("/opensearch.xml", "opensearch", feeds.opensearch_description)

SORT_LABELS = {"relevantie": "Relevantie", "nieuwste": "Nieuwste", "oudste": "Oudste"}
FACET_LABELS = dict(FACETS)
DOCUMENT_PAGES = 100  # matching pages listed on a document page, in page order


@bp.app_errorhandler(store.IndexMissing)
def index_missing(exc):
    return render_template("error.html", title="Zoekindex niet beschikbaar",
                           message="De zoekindex is nog niet gebouwd of niet leesbaar. "
                                   "Een beheerder kan hem bouwen met: kennisbank build"), 503


@bp.app_errorhandler(404)
def not_found(exc):
    if request.path.startswith("/api/"):
        return json_error(404, "Niet gevonden.")
    return render_template("error.html", title="Pagina niet gevonden",
                           message="Deze pagina of dit document bestaat niet."), 404


@bp.app_errorhandler(405)
def method_not_allowed(exc):
    if request.path.startswith("/api/"):
        response = json_error(405, "Deze methode is hier niet toegestaan.")
    else:
        response = current_app.make_response((render_template(
            "error.html", title="Methode niet toegestaan",
            message=f"Deze pagina kan niet met {request.method[:10]} worden opgevraagd."), 405))
    response.headers["Allow"] = ", ".join(exc.valid_methods or [])
    return response


@bp.app_errorhandler(413)
def too_large(exc):
    message = "Het verzoek is te groot. Stuur minder gegevens mee."
    if request.path.startswith("/api/"):
        return json_error(413, message)
    return render_template("error.html", title="Verzoek te groot", message=message), 413


@bp.app_errorhandler(500)
def server_error(exc):
    return render_template("error.html", title="Er ging iets mis",
                           message="Er ging iets mis bij het verwerken van uw verzoek. Probeer het opnieuw."), 500


@bp.get("/")
def home():
    """Show the start page (theme intro, documents by section) or, with a query or filter, the results."""
    args = request.args
    searching = any(args.get(k) for k in ("q", "doctype", "author", "year", "section", "from", "to", "actueel"))
    searcher = indexes.searcher(index_name())
    if not searching:
        manifest = indexes.manifest()
        docs = query_service().documents(searcher)
        grouped: dict[str, list] = {}
        for doc in docs:  # in listing order; a section shows once even when its documents are not adjacent
            grouped.setdefault(doc.section or "Overig", []).append(doc)
        sections = list(grouped.items())
        members_extra = 0
        if not current_user():
            report = manifest.get("report", {})
            members_extra = max(0, report.get("documents", 0) - report.get("public_documents", 0))
        return render_template("home.html", theme=manifest.get("theme", {}), sections=sections,
                               members_extra=members_extra, q="")
    try:
        req = search_request(args)
        results = query_service().search(searcher, req)
    except QueryError as exc:
        return render_template("results.html", error=str(exc), q=args.get("q", "")[:1000], results=None,
                               facets=FACETS, sorts=SORTS), 400
    g.kb_search = results.request
    return render_template("results.html", results=results, q=results.request.q, error=None,
                           facets=FACETS, sorts=SORTS, sort_labels=SORT_LABELS, page_url=_page_url,
                           active_filters=_active_filters(results.request),
                           page_numbers=_page_numbers(results.request.page, results.page_count),
                           feed_url=_feed_url(), export_url=_export_url, export_limit=EXPORT_LIMIT,
                           successors=_successors(searcher, [h.document for h in results.hits]),
                           search_params=search_params)


def _successors(searcher, docs) -> dict:
    """Return the documents that replace these ones (by id), as far as this visitor may see them."""
    ids = {d.superseded_by for d in docs if d.superseded_by}
    return {i: doc for i in ids if (doc := query_service().document(searcher, i)) is not None}


@bp.app_template_global()
def login_next() -> str | None:
    """Return where the login link comes back to: this page, with the parsed search rather than the raw query
    string, so a long junk query string is not copied into the link on every page."""
    if request.endpoint == "auth.login":
        return None
    if request.endpoint == "views.home" and request.args:
        return url_for("views.home", **search_params(_current_search()))
    return request.path if len(request.full_path) > 2000 else request.full_path.rstrip("?")


def _active_filters(req) -> list[tuple[str, str, str]]:
    """Return (label, value, URL without it) for every filter in use, so each can be removed with one link."""
    active = []
    for name in FACET_LABELS:
        values = req.filters.get(name) or []
        for v in values:
            active.append((FACET_LABELS[name], v, _page_url(page=None, **{name: [x for x in values if x != v]})))
    if req.date_from:
        active.append(("Vanaf", req.date_from, _page_url(page=None, **{"from": None})))
    if req.date_to:
        active.append(("Tot en met", req.date_to, _page_url(page=None, to=None)))
    return active


def _page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """Return the page numbers to link: first, last and a window around the current one; None is a gap."""
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def _export_url(fmt: str) -> str:
    """Return the export of the current search (all result pages, in the chosen sort) in one format."""
    return url_for("exports.search_export", fmt=fmt, **search_params(_current_search(), page=None, per_page=None))


def _current_search() -> SearchRequest:
    """Return the parsed search of this request (an empty one when it cannot be parsed)."""
    if "kb_search" not in g:
        try:
            g.kb_search = search_request(request.args)
        except QueryError:
            g.kb_search = SearchRequest()
    return g.kb_search


def _feed_url() -> str:
    return url_for("views.feed", **search_params(_current_search(), page=None, per_page=None, sort=None))


def _page_url(**changes) -> str:
    """Return the current search URL with some parameters changed (None removes one).

    Built from the parsed request (search_params), so each link is at most as long as the capped search.
    """
    return url_for("views.home", **search_params(_current_search(), **changes))


@bp.get("/documenten/<doc_id>")
def document(doc_id):
    """Show one document: metadata, summary, matching pages for the query, and the PDF link."""
    searcher = indexes.searcher(index_name())
    doc = query_service().document(searcher, doc_id)
    if doc is None:
        return _moved_or_404(searcher, "views.document", doc_id)
    q = request.args.get("q", "")[:1000]
    try:
        # Search inside the document: its matching pages in page order (document_pages gives the best first).
        pages = sorted(query_service().document_pages(searcher, doc_id, q, limit=DOCUMENT_PAGES) if q else [],
                       key=lambda p: p.page)
    except QueryError:
        pages = []
    cite_page = cited_page(doc)
    return render_template("document.html", doc=doc, pages=pages, q=q, similar=query_service().similar(searcher, doc_id),
                           cite_page=cite_page, citation=citation(citable(doc, cite_page)),
                           successors=_successors(searcher, [doc]))


def _moved_or_404(searcher, endpoint: str, doc_id: str):
    """Redirect permanently from a document's former id to its current one (same query), else 404."""
    current = query_service().former_id(searcher, doc_id)
    if current is None:
        abort(404)
    return redirect(url_for(endpoint, doc_id=current, **request.args.to_dict(flat=False)), code=301)


@bp.get("/documenten/<doc_id>/pdf")
def document_pdf(doc_id):
    """Serve a document's PDF from the corpus; only files named by the index, never a path from the URL."""
    searcher = indexes.searcher(index_name())
    doc = query_service().document(searcher, doc_id)
    if doc is None:
        return _moved_or_404(searcher, "views.document_pdf", doc_id)
    path = pdf_file(doc)
    if path is None:
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=f"{doc_id}.pdf", conditional=True,
                     max_age=3600)


@bp.get("/favicon.ico")
def favicon():
    """Send browsers that ask for /favicon.ico (the PDF viewer does) to the icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/help")
def help_page():
    """Explain the query syntax in Dutch, with examples."""
    return render_template("help.html", q="")


@bp.app_template_filter("dutch_date")
def dutch_date_filter(iso: str) -> str:
    """Format an ISO date as '11 juni 2024'."""
    return dutch_date(iso)
