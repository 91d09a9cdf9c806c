"""Matching PDF pages: the best pages of the documents shown, with snippets, and search inside one document."""
from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict

from whoosh import query as wq
from whoosh.reading import TermNotFound

from ..index import internals
from ..index.termscores import FieldNorms
from .model import Hit, PageHit
from .pageorder import nearness, page_weight
from .passages import Seen
from .phrases import PAGE_FIELDS
from .query import QueryError, clean_query, index_languages, parse_query
from .ranking import plain_terms
from .snippets import page_snippet, strip_marks
from .synonyms import EMPTY, Table, expand

PAGES_PER_HIT = 3


MAX_BLOCK_MAPS = 5000  # terms whose block map is kept per index; a map is two short lists
MAX_BLOCKS = 1_000_000  # blocks in all kept maps together (two ints each, ~70 bytes): at most ~70 MB per index


class BlockMaps:
    """Where each block of a term's postings starts and which docnum ends it, per term of one index generation.

    Whoosh's postings have no skip list: reaching a page far down a posting list reads the header of every block
    on the way. With this map, a page is found by bisection and only the block that holds it is read.
    """

    def __init__(self, limit: int = MAX_BLOCK_MAPS, max_blocks: int = MAX_BLOCKS):
        self.limit = limit
        self.max_blocks = max_blocks
        self.blocks = 0  # blocks in the kept maps
        self._maps: OrderedDict = OrderedDict()
        self._scorings: dict = {}  # (fieldname, btext) -> what _scoring returns
        self._lock = threading.Lock()

    def find(self, searcher, fieldname: str, btext: bytes, docnums, norms: FieldNorms | None = None) -> dict:
        """Return {docnum: (score, encoded value or None)} for the given sorted docnums that hold the term.

        The value is the posting's raw bytes (positions and characters): decoding is left to the caller, which
        needs it only for the pages it shows. On an index of several segments, each segment's postings are read
        for the docnums in it (docnums in and out are index-wide).
        """
        scoring = self._scoring(searcher, fieldname, btext, norms)
        if searcher.is_atomic():
            return self._find(searcher, 0, fieldname, btext, docnums, scoring)
        found = {}
        for sub, offset in searcher.leaf_searchers():
            first, last = bisect_left(docnums, offset), bisect_left(docnums, offset + sub.doc_count_all())
            if first == last:
                continue
            try:
                got = self._find(sub, offset, fieldname, btext, [d - offset for d in docnums[first:last]], scoring)
            except TermNotFound:  # not in this segment
                continue
            found.update({d + offset: value for d, value in got.items()})
        return found

    def _scoring(self, searcher, fieldname: str, btext: bytes, norms: FieldNorms | None):
        """Return (lengths, norm, idf, K1) to score a term's postings by BM25F from the length table, or None
        (Whoosh's scorer then), found once per term: a scorer per segment read the term's info again each time."""
        if norms is None:
            return None
        key = (fieldname, btext)
        with self._lock:
            if key in self._scorings:
                return self._scorings[key]
        scorer = searcher.weighting.scorer(searcher, fieldname, btext)  # the whole index's figures
        lengths_norm = norms.norms(searcher, fieldname, scorer)
        scoring = None if lengths_norm is None else (*lengths_norm, scorer.idf, scorer.K1)
        with self._lock:
            if len(self._scorings) >= self.limit:
                self._scorings.clear()
            self._scorings[key] = scoring
        return scoring

    def _find(self, searcher, offset: int, fieldname: str, btext: bytes, docnums, scoring) -> dict:
        key = (fieldname, btext, offset)
        with self._lock:
            blocks = self._maps.get(key)
            if blocks is not None:
                self._maps.move_to_end(key)
        if scoring is None:
            m = searcher.postings(fieldname, btext)
            score = _whoosh_score
        else:
            m = searcher.reader().postings(fieldname, btext)  # no scorer: the table scores
            score = _bm25(scoring, offset)
        if blocks is None:
            # Read with the matcher that then reads the pages (one without a scorer where that one has one).
            blocks = internals.block_map(m if scoring is not None else searcher.reader().postings(fieldname, btext))
            if blocks is not None:
                m.reset()  # block_map may have walked the blocks: postings_at starts from the first
                with self._lock:
                    if key not in self._maps:
                        self._maps[key] = blocks
                        self.blocks += len(blocks[0]) + 1
                    while len(self._maps) > 1 and (len(self._maps) > self.limit or self.blocks > self.max_blocks):
                        self.blocks -= len(self._maps.popitem(last=False)[1][0]) + 1
        found = (internals.postings_at(m, blocks, docnums, score) if blocks is not None
                 else _postings_by_skipping(m, docnums, score))
        if not m.format.supports("characters"):
            return {docnum: (value, None) for docnum, (value, _) in found.items()}
        return found


def _whoosh_score(matcher) -> float:
    return matcher.score()


def _bm25(scoring, offset: int):
    """Return a function scoring the posting a matcher of the segment at offset stands on, from the length table.

    As termscores does: the same operations as whoosh.scoring.bm25, so the same floats as Whoosh's score().
    """
    lengths, norm, idf, K1 = scoring

    def bm25(matcher):
        w = matcher.weight()
        return idf * ((w * (K1 + 1)) / (w + norm[lengths[offset + matcher.id()]]))
    return bm25


def _postings_by_skipping(m, docnums, score) -> dict:
    """Return {docnum: (score, raw value)} for the sorted docnums that hold the term, with Whoosh's skip_to."""
    found = {}
    for docnum in docnums:
        if m.is_active() and m.id() < docnum:
            m.skip_to(docnum)
        if not m.is_active():
            break
        if m.id() == docnum:
            found[docnum] = (score(m), m.value())
    return found


def attach_pages(searcher, cache, text: str, hits: list[Hit], doc_query=None) -> None:
    """Find the best matching PDF pages of the documents shown, and snippet only those pages.

    `cache` is the searcher's SearcherCache (indexer.search.cache): page entries, block maps, score tables.
    """
    q = page_query(doc_query) if doc_query is not None else None
    if q is None:
        try:
            q = parse_query(text, searcher.schema, any_word=True, fields=("page_text",),
                            languages=index_languages(searcher))
        except QueryError:
            return
    # The pages of the shown documents only: a few hundred entries at most, looked up by their id term.
    owner = {docnum: h for h in hits for docnum in cache.pages_of(searcher, h.document.id)}
    if not owner:
        return
    # At each of those pages that has the words, read its score and where each matched word stands (page_text
    # stores character positions), so snippets need no second search and no re-analysis.
    terms = plain_terms(q)
    if terms is not None:
        found = _pages_by_blocks(searcher, cache, terms, sorted(owner))
    else:
        found = _pages_by_matcher(searcher, q, sorted(owner))
    # Best pages first, weighed by place in the document, page kind and nearness of the words (indexer.search.
    # pageorder); a tie goes to the earlier page; a few pages per document.
    found = weigh_pages(searcher, cache, hits, q, found)
    found.sort(key=lambda item: (item[0], item[1]))
    taken: dict[int, int] = {}
    # Per result, the sentences it shows: its summary (when it marks a word, it is shown) and earlier pages.
    seen: dict[int, Seen] = {}
    for hit in hits:
        seen[id(hit)] = Seen()
        if "<mark>" in hit.snippet:
            seen[id(hit)].add(strip_marks(hit.snippet))
    decode = searcher.schema["page_text"].format.decoder("characters")
    for _score, docnum, encoded in found:
        hit = owner[docnum]
        if taken.get(id(hit), 0) >= PAGES_PER_HIT:
            continue
        taken[id(hit)] = taken.get(id(hit), 0) + 1
        fields = searcher.stored_fields(docnum)
        chars = {word: decode(value) for word, value in encoded.items()}  # only for the pages shown
        snippet = page_snippet(fields.get("page_text") or "", chars, seen[id(hit)])
        # A page whose matching sentences the result already shows keeps its place, without a snippet.
        if snippet or any(chars.values()):
            hit.pages.append(PageHit(page=fields["page"], snippet=snippet, section=fields.get("page_section")))
    for hit in hits:
        if hit.pages and hit.pages[0].snippet and "<mark>" not in hit.snippet:
            hit.snippet = hit.pages[0].snippet


def weigh_pages(searcher, cache, hits: list[Hit], q, found: list) -> list:
    """Return found [(-score, docnum, {word: encoded postings})] with each score times its page weight."""
    order = {docnum: i for h in hits for i, docnum in enumerate(cache.pages_of(searcher, h.document.id))}
    prose = searcher.reader().column_reader("page_prose") if "page_prose" in searcher.schema else None
    positions = searcher.schema["page_text"].format.decoder("positions")
    words = len({text for fieldname, text in q.iter_all_terms() if fieldname == "page_text"})
    weighed = []
    for score, docnum, encoded in found:
        near = 0
        if words >= 2 and len(encoded) >= 2:
            near = nearness({word: positions(value) for word, value in encoded.items()})
        share = prose[docnum] / 100 if prose is not None else None
        weighed.append((score * page_weight(order[docnum] + 1, share, near, words), docnum, encoded))
    return weighed


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


def _pages_by_blocks(searcher, cache, terms: list, pages: list[int]) -> list:
    """Score ORed words on the given pages by jumping to the posting block of each."""
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
        got = cache.blocks.find(searcher, fieldname, btext, pages, cache.terms.norms)
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


def document_pages(searcher, doc_id: str, text: str, limit: int = 20, *, synonyms: Table = EMPTY) -> list[PageHit]:
    """Return the pages of one document that match a query, best first."""
    text = clean_query(text)
    if not text:
        return []
    q = parse_query(expand(text, synonyms).text, searcher.schema,
                    any_word=True, fields=("page_text",),
                    languages=index_languages(searcher))
    flt = wq.And([wq.Term("kind", "page"), wq.Term("id", doc_id)])
    results = searcher.search(q, filter=flt, limit=limit)
    # Snippets as on the results page (clean sentences, no sentence twice), the words found by analysing the page
    # again: a document has a few dozen pages at most.
    words = frozenset(word for fieldname, word in q.iter_all_terms() if fieldname == "page_text")
    analyzer = searcher.schema["page_text"].analyzer
    seen = Seen()
    pages = []
    for r in results:
        page_text = r.get("page_text") or ""
        chars: dict[str, list] = {}
        for token in analyzer(page_text, positions=True, chars=True, mode="index", removestops=False):
            if token.text in words:
                chars.setdefault(token.text, []).append((token.pos, token.startchar, token.endchar))
        pages.append(PageHit(page=r["page"], snippet=page_snippet(page_text, chars, seen),
                             section=r.get("page_section")))
    return pages
