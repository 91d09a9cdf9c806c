"""Rank with per-generation term score tables: set algebra on cached scores instead of walking postings per query.

Whoosh scores a match by walking a tree of matchers in Python, posting by posting, for every request. The BM25F
score of one term in one document depends only on the index (term weight, field length, idf), so it is computed
once per term and kept while the index generation lives; a query of plain words is then answered by adding
dictionaries. Anything else (phrases, wildcards, NOT, boosts) returns None here and goes through Whoosh.
"""
from __future__ import annotations

import heapq
import threading
from collections import OrderedDict

from whoosh import query as wq
from whoosh.query.qcore import _NullQuery
from whoosh.scoring import WeightLengthScorer

MAX_TABLES = 3000  # terms kept per index; a common word's table holds one float per document that has it


class TermScores:
    """{docnum: score} per (field, term) of one index generation, least recently used tables dropped first."""

    def __init__(self, limit: int = MAX_TABLES):
        self.limit = limit
        self._tables: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def table(self, searcher, fieldname: str, text) -> dict[int, float]:
        """Return the score of this term in every document that holds it."""
        key = (fieldname, text)
        with self._lock:
            found = self._tables.get(key)
            if found is not None:
                self._tables.move_to_end(key)
                return found
        found = _score_table(searcher, fieldname, text)
        with self._lock:
            self._tables[key] = found
            while len(self._tables) > self.limit:
                self._tables.popitem(last=False)
        return found


def _score_table(searcher, fieldname: str, text) -> dict[int, float]:
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
        return _block_scores(m, scorer)
    table = {}  # anything unusual: Whoosh's own per-posting scoring, same numbers, only slower
    while m.is_active():
        table[m.id()] = m.score()
        m.next()
    return table


def _block_scores(m, scorer) -> dict[int, float]:
    """Read a posting list a block at a time (ids and weights arrive as arrays) and score each posting."""
    score, length = scorer._score, scorer.dfl
    table = {}
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        for docnum, weight in zip(m._ids[m._i:], m._weights[m._i:]):
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
    if type(q) is wq.Or and q.boost == 1.0 and not q.minmatch and not q.scale:
        parts = [query_scores(terms, searcher, s) for s in q.subqueries]
        if any(p is None for p in parts):
            return None
        return _union(parts)
    if type(q) is wq.And and q.boost == 1.0:
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
    out = dict(parts[0])
    for part in parts[1:]:
        get = out.get
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
