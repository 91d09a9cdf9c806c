"""The page view: one PDF page as an image with the query's words marked, its text, and the pages around it."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup, escape

from indexer.extract.cache import CACHE_DIRNAME
from indexer.search.pagerender import PAGE_CACHE_DIRNAME, WIDTHS, PageCache, render_page
from indexer.search.pageview import page_view

from . import indexes
from .pdffiles import pdf_file
from .security import index_name
from .service import query_service

bp = Blueprint("pageview", __name__)
log = logging.getLogger("kennisbank.pages")

DEFAULT_PAGE_CACHE_MB = 200


def init_app(app):
    """Register the page view and its disk cache of rendered pages (PAGE_CACHE_MB, under the index folder)."""
    raw = str(app.config.get("PAGE_CACHE_MB") or DEFAULT_PAGE_CACHE_MB)
    if not (raw.isascii() and raw.isdigit()):
        log.warning("KENNISBANK_PAGE_CACHE_MB=%r is geen aantal MiB; %d MiB gebruikt", raw, DEFAULT_PAGE_CACHE_MB)
        raw = str(DEFAULT_PAGE_CACHE_MB)
    mb = int(raw)
    app.extensions["kennisbank_pages"] = PageCache(Path(app.config["INDEX_DIR"]) / PAGE_CACHE_DIRNAME, mb << 20)
    app.register_blueprint(bp)


def _document_and_pdf(doc_id: str):
    """Return (document, PDF path) for a document this visitor may see that has a PDF; 404 otherwise."""
    searcher = indexes.searcher(index_name())
    doc = query_service().document(searcher, doc_id)
    path = pdf_file(doc) if doc is not None else None
    if path is None:
        abort(404)
    return searcher, doc, path


@bp.get("/documenten/<doc_id>/pagina/<int:number>")
def page(doc_id, number):
    """Show one page of a document's PDF with the query's words marked, its text, and page navigation."""
    searcher, doc, path = _document_and_pdf(doc_id)
    q = request.args.get("q", "")[:1000]
    view = page_view(searcher, doc, path, number, q, synonyms=query_service().synonyms(),
                     extract_cache=Path(current_app.config["INDEX_DIR"]) / CACHE_DIRNAME)
    if view is None:
        abort(404)
    return render_template("page.html", view=view, doc=doc, q=q, page_text=_marked_text(view.text, view.text_marks),
                           widths=WIDTHS)


def _marked_text(text: str, ranges: list[tuple[int, int]]) -> Markup:
    """Return the page text as HTML with the matched words in <mark>, everything else escaped."""
    out, at = [], 0
    for start, end in ranges:  # sorted and without overlaps (pagemarks.marked_ranges)
        out += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


@bp.get("/documenten/<doc_id>/pagina/<int:number>/afbeelding-<int:width>.webp")
def page_image(doc_id, number, width):
    """Send a page rendered `width` pixels wide (one of WIDTHS), from the disk cache when it was rendered before."""
    if width not in WIDTHS:
        abort(404)
    _, doc, path = _document_and_pdf(doc_id)  # a members' document is a 404 for visitors before anything renders
    cache: PageCache = current_app.extensions["kennisbank_pages"]
    where = cache.path(indexes.generation_name(), doc.access, doc.id, number, width)
    data = cache.get(where)
    if data is None:
        data = render_page(path, number, width)
        if data is None:
            abort(404)
        cache.put(where, data)
    response = Response(data, mimetype="image/webp")
    response.cache_control.max_age = 3600  # made private for members by security's after_request
    response.cache_control.public = True
    return response
