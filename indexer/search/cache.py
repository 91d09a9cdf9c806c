"""What the query service keeps per index generation: which entries are documents, facet values, score tables.

Built once per searcher; a searcher kept open across requests (search_app.indexes) keeps it for its
generation, and later searchers on the same index share it.
"""
from __future__ import annotations

import threading
import weakref
from pathlib import Path

from whoosh import query as wq
from whoosh.reading import TermNotFound

from ..index import scoretables
from .facets import FACET_FIELDS, MULTI_VALUED, bitmap
from .pages import BlockMaps
from .phrases import bind_tables
from .tables import TermScores


class SearcherCache:
    """What stays true for one searcher's index: which entries are documents and each document's facet values.

    Built once per searcher; a searcher kept open across requests (search_app.indexes) keeps it for its
    generation, so facet counts and filters become set operations instead of column scans per request.
    """

    def __init__(self, searcher, index_folder: str | Path | None = None):
        reader = searcher.reader()
        size = self.size = reader.doc_count_all()  # entries: documents and pages
        self.key = index_key(searcher)
        # BM25F score tables of the terms searched so far (indexer.search.tables), and those the build stored
        # beside the index in index_folder (indexer.index.scoretables)
        stored = scoretables.open_for(searcher, index_folder) if index_folder is not None else None
        self.terms = TermScores(stored=stored)
        self.blocks = BlockMaps()  # where the posting blocks of page words start, to reach the pages shown
        self.docs = frozenset(searcher.docs_for_query(wq.Term("kind", "doc")))
        self.values: dict[str, list] = {}    # facet -> value per docnum ("" for none; a tuple for MULTI_VALUED)
        self.by_value: dict[str, dict[str, frozenset]] = {}  # facet -> value -> docnums
        for name in FACET_FIELDS:
            multi = name in MULTI_VALUED
            values: list = [()] * size if multi else [""] * size
            groups = {}
            field_obj = searcher.schema[name] if name in searcher.schema else None  # an index of an older schema
            for btext in reader.lexicon(name) if field_obj is not None else ():
                value = field_obj.from_bytes(btext)
                docnums = frozenset(reader.postings(name, btext).all_ids())
                groups[value] = docnums
                for docnum in docnums:
                    values[docnum] = values[docnum] + (value,) if multi else value
            self.values[name], self.by_value[name] = values, groups
        # Replaced documents: docnum -> the id of the document that replaces it (the catalogue's `vervangt`).
        self.superseded: dict[int, str] = {}
        if "superseded_by" in searcher.schema:
            field_obj = searcher.schema["superseded_by"]
            for btext in reader.lexicon("superseded_by"):
                successor = field_obj.from_bytes(btext)
                for docnum in reader.postings("superseded_by", btext).all_ids():
                    self.superseded[docnum] = successor
        self._pages: dict[str, tuple[int, ...]] = {}
        # Which segments hold each document id (one: its entry and pages are written together), so that a
        # document's pages are looked up there and not in every segment. Read from the id lexicons at once.
        self._leaves_of: dict[bytes, list[int]] | None = None
        if not reader.is_atomic() and "id" in searcher.schema:
            self._leaves_of = {}
            for n, (leaf, _offset) in enumerate(reader.leaf_readers()):
                for btext in leaf.lexicon("id"):
                    self._leaves_of.setdefault(btext, []).append(n)
        self._docnums: dict[str, int | None] = {}
        self._masks: dict[str, dict[str, int]] = {}

    def masks(self, name: str) -> dict[str, int]:
        """Return a bitmap (indexer.search.facets.bitmap) of the documents with each value of a facet, made once."""
        found = self._masks.get(name)
        if found is None:
            found = self._masks[name] = {v: bitmap(docnums, self.size) for v, docnums in self.by_value[name].items()}
        return found

    def docnum_of(self, searcher, doc_id: str) -> int | None:
        """Return the docnum of a document's entry (None when this index does not hold it), looked up once."""
        if doc_id not in self._docnums:
            self._docnums[doc_id] = searcher.document_number(uid=f"doc:{doc_id}")
        return self._docnums[doc_id]

    def pages_of(self, searcher, doc_id: str) -> tuple[int, ...]:
        """Return the page entries of a document (its id term without the document entry), read once.

        Only documents with pages are kept, so asking for ids that do not exist cannot grow the map beyond the
        index's own documents.
        """
        pages = self._pages.get(doc_id)
        if pages is None:
            docs, btext, found = self.docs, searcher.schema["id"].to_bytes(doc_id), []
            leaves = list(searcher.reader().leaf_readers())
            if self._leaves_of is not None and len(leaves) > 1:
                leaves = [leaves[n] for n in self._leaves_of.get(btext, ())]
            # The segment's postings of the id term, without a query (whose scorer reads the term's info again).
            for leaf, offset in leaves:
                try:
                    found += [offset + d for d in leaf.postings("id", btext).all_ids()]
                except TermNotFound:  # not in this segment
                    continue
            pages = tuple(d for d in found if d not in docs)
            if pages:
                self._pages[doc_id] = pages
        return pages


_LOCK = threading.Lock()
# searcher -> its SearcherCache; a searcher that is closed and dropped takes its entry with it.
_CACHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def index_key(searcher) -> tuple:
    """Identify the exact index content a searcher reads: its segments and their deletions."""
    return tuple(tuple(part) for part in scoretables.segment_key(searcher.reader()))


def searcher_cache(searcher, index_folder: str | Path | None = None) -> SearcherCache:
    """Return the cache of a searcher, building it on first use (with the build's score tables when the index
    folder is given)."""
    cache = _CACHES.get(searcher)
    if cache is None:
        with _LOCK:
            cache = _CACHES.get(searcher)
            if cache is None:
                cache = _CACHES[searcher] = SearcherCache(searcher, index_folder)
                bind_tables(searcher, cache.terms)
    return cache


WARM_FIELDS = ("title", "summary", "content", "page_text")


def warm(searcher, index_folder: str | Path | None = None) -> None:
    """Build what the first search on a new index would: facet maps, and the field lengths that ranking reads."""
    cache = searcher_cache(searcher, index_folder)
    for fieldname in WARM_FIELDS:
        if fieldname in searcher.schema:
            cache.terms.norms.length_bytes(searcher, fieldname)


def built_cache(searcher) -> SearcherCache | None:
    """Return the cache a searcher has built, or None."""
    return _CACHES.get(searcher)


def share_cache(searcher, cache: SearcherCache) -> bool:
    """Let a new searcher on the same index use a cache another searcher built; False when the index differs."""
    with _LOCK:
        if searcher in _CACHES or cache.key != index_key(searcher):
            return False
        _CACHES[searcher] = cache
        bind_tables(searcher, cache.terms)
        return True
