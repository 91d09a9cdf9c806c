"""The query service: takes a Whoosh searcher and a request, returns plain dataclasses (no Flask here)."""
from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby

from whoosh import highlight, query as wq, sorting
from whoosh.analysis import Token

from . import scoretables
from .query import QueryError, clean_query, has_words, index_languages, is_plain, parse_query
from .ranking import PAGE_FIELDS, BlockMaps, TermScores, plain_terms, query_scores, top
from .suggest import any_hit, suggest
from .synonyms import Table, current_table, expand

__all__ = ["QueryError", "SearchRequest", "SearchResults", "search", "get_document", "list_documents",
           "document_pages", "count_documents"]

MAX_PER_PAGE = 100
MAX_PAGE = 1000
PAGES_PER_HIT = 3

FACETS = (("doctype", "Documenttype"), ("author", "Auteur"), ("year", "Jaar"), ("section", "Rubriek"))
FACET_FIELDS = tuple(name for name, _ in FACETS)
SORTS = {"relevantie": None, "nieuwste": ("date", True), "oudste": ("date", False)}


@dataclass
class SearchRequest:
    """What the user asked for: query text, filters, sort and paging."""

    q: str = ""
    page: int = 1
    per_page: int = 10
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevantie"


@dataclass
class PageHit:
    """A matching PDF page: its number, section title where known, and an HTML snippet with <mark>."""

    page: int
    snippet: str
    section: str | None = None


@dataclass
class Document:
    """A document's metadata as stored in the index."""

    id: str
    title: str
    summary: str
    date: str
    author: str
    doctype: str
    section: str
    pages: int | None
    pdf: str | None
    source_url: str | None
    title_derived: bool
    access: str
    language: str = "nl"

    @property
    def year(self) -> str:
        """Return the year of the date, or an empty string."""
        return self.date[:4]


@dataclass
class Hit:
    """One result: a document, its score, a snippet and its best matching pages."""

    document: Document
    score: float
    snippet: str
    pages: list[PageHit] = field(default_factory=list)


@dataclass
class FacetValue:
    """One value of a facet with how many results have it, and whether it is selected."""

    value: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    """A facet (document type, author, year, section) with its values."""

    name: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchResults:
    """The answer to a SearchRequest."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: list[Facet]
    took_ms: float
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        """Return the number of result pages."""
        return max(1, -(-self.total // self.request.per_page))


# ---------------------------------------------------------------- searching

def _document(fields: dict) -> Document:
    return Document(
        id=fields["id"], title=fields.get("title", ""), summary=fields.get("summary", ""),
        date=fields.get("date", ""), author=fields.get("author", ""), doctype=fields.get("doctype", ""),
        section=fields.get("section", ""), pages=fields.get("pages"), pdf=fields.get("pdf"),
        source_url=fields.get("source_url"), title_derived=bool(fields.get("title_derived")),
        access=fields.get("access", "public"), language=fields.get("language", "nl"),
    )


def _filter_query(request: SearchRequest, skip: str | None = None):
    parts = [wq.Term("kind", "doc")]
    for name in FACET_FIELDS:
        values = request.filters.get(name) or []
        if values and name != skip:
            parts.append(wq.Or([wq.Term(name, v) for v in values]))
    if request.date_from or request.date_to:
        parts.append(wq.TermRange("date", request.date_from or "0000", (request.date_to or "9999") + "\uffff"))
    return wq.And(parts)


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


def search(searcher, request: SearchRequest, *, synonyms: Table | None = None) -> SearchResults:
    """Answer a search request: ranked documents, facets, snippets and matching pages."""
    started = time.perf_counter()
    request = validate(request)
    notices: list[str] = []
    schema = searcher.schema
    # Abbreviations and synonyms: "APV" also finds the words it stands for (the corpus's table unless given).
    synonyms = synonyms if synonyms is not None else current_table()
    expansion = expand(request.q, synonyms)
    langs = index_languages(searcher)
    if expansion.notice():
        notices.append(expansion.notice())
    if request.q:
        q = parse_query(expansion.text, schema, languages=langs)
        if not has_words(q):
            q = wq.Every()
    else:
        q = wq.Every()

    cache = searcher_cache(searcher)
    # Ranked by relevance, a query of plain words is scored from cached term tables (indexer.ranking); anything
    # else (a sort, phrases, wildcards, NOT) goes through Whoosh's matchers, with the same results.
    ranked = request.sort == "relevantie"
    scores = query_scores(cache.terms, searcher, q) if ranked and not isinstance(q, wq.Every) else None
    matched = _matching_docs(searcher, cache, q, scores)
    allowed = _allowed_docs(searcher, cache, request)
    if not (matched & allowed) and request.q and is_plain(request.q) and len(request.q.split()) > 1:
        q_any = parse_query(expansion.text, schema, any_word=True, languages=langs)
        scores_any = query_scores(cache.terms, searcher, q_any) if ranked else None
        matched_any = _matching_docs(searcher, cache, q_any, scores_any)
        if matched_any & allowed:
            q, matched, scores = q_any, matched_any, scores_any
            notices.append("Geen documenten bevatten alle zoekwoorden; hieronder staan documenten met een of meer ervan.")

    found = matched if allowed is cache.docs else matched & allowed  # without filters every document is allowed
    total = len(found)
    facets = _facets(cache, request, matched, found, searcher)
    start = (request.page - 1) * request.per_page
    if scores is not None:
        shown = top(scores, found, request.page * request.per_page)[start:start + request.per_page]
        hits = [_scored_hit(searcher, cache, q, docnum, scores[docnum]) for docnum in shown]
    else:
        page_results = _run(searcher, q, request, set(found))[start:start + request.per_page] if start < total else []
        # Sorted by date or listing order, Whoosh puts the sort key where the score would be: report 0 then.
        ranked = SORTS[request.sort] is None and not isinstance(q, wq.Every)
        hits = [Hit(document=_document(dict(r)),
                    score=round(r.score, 4) if ranked and isinstance(r.score, (int, float)) else 0.0,
                    snippet=_doc_snippet(r)) for r in page_results]
    if hits and request.q:
        _attach_pages(searcher, expansion.text, hits, q)
    suggestion = _suggestion(searcher, request, langs, synonyms)
    took = (time.perf_counter() - started) * 1000
    return SearchResults(request=request, total=total, hits=hits, facets=facets, took_ms=round(took, 2),
                         suggestion=suggestion, notices=notices)


def _suggestion(searcher, request: SearchRequest, langs, synonyms: Table) -> str | None:
    """Return a corrected query ("Bedoelde u ...?") that finds results under the same filters, or None."""
    if not request.q:
        return None
    flt = _filter_query(request)
    return suggest(searcher, request.q, lambda text: any_hit(
        searcher, parse_query(expand(text, synonyms).text, searcher.schema, languages=langs), flt))


class SearcherCache:
    """What stays true for one searcher's index: which entries are documents and each document's facet values.

    Built once per searcher; a searcher kept open across requests (search_app.indexes) keeps it for its
    generation, so facet counts and filters become set operations instead of column scans per request.
    """

    def __init__(self, searcher):
        reader = searcher.reader()
        size = self.size = reader.doc_count_all()  # entries: documents and pages
        self.key = index_key(searcher)
        # BM25F score tables of the terms searched so far (indexer.ranking), and those the build stored
        self.terms = TermScores(stored=scoretables.open_for(searcher))
        self.blocks = BlockMaps()  # where the posting blocks of page words start, to reach the pages shown
        self.docs = frozenset(searcher.docs_for_query(wq.Term("kind", "doc")))
        self.values: dict[str, list[str]] = {}    # facet -> value per docnum ("" for none)
        self.by_value: dict[str, dict[str, frozenset]] = {}  # facet -> value -> docnums
        for name in FACET_FIELDS:
            values = [""] * size
            groups = {}
            field_obj = searcher.schema[name]
            for btext in reader.lexicon(name):
                value = field_obj.from_bytes(btext)
                docnums = frozenset(reader.postings(name, btext).all_ids())
                groups[value] = docnums
                for docnum in docnums:
                    values[docnum] = value
            self.values[name], self.by_value[name] = values, groups
        self._pages: dict[str, tuple[int, ...]] = {}
        self._masks: dict[str, dict[str, int]] = {}

    def masks(self, name: str) -> dict[str, int]:
        """Return a bitmap (indexer.search.bitmap) of the documents with each value of a facet, made once."""
        found = self._masks.get(name)
        if found is None:
            found = self._masks[name] = {v: bitmap(docnums, self.size) for v, docnums in self.by_value[name].items()}
        return found

    def pages_of(self, searcher, doc_id: str) -> tuple[int, ...]:
        """Return the page entries of a document (its id term without the document entry), read once."""
        pages = self._pages.get(doc_id)
        if pages is None:
            docs = self.docs
            pages = self._pages[doc_id] = tuple(d for d in searcher.docs_for_query(wq.Term("id", doc_id))
                                                if d not in docs)
        return pages


_CACHE_LOCK = threading.Lock()


def index_key(searcher) -> tuple:
    """Identify the exact index content a searcher reads: its segments and their deletions."""
    return tuple(tuple(part) for part in scoretables.segment_key(searcher.reader()))


def searcher_cache(searcher) -> SearcherCache:
    """Return the cache of a searcher, building it on first use."""
    cache = getattr(searcher, "_kb_cache", None)
    if cache is None:
        with _CACHE_LOCK:
            cache = getattr(searcher, "_kb_cache", None)
            if cache is None:
                cache = searcher._kb_cache = SearcherCache(searcher)
    return cache


WARM_FIELDS = ("title", "summary", "content", "page_text")


def warm(searcher) -> None:
    """Build what the first search on a new index would: facet maps, and the field lengths that ranking reads."""
    cache = searcher_cache(searcher)
    for fieldname in WARM_FIELDS:
        if fieldname in searcher.schema:
            cache.terms.length_bytes(searcher, fieldname)


def built_cache(searcher) -> SearcherCache | None:
    """Return the cache a searcher has built, or None."""
    return getattr(searcher, "_kb_cache", None)


def share_cache(searcher, cache: SearcherCache) -> bool:
    """Let a new searcher on the same index use a cache another searcher built; False when the index differs."""
    if getattr(searcher, "_kb_cache", None) is None and cache.key == index_key(searcher):
        searcher._kb_cache = cache
        return True
    return False


def _matching_docs(searcher, cache: SearcherCache, q, scores: dict | None = None) -> frozenset:
    """Return the document entries (never pages) a query matches, unranked."""
    if isinstance(q, wq.Every):
        return cache.docs
    if scores is not None:
        return cache.docs.intersection(scores)
    return cache.docs.intersection(searcher.docs_for_query(q))


def _allowed_docs(searcher, cache: SearcherCache, request: SearchRequest, skip: str | None = None) -> frozenset:
    """Return the documents the request's filters let through (a facet's own filter left out when skipped)."""
    allowed = cache.docs
    for name in FACET_FIELDS:
        values = request.filters.get(name) or []
        if values and name != skip:
            groups = cache.by_value[name]
            allowed = allowed.intersection(frozenset().union(*(groups.get(v, frozenset()) for v in values)))
    if request.date_from or request.date_to:
        dates = wq.TermRange("date", request.date_from or "0000", (request.date_to or "9999") + "\uffff")
        allowed = allowed.intersection(searcher.docs_for_query(dates))
    return allowed


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


def _facets(cache: SearcherCache, request: SearchRequest, matched: frozenset, found: frozenset,
            searcher) -> list[Facet]:
    """Count facet values; a facet with a selection is counted without its own filter (so OR stays visible)."""
    facets = []
    # Facets without a selection count the results themselves: all of them at once.
    counts = _count_values(cache, [name for name in FACET_FIELDS if not request.filters.get(name)], found)
    for name, label in FACETS:
        selected = set(request.filters.get(name) or [])
        if selected:
            groups = _count_values(cache, [name], matched & _allowed_docs(searcher, cache, request, skip=name))[name]
        else:
            groups = counts[name]
        values = [FacetValue(v, c, v in selected) for v, c in groups.items() if v and c]
        for v in selected - {fv.value for fv in values}:
            values.append(FacetValue(v, 0, True))
        if name == "year":
            values.sort(key=lambda fv: fv.value, reverse=True)
        else:
            values.sort(key=lambda fv: (-fv.count, fv.value.lower()))
        facets.append(Facet(name=name, label=label, values=values))
    return facets


def _count_values(cache: SearcherCache, names: list[str], base: frozenset) -> dict[str, dict[str, int]]:
    """Return, per facet, how many documents of base have each of its values."""
    if not names:
        return {}
    if len(base) * 8 < len(cache.docs):
        return {name: Counter(map(cache.values[name].__getitem__, base)) for name in names}
    # Many results: one bitmap of them, and a popcount per facet value, instead of a lookup per result and facet
    # (8,500 of 20,000 documents: 1.6 ms against 3.0 ms for the four facets).
    bits = bitmap(base, cache.size)
    return {name: {value: (bits & mask).bit_count() for value, mask in cache.masks(name).items()} for name in names}


def bitmap(docnums, size: int) -> int:
    """Return an int with bit d set for each docnum d."""
    flags = bytearray((size >> 3) + 1)
    for d in docnums:
        flags[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(flags, "little")


class _MarkFormatter(highlight.HtmlFormatter):
    """Mark matched words with <mark> (text around them is HTML-escaped by the base class)."""

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text, token, replace=False):
        return f"<mark>{highlight.htmlescape(highlight.get_text(text, token, replace))}</mark>"


def _escape(text: str) -> str:
    return highlight.htmlescape(text)


SUMMARY_WHOLE = 400


def summary_fragmenter(summary: str):
    """Mark a short summary whole; cut a long one to the best passage (two could overlap and repeat words)."""
    if len(summary) <= SUMMARY_WHOLE:
        return highlight.WholeFragmenter()
    return highlight.ContextFragmenter(maxchars=300, surround=80)


def _doc_snippet(hit) -> str:
    """Return the summary with query words marked, or its start when no word is in it."""
    summary = hit.get("summary") or ""
    try:
        hit.results.formatter = _MarkFormatter()
        hit.results.fragmenter = summary_fragmenter(summary)
        marked = hit.highlights("summary", top=1)
    except Exception:
        marked = ""
    if marked:
        return marked
    return _escape(summary[:300] + ("…" if len(summary) > 300 else ""))


def _scored_hit(searcher, cache: SearcherCache, q, docnum: int, score: float) -> Hit:
    """Return the hit of a document ranked from term tables, its summary marked like Whoosh's highlighter does."""
    fields = searcher.stored_fields(docnum)
    summary = fields.get("summary") or ""
    words = {text for fieldname, text in q.iter_all_terms() if fieldname == "summary"}
    marked = ""
    # Re-analysing a summary costs more than the rest of a hit: only when one of the words is in it.
    if summary and any(docnum in cache.terms.table(searcher, "summary", w) for w in words):
        try:
            marked = _highlight_retokenized(summary, words, searcher.schema["summary"].analyzer,
                                            summary_fragmenter(summary), top=1)
        except Exception:
            marked = ""
    snippet = marked or _escape(summary[:300] + ("…" if len(summary) > 300 else ""))
    return Hit(document=_document(fields), score=round(score, 4), snippet=snippet)


def _highlight_retokenized(text: str, words, analyzer, fragmenter, top: int) -> str:
    """Mark the words in a text by analysing it again, as Whoosh's Highlighter does for fields without chars."""
    tokens = analyzer(text, positions=True, chars=True, mode="index", removestops=False)
    tokens = highlight.set_matched_filter(tokens, frozenset(words))
    tokens = highlight.Highlighter._merge_matched_tokens(tokens)
    fragments = fragmenter.fragment_tokens(text, tokens)
    fragments = highlight.top_fragments(fragments, top, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1)
    return _MarkFormatter().format(fragments)


def _highlight_pinpoint(text: str, chars: dict, fragmenter, top: int) -> str:
    """Mark words at their stored character positions, as Whoosh's Highlighter does for fields with chars."""
    charlimit = fragmenter.charlimit
    tokens = []
    for word, positions in chars.items():
        for pos, startchar, endchar in positions:
            if charlimit and endchar > charlimit:
                break
            tokens.append(Token(text=word, pos=pos, startchar=startchar, endchar=endchar))
    tokens.sort(key=lambda t: t.startchar)
    tokens = [max(group, key=lambda t: t.endchar - t.startchar) for _, group in groupby(tokens, lambda t: t.startchar)]
    fragments = fragmenter.fragment_matches(text, tokens)
    fragments = highlight.top_fragments(fragments, top, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1)
    return _MarkFormatter().format(fragments)


def _attach_pages(searcher, text: str, hits: list[Hit], doc_query=None) -> None:
    """Find the best matching PDF pages of the documents shown, and snippet only those pages."""
    q = page_query(doc_query) if doc_query is not None else None
    if q is None:
        try:
            q = parse_query(text, searcher.schema, any_word=True, fields=("page_text",),
                            languages=index_languages(searcher))
        except QueryError:
            return
    # The pages of the shown documents only: a few hundred entries at most, looked up by their id term.
    cache = searcher_cache(searcher)
    owner = {docnum: h for h in hits for docnum in cache.pages_of(searcher, h.document.id)}
    if not owner:
        return
    # At each of those pages that has the words, read its score and where each matched word stands (page_text
    # stores character positions), so snippets need no second search and no re-analysis.
    terms = plain_terms(q) if searcher.is_atomic() else None
    found = _pages_by_blocks(searcher, cache, terms, sorted(owner)) if terms is not None else None
    if found is None:
        found = _pages_by_matcher(searcher, q, sorted(owner))
    # Best pages first (a tie goes to the earlier page, as in Whoosh's ranking), a few per document.
    found.sort(key=lambda item: (item[0], item[1]))
    taken: dict[int, int] = {}
    fragmenter = highlight.PinpointFragmenter(maxchars=240, surround=70, autotrim=True)
    decode = searcher.schema["page_text"].format.decoder("characters")
    for _score, docnum, encoded in found:
        hit = owner[docnum]
        if taken.get(id(hit), 0) >= PAGES_PER_HIT:
            continue
        taken[id(hit)] = taken.get(id(hit), 0) + 1
        fields = searcher.stored_fields(docnum)
        chars = {word: decode(value) for word, value in encoded.items()}  # only for the pages shown
        snippet = _highlight_pinpoint(fields.get("page_text") or "", chars, fragmenter, top=2)
        if snippet:
            hit.pages.append(PageHit(page=fields["page"], snippet=snippet, section=fields.get("page_section")))
    for hit in hits:
        if hit.pages and not any(m in hit.snippet for m in ("<mark>",)):
            hit.snippet = hit.pages[0].snippet


def page_query(q):
    """Return the page query of a query of words, AND and OR (any of its words in the page text), or None.

    Parsing again costs as much as ranking a common word, and such a query already holds the analysed words:
    those of its document text are the page words. Anything else (phrases, NOT, wildcards) returns None.
    """
    if type(q) not in (wq.Term, wq.And, wq.Or):
        return None
    terms = []
    for node in ([q] if type(q) is wq.Term else q.subqueries):
        if type(node) in (wq.And, wq.Or):
            sub = page_query(node)
            if sub is None:
                return None
            terms += [t for t in ([sub] if type(sub) is wq.Term else sub.subqueries) if t not in terms]
        elif type(node) is wq.Term and node.boost == 1.0:
            if node.fieldname in PAGE_FIELDS:
                term = wq.Term(PAGE_FIELDS[node.fieldname], node.text)
                if term not in terms:
                    terms.append(term)
        else:
            return None
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def _pages_by_blocks(searcher, cache: SearcherCache, terms: list, pages: list[int]) -> list | None:
    """Score ORed words on the given pages by jumping to the posting block of each (None: not possible here)."""
    reader, schema = searcher.reader(), searcher.schema
    scores: dict[int, float] = {}
    chars: dict[int, dict] = {}
    for fieldname, text in terms:
        if fieldname not in schema:
            continue
        try:
            btext = schema[fieldname].to_bytes(text)
        except ValueError:
            continue
        if (fieldname, btext) not in reader:
            continue
        got = cache.blocks.find(searcher, fieldname, btext, pages, cache.terms)
        if got is None:
            return None
        for docnum, (score, where) in got.items():
            scores[docnum] = scores.get(docnum, 0.0) + score  # a union's score: the sum over its words
            if fieldname == "page_text" and where is not None:
                chars.setdefault(docnum, {})[text] = where
    return [(-score, docnum, chars.get(docnum, {})) for docnum, score in scores.items()]


def _pages_by_matcher(searcher, q, pages: list[int]) -> list:
    """Score any query on the given pages with one pass of its matcher (skip_to jumps past other pages)."""
    if not searcher.is_atomic():
        # A matcher over several segments reports index-wide ids, but its term matchers segment-local ones:
        # match segment by segment (found in the review of the speed work: pages went missing after segment 1).
        found = []
        for sub, offset in searcher.leaf_searchers():
            end = offset + sub.doc_count_all()
            local = [d - offset for d in pages if offset <= d < end]
            found += [(score, d + offset, chars) for score, d, chars in _pages_by_matcher(sub, q, local)]
        return found
    matcher = q.matcher(searcher, searcher.context(needs_current=True))
    leaves = list(matcher.term_matchers())
    from_bytes = searcher.schema["page_text"].from_bytes
    found = []
    for docnum in pages:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() != docnum:
            continue
        chars = {}
        for leaf in leaves:
            if leaf.is_active() and leaf.id() == docnum:
                fieldname, btext = leaf.term()
                if fieldname == "page_text":
                    chars[from_bytes(btext)] = leaf.value()
        found.append((-matcher.score(), docnum, chars))
    return found


# ---------------------------------------------------------------- browsing

def get_document(searcher, doc_id: str) -> Document | None:
    """Return one document by id, or None when this index does not hold it."""
    fields = searcher.document(uid=f"doc:{doc_id}")
    return _document(fields) if fields else None


def list_documents(searcher) -> list[Document]:
    """Return all documents in listing order."""
    results = searcher.search(wq.Term("kind", "doc"), limit=None, sortedby="order")
    return [_document(dict(r)) for r in results]


def document_pages(searcher, doc_id: str, text: str, limit: int = 20, *,
                   synonyms: Table | None = None) -> list[PageHit]:
    """Return the pages of one document that match a query, best first."""
    text = clean_query(text)
    if not text:
        return []
    q = parse_query(expand(text, synonyms if synonyms is not None else current_table()).text, searcher.schema,
                    any_word=True, fields=("page_text",),
                    languages=index_languages(searcher))
    flt = wq.And([wq.Term("kind", "page"), wq.Term("id", doc_id)])
    results = searcher.search(q, filter=flt, limit=limit)
    results.formatter = _MarkFormatter()
    results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=70)
    return [PageHit(page=r["page"], snippet=r.highlights("page_text", top=2) or "", section=r.get("page_section"))
            for r in results]


def count_documents(searcher) -> int:
    """Return how many documents an index holds."""
    return searcher.doc_frequency("kind", "doc")
