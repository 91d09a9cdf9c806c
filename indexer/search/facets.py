"""Facets and filters: which documents a request's filters let through, and how many results have each value."""
from __future__ import annotations

from collections import Counter
from itertools import chain

from whoosh import query as wq

from .model import Facet, FacetValue, SearchRequest

FACETS = (("doctype", "Documenttype"), ("author", "Auteur"), ("year", "Jaar"), ("section", "Rubriek"),
          ("article", "Wetsartikel"))
FACET_FIELDS = tuple(name for name, _ in FACETS)
# Facets where a document has several values (the legal citations it makes most, indexer.analysis.citeterms), and
# the most values such a facet lists: a corpus cites thousands of articles, a results page shows the common ones.
MULTI_VALUED = frozenset({"article"})
MAX_VALUES = {"article": 50}


def date_range(request: SearchRequest):
    """Return the request's date range as a query on the ISO date field (a whole year or month when partial)."""
    return wq.TermRange("date", request.date_from or "0000", (request.date_to or "9999") + "\uffff")


def filter_query(request: SearchRequest):
    """Return the request's filters as a Whoosh query over document entries (for searches run by Whoosh)."""
    parts = [wq.Term("kind", "doc")]
    for name in FACET_FIELDS:
        values = request.filters.get(name) or []
        if values:
            parts.append(wq.Or([wq.Term(name, v) for v in values]))
    if request.date_from or request.date_to:
        parts.append(date_range(request))
    if request.current_only:
        parts.append(wq.Not(wq.Every("superseded_by")))  # an empty value is not indexed: only replaced ones match
    return wq.And(parts)


def allowed_docs(searcher, cache, request: SearchRequest, skip: str | None = None) -> frozenset:
    """Return the documents of a SearcherCache that the filters let through (without facet `skip`'s own filter)."""
    allowed = cache.docs
    for name in FACET_FIELDS:
        values = request.filters.get(name) or []
        if values and name != skip:
            groups = cache.by_value[name]
            allowed = allowed.intersection(frozenset().union(*(groups.get(v, frozenset()) for v in values)))
    if request.date_from or request.date_to:
        allowed = allowed.intersection(searcher.docs_for_query(date_range(request)))
    if request.current_only and cache.superseded:
        allowed = allowed.difference(cache.superseded)
    return allowed


def count_facets(cache, request: SearchRequest, matched: frozenset, found: frozenset, searcher) -> list[Facet]:
    """Count facet values; a facet with a selection is counted without its own filter (so OR stays visible)."""
    facets = []
    # Facets without a selection count the results themselves: all of them at once.
    counts = count_values(cache, [name for name in FACET_FIELDS if not request.filters.get(name)], found)
    for name, label in FACETS:
        selected = set(request.filters.get(name) or [])
        if selected:
            groups = count_values(cache, [name], matched & allowed_docs(searcher, cache, request, skip=name))[name]
        else:
            groups = counts[name]
        values = [FacetValue(v, c, v in selected) for v, c in groups.items() if v and c]
        if name == "year":
            values.sort(key=lambda fv: fv.value, reverse=True)
        else:
            values.sort(key=lambda fv: (-fv.count, fv.value.lower()))
        if name in MAX_VALUES:
            values = values[:MAX_VALUES[name]] + [fv for fv in values[MAX_VALUES[name]:] if fv.selected]
        for v in selected - {fv.value for fv in values}:
            values.append(FacetValue(v, 0, True))
        facets.append(Facet(name=name, label=label, values=values))
    return facets


def count_values(cache, names: list[str], base: frozenset) -> dict[str, dict[str, int]]:
    """Return, per facet, how many documents of base have each of its values."""
    if not names:
        return {}
    out = {name: Counter(chain.from_iterable(map(cache.values[name].__getitem__, base)))
           for name in names if name in MULTI_VALUED}  # one bitmap per cited article would cost too much memory
    names = [name for name in names if name not in MULTI_VALUED]
    if len(base) * 8 < len(cache.docs):
        return out | {name: Counter(map(cache.values[name].__getitem__, base)) for name in names}
    # Many results: one bitmap of them, and a popcount per facet value, instead of a lookup per result and facet
    # (8,500 of 20,000 documents: 1.6 ms against 3.0 ms for the four facets).
    bits = bitmap(base, cache.size)
    return out | {name: {value: (bits & mask).bit_count() for value, mask in cache.masks(name).items()}
                  for name in names}


def bitmap(docnums, size: int) -> int:
    """Return an int with bit d set for each docnum d."""
    flags = bytearray((size >> 3) + 1)
    for d in docnums:
        flags[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(flags, "little")
