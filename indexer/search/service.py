"""The query service: takes a Whoosh searcher and a request, returns plain dataclasses (no Flask here).

`QueryService` is what the web app and the CLI build once, with the corpus's abbreviation table; the functions
below do the work for one searcher and one request.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import query as wq
from whoosh import sorting

from ..analysis import normalise_citations, normalise_dates
from .cache import SearcherCache, searcher_cache
from .documents import count_documents, get_document, list_documents, resolve_alias
from .facets import allowed_docs, count_facets, filter_query
from .model import Document, Hit, PageHit, SearchRequest, SearchResults, SimilarDocument, document_from_fields
from .notices import ignored_notice, ignored_words, widened_notice
from .pages import attach_pages, document_pages
from .query import QueryError, clean_query, has_words, index_languages, is_plain, parse_query
from .ranking import query_scores, top
from .tables import matched_scores
from .similar import similar_documents
from .snippets import doc_snippet, highlight_retokenized, preview, summary_fragmenter
from .suggest import any_hit, suggest
from .synonyms import EMPTY, Table, current_table, expand

MAX_PER_PAGE = 100
MAX_PAGE = 1000
SORTS = {"relevantie": None, "nieuwste": ("date", True), "oudste": ("date", False)}


@dataclass(frozen=True)
class QueryService:
    """The query service of one corpus: every search widens abbreviations with that corpus's table."""

    corpus_dir: Path

    def synonyms(self) -> Table:
        """Return the corpus's abbreviation table (afkortingen.yaml), re-read when the file changes."""
        return current_table(self.corpus_dir)

    def search(self, searcher, request: SearchRequest) -> SearchResults:
        """Answer a search request: ranked documents, facets, snippets and matching pages."""
        return search(searcher, request, synonyms=self.synonyms())

    def document_pages(self, searcher, doc_id: str, text: str, limit: int = 20) -> list[PageHit]:
        """Return the pages of one document that match a query, best first."""
        return document_pages(searcher, doc_id, text, limit, synonyms=self.synonyms())

    def similar(self, searcher, doc_id: str, limit: int = 5) -> list[SimilarDocument]:
        """Return the documents of this index that resemble one document, best first."""
        return similar_documents(searcher, doc_id, limit)

    def document(self, searcher, doc_id: str) -> Document | None:
        """Return one document by id, or None when this index does not hold it."""
        return get_document(searcher, doc_id)

    def former_id(self, searcher, doc_id: str) -> str | None:
        """Return the current id of a document that doc_id used to name, or None (for a permanent redirect)."""
        return resolve_alias(searcher, doc_id)

    def documents(self, searcher) -> list[Document]:
        """Return all documents of this index in listing order."""
        return list_documents(searcher)

    def count(self, searcher) -> int:
        """Return how many documents this index holds."""
        return count_documents(searcher)


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def validate(request: SearchRequest) -> SearchRequest:
    """Check paging, sort and dates of a request, raising QueryError with a Dutch explanation."""
    if request.sort not in SORTS:
        raise QueryError(f"Onbekende sortering '{request.sort}'; kies relevantie, nieuwste of oudste.")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise QueryError(f"Het aantal resultaten per pagina moet tussen 1 en {MAX_PER_PAGE} liggen.")
    if not 1 <= request.page <= MAX_PAGE:
        raise QueryError(f"Het paginanummer moet tussen 1 en {MAX_PAGE} liggen.")
    for value in (request.date_from, request.date_to):
        if value and not _DATE.match(value):
            raise QueryError(f"'{value}' is geen geldige datum; gebruik JJJJ, JJJJ-MM of JJJJ-MM-DD.")
    request.q = clean_query(request.q)
    return request


def search(searcher, request: SearchRequest, *, synonyms: Table = EMPTY) -> SearchResults:
    """Answer a search request: ranked documents, facets, snippets and matching pages."""
    started = time.perf_counter()
    request = validate(request)
    notices: list[str] = []
    schema = searcher.schema
    # Abbreviations and synonyms: "APV" also finds the words it stands for.
    expansion = expand(request.q, synonyms)
    langs = index_languages(searcher)
    ignored = (ignored_notice(ignored_words(normalise_dates(normalise_citations(request.q)), schema["content"].analyzer))
               if request.q else None)
    if ignored:
        notices.append(ignored)
    if request.q:
        q = parse_query(expansion.text, schema, languages=langs)
        if not has_words(q):
            q = wq.Every()
    else:
        q = wq.Every()

    cache = searcher_cache(searcher)
    # Ranked by relevance, a query of plain words is scored from cached term tables (indexer.search.ranking); anything
    # else (a sort, phrases, wildcards, NOT) goes through Whoosh's matchers, with the same results.
    ranked = request.sort == "relevantie"
    scores = query_scores(cache.terms, searcher, q) if ranked and not isinstance(q, wq.Every) else None
    matched = _matching_docs(searcher, cache, q, scores)
    allowed = allowed_docs(searcher, cache, request)
    if not (matched & allowed) and request.q and is_plain(request.q) and len(request.q.split()) > 1:
        q_any = parse_query(expansion.text, schema, any_word=True, languages=langs)
        scores_any = query_scores(cache.terms, searcher, q_any) if ranked else None
        matched_any = _matching_docs(searcher, cache, q_any, scores_any)
        if matched_any & allowed:
            q, matched, scores = q_any, matched_any, scores_any
            notices.append("Geen documenten bevatten alle zoekwoorden; hieronder staan documenten met een of meer ervan.")

    found = matched if allowed is cache.docs else matched & allowed  # without filters every document is allowed
    total = len(found)
    replaced = [d for d in found if d in cache.superseded] if cache.superseded else []
    if replaced and ranked and not isinstance(q, wq.Every):
        # A replaced document ranks below its successor: every result needs a score then (Whoosh's ranking
        # scores only the top), and the cached table must not change.
        scores = demote_replaced(scores if scores is not None else matched_scores(searcher, q), cache, searcher,
                                 replaced)
    widened = widened_notice(expansion, found=bool(total))
    if widened:
        notices.insert(0, widened)
    facets = count_facets(cache, request, matched, found, searcher)
    start = (request.page - 1) * request.per_page
    if scores is not None:
        shown = top(scores, found, request.page * request.per_page)[start:start + request.per_page]
        hits = [_scored_hit(searcher, cache, q, docnum, scores[docnum]) for docnum in shown]
    else:
        page_results = _run(searcher, q, request, set(found))[start:start + request.per_page] if start < total else []
        # Sorted by date or listing order, Whoosh puts the sort key where the score would be: report 0 then.
        ranked = SORTS[request.sort] is None and not isinstance(q, wq.Every)
        hits = [Hit(document=document_from_fields(dict(r)),
                    score=round(r.score, 4) if ranked and isinstance(r.score, (int, float)) else 0.0,
                    snippet=doc_snippet(r)) for r in page_results]
    if hits and request.q:
        attach_pages(searcher, cache, expansion.text, hits, q)
    suggestion = _suggestion(searcher, request, langs, synonyms)
    took = (time.perf_counter() - started) * 1000
    return SearchResults(request=request, total=total, hits=hits, facets=facets, took_ms=round(took, 2),
                         suggestion=suggestion, notices=notices, superseded=len(replaced))


REPLACED_FACTOR = 0.999  # a replaced document's score, at most, as a share of its successor's


def demote_replaced(scores: dict[int, float], cache: SearcherCache, searcher, replaced: list[int]) -> dict:
    """Return the scores with each replaced document put below its successor, where both match the query."""
    out = dict(scores)
    for docnum in replaced:
        successor = cache.docnum_of(searcher, cache.superseded[docnum])
        if successor is not None and successor in out and docnum in out:
            out[docnum] = min(out[docnum], out[successor] * REPLACED_FACTOR)
    return out


def _suggestion(searcher, request: SearchRequest, langs, synonyms: Table) -> str | None:
    """Return a corrected query ("Bedoelde u ...?") that finds results under the same filters, or None."""
    if not request.q:
        return None
    flt = filter_query(request)
    return suggest(searcher, request.q, lambda text: any_hit(
        searcher, parse_query(expand(text, synonyms).text, searcher.schema, languages=langs), flt), synonyms)


def _matching_docs(searcher, cache: SearcherCache, q, scores: dict | None = None) -> frozenset:
    """Return the document entries (never pages) a query matches, unranked."""
    if isinstance(q, wq.Every):
        return cache.docs
    if scores is not None:
        return cache.docs.intersection(scores)
    return cache.docs.intersection(searcher.docs_for_query(q))


def _run(searcher, q, request: SearchRequest, found: set):
    """Rank the documents found; only the top page*per_page are scored in full."""
    sort = SORTS[request.sort]
    sortedby = None
    if sort or q.__class__ is wq.Every:
        field_name, reverse = sort or ("order", False)
        sortedby = sorting.FieldFacet(field_name, reverse=reverse)
    limit = request.page * request.per_page
    # Whoosh's block-quality skipping raised IndexError inside AndNotMatcher ("polarisatie -jongeren" on 1,000
    # synthetic documents): a query with NOT ranks without it.
    return searcher.search(q, filter=found, limit=limit, sortedby=sortedby, optimize=not _negates(q))


def _negates(q) -> bool:
    return isinstance(q, (wq.Not, wq.AndNot)) or any(_negates(sub) for sub in q.children())


def _scored_hit(searcher, cache: SearcherCache, q, docnum: int, score: float) -> Hit:
    """Return the hit of a document ranked from term tables, its summary marked like Whoosh's highlighter does."""
    fields = searcher.stored_fields(docnum)
    summary = fields.get("summary") or ""
    words = {text for fieldname, text in q.iter_all_terms() if fieldname == "summary"}
    marked = ""
    # Re-analysing a summary costs more than the rest of a hit: only when one of the words is in it.
    if summary and any(docnum in cache.terms.table(searcher, "summary", w) for w in words):
        try:
            marked = highlight_retokenized(summary, words, searcher.schema["summary"].analyzer,
                                            summary_fragmenter(summary), top=1)
        except Exception:
            marked = ""
    snippet = marked or preview(summary)
    return Hit(document=document_from_fields(fields), score=round(score, 4), snippet=snippet)
