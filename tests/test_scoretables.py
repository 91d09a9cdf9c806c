"""Score tables of common words, stored at build time: equal to computed ones, used only for their own segments."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from bench.corpus_gen import CorpusGenerator, Vocabulary
from bench.synthetic_index import build_ours
from indexer.index import scoretables, store
from indexer.index.pipeline import write_score_tables
from indexer.index.termscores import score_table
from indexer.search import SearchRequest, search, searcher_cache

WORDS = Vocabulary.from_frequencies([("de", 60), ("van", 30), ("het", 30), ("een", 25), ("en", 25),
                                     ("beleid", 5), ("wijk", 4), ("bewoners", 4), ("overleg", 3), ("jongeren", 3)])
QUERIES = ["bewoners", "beleid wijk", "overleg jongeren", "beleid -jongeren", "wijk OF overleg", '"de wijk"']


@pytest.fixture
def generation(tmp_path):
    """A 30-document synthetic index whose words in 5 or more entries have stored tables."""
    index = tmp_path / "index"
    build_ours(index, CorpusGenerator(WORDS, seed=5), 30)
    gen = store.current_generation(index)
    assert write_score_tables(gen, min_postings=5) > 10
    return gen


def open_searcher(gen):
    """A searcher whose query-service cache has the build's stored tables, as the app opens it."""
    searcher = store.open_index(gen, "public").searcher()
    searcher_cache(searcher, gen / "public")
    return searcher


def answers(searcher, q):
    r = search(searcher, SearchRequest(q=q))
    return (r.total, [(h.document.id, h.score, [p.page for p in h.pages]) for h in r.hits],
            [(f.name, [(v.value, v.count) for v in f.values]) for f in r.facets])


def test_stored_tables_equal_the_computed_ones(generation):
    with open_searcher(generation) as s:
        stored = scoretables.open_for(s, generation / "public")
        assert stored is not None and len(stored) > 10
        for key in json.loads((generation / "scores" / "public.json").read_text())["tables"]:
            fieldname, text = key.split("\t")
            assert stored.get(fieldname, text) == score_table(s, fieldname, text)


@pytest.mark.parametrize("q", QUERIES)
def test_search_with_stored_tables_answers_as_without(generation, q):
    with open_searcher(generation) as with_tables, store.open_index(generation, "public").searcher() as without:
        assert answers(with_tables, q) == answers(without, q)
        assert searcher_cache(with_tables).terms.stored is not None  # the comparison used the stored tables
        assert searcher_cache(without).terms.stored is None


def test_tables_of_other_segments_are_not_used(generation):
    ix = store.open_index(generation, "public")
    with ix.writer() as w:  # the index changes after its tables were written
        w.add_document(uid="doc:nieuw", kind="doc", id="nieuw", title="Nieuw beleid")
    with ix.searcher() as s:
        assert scoretables.open_for(s, generation / "public") is None
        assert search(s, SearchRequest(q="beleid")).total == 31


def test_damaged_tables_are_ignored(generation, caplog):
    folder = generation / "scores"
    with open_searcher(generation) as s:
        expected = answers(s, "beleid wijk")
    with open(folder / "public.bin", "r+b") as f:
        f.truncate(100)  # cut short: every table past the first bytes is incomplete
    with open_searcher(generation) as s:
        assert answers(s, "beleid wijk") == expected
    (folder / "public.json").write_text("{niet json", encoding="utf-8")
    with open_searcher(generation) as s:
        assert scoretables.open_for(s, generation / "public") is None
        assert answers(s, "beleid wijk") == expected
    assert "not used" in caplog.text


def test_a_copy_of_the_index_shares_its_tables(generation):
    # Without member documents `all` is a copy of `public`: its tables are linked, not computed twice.
    for suffix in (".bin", ".json"):
        assert os.path.samefile(generation / "scores" / f"all{suffix}", generation / "scores" / f"public{suffix}")


def test_build_and_update_write_tables_for_their_own_segments(built_corpus, tmp_path, monkeypatch):
    from indexer.index.update import update_index
    monkeypatch.setattr(scoretables, "MIN_POSTINGS", 3)  # the bundled corpus has a few dozen entries
    corpus, index, _ = built_corpus
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    work = tmp_path / "index"
    shutil.copytree(index, work, symlinks=True)
    (copy / "pdf" / next(p.name for p in (copy / "pdf").glob("*.pdf"))).unlink()  # a change to update
    update_index(copy, work)
    gen = store.current_generation(work)
    for name in store.INDEX_NAMES:
        with store.open_index(gen, name).searcher() as s:
            meta = json.loads((gen / "scores" / f"{name}.json").read_text())
            assert meta["key"] == scoretables.segment_key(s.reader())


def test_an_index_with_fewer_entries_than_a_table_needs_gets_no_table_file_and_the_same_answers(tmp_path):
    index = tmp_path / "index"
    build_ours(index, CorpusGenerator(WORDS, seed=5), 30)  # 30 documents and their pages: < MIN_POSTINGS entries
    gen = store.current_generation(index)
    assert not (gen / "scores").exists()
    with open_searcher(gen) as s:
        assert scoretables.open_for(s, gen / "public") is None
        without = {q: answers(s, q) for q in QUERIES}
    assert write_score_tables(gen, min_postings=5) > 10
    with open_searcher(gen) as s:
        assert scoretables.open_for(s, gen / "public") is not None
        assert {q: answers(s, q) for q in QUERIES} == without


def test_stats_says_how_many_words_have_stored_tables(generation, runner):
    from indexer.cli import main
    r = runner.invoke(main, ["stats", "--index", str(generation.parent)])
    words = len(json.loads((generation / "scores" / "public.json").read_text())["tables"])
    assert r.exit_code == 0, r.output
    assert "Index 'public': " in r.output and f"scoretabellen van {words} veelvoorkomende woorden" in r.output
    info = json.loads(runner.invoke(main, ["stats", "--json", "--index", str(generation.parent)]).output)
    assert info["score_tables"]["public"]["words"] == words and info["score_tables"]["public"]["bytes"] > 0


def test_tables_for_another_weighting_are_not_used(generation):
    meta_path = generation / "scores" / "public.json"
    meta = json.loads(meta_path.read_text())
    assert meta["scoring"] == ["BM25F", 0.75, 1.2]
    meta["scoring"] = ["BM25F", 0.5, 1.2]  # as if written by a build that ranked with another B
    os.unlink(meta_path)  # a link shared with all.json: write a file of its own
    meta_path.write_text(json.dumps(meta))
    with open_searcher(generation) as s:
        assert scoretables.open_for(s, generation / "public") is None
