"""Rank with per-generation term score tables: set algebra on cached scores instead of walking postings per query.

Whoosh scores a match by walking a tree of matchers in Python, posting by posting, for every request. The BM25F
score of one term in one document depends only on the index (term weight, field length, idf), so it is computed
once per term and kept while the index generation lives; a query of plain words is then answered by adding
dictionaries. Anything else (phrases, wildcards, NOT, boosts) returns None here and goes through Whoosh.
"""
from __future__ import annotations

import heapq
import pickle
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from itertools import accumulate, repeat

from whoosh import query as wq
from whoosh.columns import NumericColumn
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import ListMatcher, NullMatcher, WrappingMatcher
from whoosh.query.qcore import _NullQuery
from whoosh.scoring import BM25FScorer, WeightLengthScorer
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

# Postings kept in score tables per index, about 55 bytes each: a common word of a 20,000-document index has
# ~10,000-15,000, so this keeps the 300-400 most recently searched words of such an index in ~220 MB.
MAX_POSTINGS = 4_000_000


class TermScores:
    """{docnum: score} per (field, term) of one index generation, least recently used tables dropped first."""

    def __init__(self, limit: int = MAX_POSTINGS, stored=None):
        self.limit = limit
        self.stored = stored  # the build's tables of common words (indexer.scoretables.ScoreFile), or None
        self.postings = 0
        self._tables: OrderedDict = OrderedDict()
        self._lengths: dict[str, object] = {}  # field -> length byte per document, read once
        self._norms: dict[tuple, list] = {}
        self._owners = None  # docnum of the document entry each entry belongs to, for phrases found on pages
        self._lock = threading.Lock()

    def table(self, searcher, fieldname: str, text) -> dict[int, float]:
        """Return the score of this term in every document that holds it."""
        return self.cached((fieldname, text), lambda: self.compute(searcher, fieldname, text))

    def compute(self, searcher, fieldname: str, text) -> dict[int, float]:
        """Return a term's table as the build stored it, or else computed from its postings (not kept)."""
        if self.stored is not None:
            found = self.stored.get(fieldname, text)
            if found is not None:
                return found
        return _score_table(searcher, fieldname, text, self)

    def cached(self, key, build) -> dict[int, float]:
        """Return the table kept under key, or build, keep and return it."""
        with self._lock:
            found = self._tables.get(key)
            if found is not None:
                self._tables.move_to_end(key)
                return found
        return self._keep(key, build())

    def _keep(self, key, found: dict) -> dict:
        with self._lock:
            if key not in self._tables:
                self._tables[key] = found
                self.postings += len(found)
            while self.postings > self.limit and len(self._tables) > 1:
                self.postings -= len(self._tables.popitem(last=False)[1])
        return found


    def norms(self, searcher, fieldname: str, scorer):
        """Return (length byte per document, BM25F length part per byte) of a field, or None."""
        lengths = self.length_bytes(searcher, fieldname)
        if lengths is None:
            return None
        key = (fieldname, scorer.K1, scorer.B, scorer.avgfl)
        norm = self._norms.get(key)
        if norm is None:
            K1, B, avgfl = scorer.K1, scorer.B, scorer.avgfl
            norm = self._norms[key] = [K1 * ((1 - B) + B * byte_to_length(b) / avgfl) if b else None
                                       for b in range(256)]
        return lengths, norm

    def union_table(self, searcher, words: list) -> dict[int, float]:
        """Return the summed scores of ORed terms (a word in title, summary and text), computed once."""
        return self.cached(("or", tuple(words)), lambda: self._union_of(searcher, words))

    def _union_of(self, searcher, words: list) -> dict[int, float]:
        # The parts are not kept: the union holds every document they do, and the budget is better spent on words.
        with self._lock:
            parts = [self._tables.get(word) for word in words]
        parts = [part if part is not None else self.compute(searcher, fieldname, text)
                 for part, (fieldname, text) in zip(parts, words)]
        return _union(parts)

    def phrase_table(self, searcher, q) -> dict[int, float]:
        """Return the score of a phrase in every document that holds it, found once by Whoosh's phrase matcher."""
        return self.cached(("phrase", q.fieldname, tuple(q.words), q.slop), lambda: _matched_scores(searcher, q))

    def page_phrase_table(self, searcher, q: "PagePhrase") -> dict[int, float]:
        """Return the score of a phrase in the documents whose pages hold it, scored in the document's text.

        The score is what Whoosh gives a phrase in a field with positions: the sum of its words' scores.
        """
        return self.cached(("pagephrase", q.fieldname, tuple(q.words), q.slop),
                           lambda: self._page_phrase_scores(searcher, q))

    def _page_phrase_scores(self, searcher, q: "PagePhrase") -> dict[int, float]:
        owners = self.owners(searcher)
        pages = searcher.docs_for_query(wq.Phrase(PAGE_FIELDS[q.fieldname], q.words, slop=q.slop))
        docs = {owners[page] for page in pages}
        docs.discard(-1)
        words = [self.table(searcher, q.fieldname, word) for word in q.words]
        return {d: sum(w[d] for w in words) for d in sorted(docs) if all(d in w for w in words)}

    def owners(self, searcher):
        """Return the docnum of its document entry for every entry of the index (-1 where there is none)."""
        if self._owners is None:
            reader = searcher.reader()
            ids = list(reader.column_reader("id"))  # one pass over a column: no stored fields to unpickle
            doc_of = {ids[d]: d for d in searcher.docs_for_query(wq.Term("kind", "doc"))}
            self._owners = array("i", (doc_of.get(value, -1) for value in ids))
        return self._owners

    def length_bytes(self, searcher, fieldname: str):
        """Return the stored length byte of this field for every document (0 for none), or None."""
        if fieldname not in self._lengths:
            try:
                reader = searcher.reader()
                column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                values = (_length_bytes_fast(column, reader.doc_count_all()) or column.load()) \
                    if column is not None else None
                if values is not None and len(values) != reader.doc_count_all():
                    values = None
            except (AttributeError, TypeError):
                values = None  # another codec: score posting by posting instead
            self._lengths[fieldname] = values
        return self._lengths[fieldname]


def _length_bytes_fast(column, size: int):
    """Return a one-byte numeric column as an array read in one piece, or None for any other column."""
    # Whoosh's load() unpacks the column value by value: 0.15 s per field at 220,000 entries, on the first search
    # of every generation. Its bytes are the values for the first _count documents; the rest have the default.
    if not (isinstance(column, NumericColumn.Reader) and column._typecode == "B" and column._fixedlen == 1):
        return None
    values = array("B", column._dbfile.get(column._basepos, column._count))
    if len(values) != column._count:
        return None
    values.extend(repeat(column._default, size - column._count))
    return values


def _matched_scores(searcher, q) -> dict[int, float]:
    """Return {docnum: score} of every entry a query matches, walking Whoosh's own matcher once."""
    found = {}
    m = q.matcher(searcher, searcher.context())
    while m.is_active():
        found[m.id()] = m.score()
        m.next()
    return found


def common_word_tables(searcher, fields, min_postings: int):
    """Yield (field, text, {docnum: score}) for each word of the fields found in at least min_postings entries."""
    reader, owner = searcher.reader(), TermScores()
    for fieldname in fields:
        if fieldname not in searcher.schema:
            continue
        field = searcher.schema[fieldname]
        common = [btext for btext, info in reader.iter_field(fieldname) if info.doc_frequency() >= min_postings]
        for btext in common:
            text = field.from_bytes(btext)
            yield fieldname, text, _score_table(searcher, fieldname, text, owner)


def _score_table(searcher, fieldname: str, text, owner: TermScores | None = None) -> dict[int, float]:
    field = searcher.schema[fieldname] if fieldname in searcher.schema else None
    if field is None:
        return {}
    try:
        btext = field.to_bytes(text)
    except ValueError:
        return {}
    if (fieldname, btext) not in searcher.reader():
        return {}
    m = searcher.postings(fieldname, btext)
    scorer = getattr(m, "scorer", None)
    if searcher.is_atomic() and isinstance(scorer, WeightLengthScorer) and hasattr(m, "_next_block"):
        norms = owner.norms(searcher, fieldname, scorer) if owner and type(scorer) is BM25FScorer else None
        return _block_scores(m, scorer, norms)
    table = {}  # anything unusual: Whoosh's own per-posting scoring, same numbers, only slower
    while m.is_active():
        table[m.id()] = m.score()
        m.next()
    return table


def _block_scores(m, scorer, norms=None) -> dict[int, float]:
    """Read a posting list a block at a time (ids and weights arrive as arrays) and score each posting."""
    score, length = scorer._score, scorer.dfl
    if norms is not None:
        # whoosh.scoring.bm25 with its length part looked up per document: the same operations in the same
        # order, so the same floats, without four calls per posting to find a document's field length.
        idf, K1 = scorer.idf, scorer.K1
        lengths, norm = norms
    table = {}
    while m.is_active():
        if m._ids is None:
            if m._data is None:
                m._read_data()
            # Ids are stored as gaps: itertools.accumulate adds them up in C (whoosh's delta_decode is a generator).
            m._ids = m._data[0] if m._byteids else tuple(accumulate(m._data[0]))
        if m._weights is None:
            m._read_weights()
        ids, weights = m._ids[m._i:], m._weights[m._i:]
        if norms is not None:
            table.update({d: idf * ((w * (K1 + 1)) / (w + norm[lengths[d]])) for d, w in zip(ids, weights)})
        else:
            for docnum, weight in zip(ids, weights):
                table[docnum] = score(weight, length(docnum))
        if m._lastblock:
            break
        m._next_block()
    return table


def query_scores(terms: TermScores, searcher, q) -> dict[int, float] | None:
    """Return {docnum: score} of every entry the query matches, as Whoosh scores them; None when not handled."""
    if isinstance(q, wq.Term) and type(q) is wq.Term:
        return terms.table(searcher, q.fieldname, q.text) if q.boost == 1.0 else None
    if isinstance(q, _NullQuery):
        return {}
    if type(q) is wq.Phrase and q.boost == 1.0:  # checking positions is slow in Python: once per generation
        return terms.phrase_table(searcher, q)
    if type(q) is PagePhrase and q.boost == 1.0 and q.on_pages(searcher):
        return terms.page_phrase_table(searcher, q)
    if type(q) is wq.Or and q.boost == 1.0 and not q.minmatch and not q.scale:
        words = plain_terms(q)
        if words is not None:  # one word in several fields: an index fact too, kept like a term's table
            return terms.union_table(searcher, words)
        parts = [query_scores(terms, searcher, s) for s in q.subqueries]
        if any(p is None for p in parts):
            return None
        return _union(parts)
    if type(q) is wq.And and q.boost == 1.0:
        words = [plain_terms(s) for s in q.subqueries]
        if all(w is not None for w in words):  # all of some plain words: a popular query is asked again and again
            return terms.cached(("and", tuple(tuple(w) for w in words)),
                                lambda: _intersection([terms.union_table(searcher, w) for w in words]))
        parts = [query_scores(terms, searcher, s) for s in q.subqueries]
        if any(p is None for p in parts):
            return None
        return _intersection(parts)
    if type(q) is wq.AndNot and q.boost == 1.0:  # "a -b": a's scores, without the documents b matches
        positive, negative = query_scores(terms, searcher, q.a), query_scores(terms, searcher, q.b)
        if positive is None or negative is None:
            return None
        return {d: s for d, s in positive.items() if d not in negative} if negative else positive
    return None


def _union(parts: list[dict]) -> dict[int, float]:
    parts = [p for p in parts if p]
    if not parts:
        return {}
    if len(parts) == 1:
        return parts[0]
    # Start from the largest table (copied in C) and add the smaller ones into it.
    largest = max(parts, key=len)
    out = dict(largest)
    get = out.get
    for part in parts:
        if part is not largest:
            for docnum, score in part.items():
                out[docnum] = get(docnum, 0.0) + score
    return out


def _intersection(parts: list[dict]) -> dict[int, float]:
    if not parts or any(not p for p in parts):
        return {}
    if len(parts) == 1:
        return parts[0]
    smallest = min(parts, key=len)
    common = set(smallest)
    for part in parts:
        if part is not smallest:
            common.intersection_update(part.keys())
    if len(parts) == 2:  # the usual two or three words, without a generator per document
        a, b = parts
        return {d: a[d] + b[d] for d in common}
    if len(parts) == 3:
        a, b, c = parts
        return {d: a[d] + b[d] + c[d] for d in common}
    return {d: sum(p[d] for p in parts) for d in common}


def top(scores: dict[int, float], docnums, limit: int) -> list[int]:
    """Return the best `limit` docnums, higher score first and the lower docnum first on a tie, as Whoosh does."""
    if limit <= 0:
        return []
    best = heapq.nlargest(limit, docnums, key=scores.__getitem__)
    if not best:
        return []
    # nlargest may pick any of several documents tied with the last place: take them all, then order exactly.
    floor = scores[best[-1]]
    tied = [d for d in docnums if scores[d] == floor] if len(best) == limit else []
    chosen = set(best).union(tied)
    return sorted(chosen, key=lambda d: (-scores[d], d))[:limit]


MAX_BLOCK_MAPS = 5000  # terms whose block map is kept per index; a map is two short lists


class BlockMaps:
    """Where each block of a term's postings starts and which docnum ends it, per term of one index generation.

    Whoosh's postings have no skip list: reaching a page far down a posting list reads the header of every block
    on the way. With this map, a page is found by bisection and only the block that holds it is read.
    """

    def __init__(self, limit: int = MAX_BLOCK_MAPS):
        self.limit = limit
        self._maps: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def find(self, searcher, fieldname: str, btext: bytes, docnums, terms: TermScores | None = None) -> dict:
        """Return {docnum: (score, encoded value or None)} for the given sorted docnums that hold the term.

        The value is the posting's raw bytes (positions and characters): decoding is left to the caller, which
        needs it only for the pages it shows. None when the postings are not of the expected kind.
        """
        m = searcher.postings(fieldname, btext)
        if not (hasattr(m, "_goto") and hasattr(m, "_baseoffset")):
            return None
        key = (fieldname, btext)
        with self._lock:
            blocks = self._maps.get(key)
            if blocks is not None:
                self._maps.move_to_end(key)
        if blocks is None:
            blocks = _block_map(searcher.postings(fieldname, btext))
            with self._lock:
                self._maps[key] = blocks
                while len(self._maps) > self.limit:
                    self._maps.popitem(last=False)
        maxids, offsets = blocks
        chars = m.format.supports("characters")
        scorer = m.scorer
        # BM25F from the weight and the field's length table, as _block_scores does: the same floats as score().
        norms = terms.norms(searcher, fieldname, scorer) if terms is not None and type(scorer) is BM25FScorer else None
        if norms is not None:
            lengths, norm = norms
            idf, K1 = scorer.idf, scorer.K1
        found, current = {}, 0  # a new matcher stands on block 0
        for docnum in docnums:
            k = bisect_left(maxids, docnum)
            if k == len(maxids):
                break
            if k != current:
                m._atend = False
                m._goto(offsets[k])
                current = k
            if m._ids is None:
                m._read_ids()
            i = bisect_left(m._ids, docnum)
            if i < m._blocklength and m._ids[i] == docnum:
                m._i = i
                if norms is not None:
                    w = m.weight()
                    score = idf * ((w * (K1 + 1)) / (w + norm[lengths[docnum]]))
                else:
                    score = m.score()
                found[docnum] = (score, m.value() if chars else None)
        return found


BLOCK_HEAD = 64  # bytes that hold a block's length and its pickled info tuple (about 30 bytes in whoosh3)


def _block_map(m) -> tuple[list[int], list[int]]:
    """Return the last docnum and the offset of every block of a posting list, reading only block headers."""
    try:
        return _block_map_fast(m)
    except Exception:  # not the layout expected: walk the blocks with Whoosh's own reader
        pass
    m.reset()
    maxids, offsets, position = [], [], m._baseoffset
    while True:
        maxids.append(m._maxid)
        offsets.append(position)
        if m._lastblock:
            return maxids, offsets
        position = m._nextoffset
        m._goto(position)


def _block_map_fast(m) -> tuple[list[int], list[int]]:
    # The header of a whoosh3 block is a signed int (its length, negative for the last block) and a pickled
    # (count, maxid, ...) tuple. pickle.loads ignores bytes after the pickle, so one small read per block does,
    # where _goto seeks and unpickles from a file object: half the time for a long list.
    get, loads, maxids, offsets, position = m._postfile.get, pickle.loads, [], [], m._baseoffset
    while True:
        head = get(position, BLOCK_HEAD)
        length = unpack_int(head[:_INT_SIZE])[0]
        maxids.append(loads(head[_INT_SIZE:])[1])
        offsets.append(position)
        if length < 0:
            return maxids, offsets
        position += _INT_SIZE + length


def plain_terms(q) -> list | None:
    """Return the (field, text) terms of a query that is only ORed words, in query order; None for anything else."""
    if type(q) is wq.Term:
        return [(q.fieldname, q.text)] if q.boost == 1.0 else None
    if type(q) is wq.Or and q.boost == 1.0 and not q.minmatch and not q.scale:
        out = []
        for sub in q.subqueries:
            terms = plain_terms(sub)
            if terms is None:
                return None
            out += terms
        return out
    return None


# ---------------------------------------------------------------- phrases in text without positions

# Document-level fields stored without word positions, and the page field that has them for the same text.
PAGE_FIELDS = {"content": "page_text", "content_en": "page_text_en"}


class PagePhrase(wq.Phrase):
    """A phrase in a document's text, found on its pages: the document-level field keeps no word positions.

    A phrase that runs across a page break is not found; everything else matches and scores as a Phrase would.
    """

    def on_pages(self, searcher) -> bool:
        """Tell whether this index keeps the field without positions (an index from before schema 3 has them)."""
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        return bool(field is not None and field.format and not field.format.supports("positions")
                    and PAGE_FIELDS.get(self.fieldname) in searcher.schema)

    def matcher(self, searcher, context=None):
        if not self.on_pages(searcher):
            return super().matcher(searcher, context)
        scores = attached_tables(searcher).page_phrase_table(searcher, self)
        if not scores:
            return NullMatcher()
        ids = sorted(scores)
        m = ListMatcher(ids, weights=[scores[d] for d in ids])  # without a scorer, a posting's score is its weight
        return WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


def attached_tables(searcher) -> TermScores:
    """Return the term tables the query service keeps for this searcher's generation, or fresh ones."""
    # Whoosh also calls matcher() with per-segment searchers, which have no tables: docnums differ there.
    terms = getattr(getattr(searcher, "_kb_cache", None), "terms", None)
    return terms if isinstance(terms, TermScores) else TermScores()


def phrases_on_pages(q):
    """Return the query with every phrase in a document-level text field replaced by a PagePhrase."""
    if type(q) is wq.Phrase and q.fieldname in PAGE_FIELDS:
        return PagePhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost, char_ranges=q.char_ranges)
    return q.apply(phrases_on_pages)
