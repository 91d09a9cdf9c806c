"""Rank from score tables: set algebra on cached scores instead of walking postings per query.

A query of words, AND, OR, NOT and phrases is answered from the tables of indexer.search.tables with the same
scores as Whoosh's own ranking. Anything else (wildcards, boosts, ranges) returns None here and goes through
Whoosh's matchers.
"""
from __future__ import annotations

import heapq

from whoosh import query as wq

from .phrases import PagePhrase
from .tables import TermScores, intersection, union


def query_scores(terms: TermScores, searcher, q) -> dict[int, float] | None:
    """Return {docnum: score} of every entry the query matches, as Whoosh scores them; None when not handled."""
    if isinstance(q, wq.Term) and type(q) is wq.Term:
        return terms.table(searcher, q.fieldname, q.text) if q.boost == 1.0 else None
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
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
        return union(parts)
    if type(q) is wq.And and q.boost == 1.0:
        words = [plain_terms(s) for s in q.subqueries]
        if all(w is not None for w in words):  # all of some plain words: a popular query is asked again and again
            return terms.cached(("and", tuple(tuple(w) for w in words)),
                                lambda: intersection([terms.union_table(searcher, w) for w in words]))
        parts = [query_scores(terms, searcher, s) for s in q.subqueries]
        if any(p is None for p in parts):
            return None
        return intersection(parts)
    if type(q) is wq.AndNot and q.boost == 1.0:  # "a -b": a's scores, without the documents b matches
        positive, negative = query_scores(terms, searcher, q.a), query_scores(terms, searcher, q.b)
        if positive is None or negative is None:
            return None
        return {d: s for d, s in positive.items() if d not in negative} if negative else positive
    return None


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
