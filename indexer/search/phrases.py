"""Phrases in a document's text, found on its pages: the document-level text keeps no word positions (schema 3)."""
from __future__ import annotations

import weakref
from array import array

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher, WrappingMatcher

from ..index.termscores import score_table

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
        tables = _BOUND.get(searcher)
        scores = tables.page_phrase_table(searcher, self) if tables is not None else page_phrase_scores(searcher, self)
        if not scores:
            return NullMatcher()
        ids = sorted(scores)
        m = ListMatcher(ids, weights=[scores[d] for d in ids])  # without a scorer, a posting's score is its weight
        return WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


# The query service's score tables per searcher (indexer.search.tables). Whoosh also calls matcher() with
# per-segment searchers, which have none (their docnums differ): those score the phrase afresh.
_BOUND: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def bind_tables(searcher, tables) -> None:
    """Let phrases searched with this searcher use (and fill) the generation's score tables."""
    _BOUND[searcher] = tables


def page_phrase_scores(searcher, q: PagePhrase, table=None, owners=None) -> dict[int, float]:
    """Return the score of a phrase in the documents whose pages hold it, scored in the document's text.

    The score is what Whoosh gives a phrase in a field with positions: the sum of its words' scores. `table`
    returns a word's scores and `owners` each entry's document entry, where a cache has them.
    """
    table = table or (lambda fieldname, word: score_table(searcher, fieldname, word))
    owners = owners if owners is not None else document_entries_of(searcher)
    pages = searcher.docs_for_query(wq.Phrase(PAGE_FIELDS[q.fieldname], q.words, slop=q.slop))
    docs = {owners[page] for page in pages}
    docs.discard(-1)
    words = [table(q.fieldname, word) for word in q.words]
    return {d: sum(w[d] for w in words) for d in sorted(docs) if all(d in w for w in words)}


def document_entries_of(searcher) -> array:
    """Return the docnum of its document entry for every entry of the index (-1 where there is none)."""
    reader = searcher.reader()
    if not reader.has_column("id"):  # no entries at all (the public index of a folder of members-only PDFs)
        return array("i")
    ids = list(reader.column_reader("id"))  # one pass over a column: no stored fields to unpickle
    doc_of = {ids[d]: d for d in searcher.docs_for_query(wq.Term("kind", "doc"))}
    return array("i", (doc_of.get(value, -1) for value in ids))


def phrases_on_pages(q):
    """Return the query with every phrase in a document-level text field replaced by a PagePhrase."""
    if type(q) is wq.Phrase and q.fieldname in PAGE_FIELDS:
        return PagePhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost, char_ranges=q.char_ranges)
    return q.apply(phrases_on_pages)
