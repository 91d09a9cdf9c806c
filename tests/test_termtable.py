"""Document counts read straight from a segment's term table: Whoosh's iter_field gives the same, field by field."""
from __future__ import annotations

import pytest

from bench.corpus_gen import CorpusGenerator, Vocabulary
from bench.synthetic_index import build_ours
from indexer.index import internals, parallel, segments, store, termtable
from indexer.index.termscores import common_word_tables

WORDS = Vocabulary.from_frequencies([("de", 60), ("van", 30), ("beleid", 5), ("wijk", 4), ("bewoners", 4),
                                     ("overleg", 3), ("jongeren", 3), ("ordeverstoringen", 2), ("één", 1)])


@pytest.fixture(params=[True, False], ids=["direct-writer", "whoosh-writer"])
def several(request, tmp_path, monkeypatch):
    """A 24-document synthetic index in several segments, written by the direct writer or by Whoosh's own."""
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    monkeypatch.setattr(parallel, "DIRECT_WRITER", request.param)
    build_ours(tmp_path / "index", CorpusGenerator(WORDS, seed=3), 24, jobs=1)
    ix = store.open_index(store.current_generation(tmp_path / "index"), "all")
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) > 1
        yield searcher


def test_every_fields_counts_are_whooshs(several):
    leaves = [leaf for leaf, _offset in several.reader().leaf_readers()]
    for fieldname in sorted(name for name, field in several.schema.items() if field.indexed):
        for leaf in leaves:
            expected = [(btext, leaf.doc_frequency(fieldname, btext)) for btext in leaf.lexicon(fieldname)]
            assert termtable.doc_frequencies(leaf, fieldname) == expected, fieldname
    assert all(termtable.doc_frequencies(leaf, "geen_veld") == [] for leaf in leaves)
    assert sum(len(termtable.doc_frequencies(leaf, "content")) for leaf in leaves) > 20


def test_the_score_tables_are_those_of_the_public_path(several):
    fields = ("title", "summary", "content")
    fast = list(common_word_tables(several, fields, 10))
    with internals.public_api_only():
        assert termtable.doc_frequencies(several.reader().leaf_readers()[0][0], "content") is None
        assert list(common_word_tables(several, fields, 10)) == fast
    assert {text for _field, text, _table in fast} >= {"wijk", "beleid"}
