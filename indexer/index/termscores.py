"""BM25F score tables of single words: {docnum: score} read from a word's postings, as Whoosh scores them.

An index fact, computed at build time for the stored tables (indexer.index.scoretables) and at query time by
ranking (indexer.search). The fast block reads live in indexer.index.internals; everything here is public API.
"""
from __future__ import annotations

from whoosh.reading import TermNotFound
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from . import internals, termtable


class FieldNorms:
    """The length byte of every document per field and BM25F's length part per byte, read once per index."""

    def __init__(self):
        self._lengths: dict[str, object] = {}
        self._norms: dict[tuple, list] = {}

    @property
    def loaded(self) -> frozenset[str]:
        """The fields whose lengths have been read (an index warmed up has its text fields here)."""
        return frozenset(name for name, values in self._lengths.items() if values is not None)

    def length_bytes(self, searcher, fieldname: str):
        """Return the stored length byte of this field for every document (0 for none), or None."""
        if fieldname not in self._lengths:
            self._lengths[fieldname] = internals.length_bytes(searcher.reader(), fieldname)
        return self._lengths[fieldname]

    def norms(self, searcher, fieldname: str, scorer):
        """Return (length byte per document, BM25F length part per byte) of a field, or None."""
        if type(scorer) is not BM25FScorer:
            return None
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


def score_table(searcher, fieldname: str, text, norms: FieldNorms | None = None) -> dict[int, float]:
    """Return the score of a word in every document that holds it (empty when the index lacks it)."""
    field = searcher.schema[fieldname] if fieldname in searcher.schema else None
    if field is None:
        return {}
    try:
        btext = field.to_bytes(text)
    except ValueError:
        return {}
    if (fieldname, btext) not in searcher.reader():
        return {}
    table = _block_scores(searcher, fieldname, btext, norms)
    if table is not None:
        return table
    m = searcher.postings(fieldname, btext)
    table = {}  # Whoosh's own per-posting scoring: the same numbers, only slower
    while m.is_active():
        table[m.id()] = m.score()
        m.next()
    return table


def _block_scores(searcher, fieldname: str, btext: bytes, norms: FieldNorms | None) -> dict[int, float] | None:
    """Score a word's postings a block at a time, segment by segment (docnums index-wide), or return None.

    Each segment's scorer takes idf and average length from the whole index, as Whoosh's own does. Scored from
    the length table (norms), that is all a scorer gives, so the first segment's serves the others, which are
    read without one: a scorer per segment read the word's info in every segment again (on an index of 8
    segments, about a quarter of what a first search spent on its words beyond one segment's cost).
    """
    leaves = [(searcher, 0)] if searcher.is_atomic() else searcher.leaf_searchers()
    table, shared = {}, None
    for sub, offset in leaves:
        try:
            m = sub.reader().postings(fieldname, btext) if shared else sub.postings(fieldname, btext)
        except TermNotFound:  # not in this segment
            continue
        scorer = shared or getattr(m, "scorer", None)
        lengths_norm = norms.norms(searcher, fieldname, scorer) if norms else None
        part = internals.posting_scores(m, lengths_norm, offset, scorer=scorer)
        if part is None:
            return None
        if lengths_norm is not None:
            shared = scorer
        table.update(part)
    return table


def common_word_tables(searcher, fields, min_postings: int):
    """Yield (field, text, {docnum: score}) for each word of the fields found in at least min_postings entries."""
    reader, norms = searcher.reader(), FieldNorms()
    if reader.doc_count_all() < min_postings:  # no word can be in that many entries
        return
    for fieldname in fields:
        if fieldname not in searcher.schema:
            continue
        field = searcher.schema[fieldname]
        # Counted segment by segment: Whoosh's walk over several segments merges their term lists in Python.
        counts: dict[bytes, int] = {}
        for leaf, _offset in reader.leaf_readers():
            found = termtable.doc_frequencies(leaf, fieldname)
            if found is None:  # not the format termtable reads: Whoosh's walk
                found = ((btext, info.doc_frequency()) for btext, info in leaf.iter_field(fieldname))
            for btext, df in found:
                counts[btext] = counts.get(btext, 0) + df
        common = sorted(btext for btext, n in counts.items() if n >= min_postings)
        for btext in common:
            yield fieldname, field.from_bytes(btext), score_table(searcher, fieldname, field.from_bytes(btext), norms)
