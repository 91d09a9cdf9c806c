"""Per-generation BM25F score tables: {docnum: score} per word, phrase and query part, least recently used dropped.

Whoosh scores a match by walking a tree of matchers in Python, posting by posting, for every request. The BM25F
score of one term in one document depends only on the index (term weight, field length, idf), so it is computed
once per term and kept while the index generation lives; a query of plain words is then answered by adding
dictionaries (indexer.search.ranking).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from ..index.termscores import FieldNorms, score_table
from .phrases import PagePhrase, document_entries_of, page_phrase_scores

# Postings kept in score tables per index, about 55 bytes each: a common word of a 20,000-document index has
# ~10,000-15,000, so this keeps the 300-400 most recently searched words of such an index in ~220 MB.
MAX_POSTINGS = 4_000_000
# Tables kept per index, whatever their size: most random words are in no document, and an empty table still
# costs its key and entry (~300 bytes), so misses are bounded by count as well as by their share of the budget.
MAX_TABLES = 20_000
ENTRY_COST = 6  # an entry and its key cost about as much as 6 postings, even when the table is empty


def entry_cost(key, table: dict) -> int:
    """Return what a kept table costs in postings: its postings, the entry, and the key's length."""
    return len(table) + ENTRY_COST + len(repr(key)) // 55


class TermScores:
    """{docnum: score} per (field, term) of one index generation, least recently used tables dropped first."""

    def __init__(self, limit: int = MAX_POSTINGS, stored=None, max_tables: int = MAX_TABLES):
        self.limit = limit
        self.max_tables = max_tables
        self.stored = stored  # the build's tables of common words (indexer.index.scoretables.ScoreFile), or None
        self.postings = 0  # the cost (entry_cost) of every table kept, in postings
        self._tables: OrderedDict = OrderedDict()  # key -> (table, cost)
        self.norms = FieldNorms()  # field -> length byte per document, read once
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
        return score_table(searcher, fieldname, text, self.norms)

    def cached(self, key, build) -> dict[int, float]:
        """Return the table kept under key, or build, keep and return it."""
        with self._lock:
            kept = self._tables.get(key)
            if kept is not None:
                self._tables.move_to_end(key)
                return kept[0]
        return self._keep(key, build())

    def _keep(self, key, found: dict) -> dict:
        with self._lock:
            if key not in self._tables:
                cost = entry_cost(key, found)
                self._tables[key] = (found, cost)
                self.postings += cost
            while len(self._tables) > 1 and (self.postings > self.limit or len(self._tables) > self.max_tables):
                self.postings -= self._tables.popitem(last=False)[1][1]
        return found

    def __len__(self) -> int:
        return len(self._tables)

    def union_table(self, searcher, words: list) -> dict[int, float]:
        """Return the summed scores of ORed terms (a word in title, summary and text), computed once."""
        return self.cached(("or", tuple(words)), lambda: self._union_of(searcher, words))

    def _union_of(self, searcher, words: list) -> dict[int, float]:
        # The parts are not kept: the union holds every document they do, and the budget is better spent on words.
        with self._lock:
            parts = [self._tables.get(word, (None,))[0] for word in words]
        parts = [part if part is not None else self.compute(searcher, fieldname, text)
                 for part, (fieldname, text) in zip(parts, words)]
        return union(parts)

    def phrase_table(self, searcher, q) -> dict[int, float]:
        """Return the score of a phrase in every document that holds it, found once by Whoosh's phrase matcher."""
        return self.cached(("phrase", q.fieldname, tuple(q.words), q.slop), lambda: matched_scores(searcher, q))

    def page_phrase_table(self, searcher, q: PagePhrase) -> dict[int, float]:
        """Return the score of a phrase in the documents whose pages hold it, scored in the document's text.

        The score is what Whoosh gives a phrase in a field with positions: the sum of its words' scores.
        """
        return self.cached(("pagephrase", q.fieldname, tuple(q.words), q.slop),
                           lambda: page_phrase_scores(searcher, q, lambda f, w: self.table(searcher, f, w),
                                                      self.owners(searcher)))

    def owners(self, searcher):
        """Return the docnum of its document entry for every entry of the index (-1 where there is none)."""
        if self._owners is None:
            self._owners = document_entries_of(searcher)
        return self._owners


def matched_scores(searcher, q) -> dict[int, float]:
    """Return {docnum: score} of every entry a query matches, walking Whoosh's own matcher once."""
    found = {}
    m = q.matcher(searcher, searcher.context())
    while m.is_active():
        found[m.id()] = m.score()
        m.next()
    return found


def union(parts: list[dict]) -> dict[int, float]:
    """Return the summed scores of the documents in any of the tables (an OR)."""
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


def intersection(parts: list[dict]) -> dict[int, float]:
    """Return the summed scores of the documents in all of the tables (an AND)."""
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
