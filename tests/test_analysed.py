"""What analysis made of each document, kept from one build to the next (indexer.index.analysed): a rebuild analyses
only what changed, and the index is the same as a fresh build's."""
from __future__ import annotations

import logging
import shutil

import pytest

from indexer.analysis import analyzer
from indexer.index import analysed, store, wordlist
from indexer.index.build import build_index
from indexer.index.update import update_index
from tests.test_segments import change_one_record, facts, with_members
from tests.test_wordmemo import damage_file, splits, two_workers  # noqa: F401 (fixtures)


@pytest.fixture
def positions(monkeypatch):
    """Count the texts the analyzers turn into positions in this process (each page and document text once)."""
    seen = []
    real = analyzer.MemoAnalyzer.positions

    def counting(self, text):
        seen.append(text)
        return real(self, text)

    monkeypatch.setattr(analyzer.MemoAnalyzer, "positions", counting)
    return seen


@pytest.fixture
def tallied(monkeypatch):
    """Count the texts read for the article facet's citations and for the spelling word lists in this process."""
    seen = []
    tally, terms_of = analysed.citation_tally, wordlist.Terms.of

    def counting_tally(text):
        seen.append(text)
        return tally(text)

    def counting_terms(self, texts):
        texts = list(texts)
        seen.extend(texts)
        return terms_of(self, texts)

    monkeypatch.setattr(analysed, "citation_tally", counting_tally)
    monkeypatch.setattr(wordlist.Terms, "of", counting_terms)
    return seen


def forget(index) -> None:
    """Remove what earlier builds kept (the test corpus's index comes with it)."""
    shutil.rmtree(index / analysed.FOLDER, ignore_errors=True)


def kept(index) -> list[str]:
    return sorted(p.name for p in (index / analysed.FOLDER).iterdir())


def fresh(corpus, tmp_path, name="fresh"):
    """Build the corpus into a new folder (nothing kept from earlier builds) and return it."""
    build_index(corpus, tmp_path / name)
    return tmp_path / name


def test_a_rebuild_analyses_no_text_again_and_gives_the_same_index(corpus_copy, tmp_path, positions):
    corpus, index = corpus_copy
    forget(index)
    build_index(corpus, index)
    assert positions, "the first build analysed the texts"
    files = kept(index)
    assert len(files) == len(store.read_manifest(store.current_generation(index))["documents"])  # one index written
    positions.clear()
    build_index(corpus, index)
    assert positions == []
    assert kept(index) == files
    assert facts(index) == facts(fresh(corpus, tmp_path))


def test_a_changed_summary_is_the_only_text_analysed_again(corpus_copy, tmp_path, positions, splits, tallied):
    corpus, index = corpus_copy
    build_index(corpus, index)
    change_one_record(corpus)
    positions.clear()
    splits.clear()
    tallied.clear()
    report = update_index(corpus, index)
    assert report.mode == "update" and len(report.replaced) == 1
    # Only the new summary: its page texts and document text come from the kept analysis, also the citations of the
    # article facet and the words of the spelling lists (each read the whole document text again before).
    assert positions and all("spanningen in de wijk" in text for text in positions), positions
    summary = "Wat gemeenten kunnen doen tegen polarisatie en spanningen in de wijk (artikel 172 Gemeentewet)."
    assert tallied and set(tallied) == {summary}, tallied
    assert 0 < len(splits) < 40
    assert facts(index) == facts(fresh(corpus, tmp_path))
    # The same again in a full build: nothing new to analyse.
    positions.clear()
    build_index(corpus, index)
    assert positions == [] and facts(index) == facts(tmp_path / "fresh")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign key", "empty", "unreadable"])
def test_a_damaged_or_foreign_file_is_analysed_again(corpus_copy, tmp_path, positions, damage, caplog):
    corpus, index = corpus_copy
    build_index(corpus, index)
    expected = facts(index)
    path = index / analysed.FOLDER / kept(index)[0]
    if not damage_file(path, damage):  # sealed for another analysis: a copy that would change the index were it used
        data = path.read_bytes()
        head = len(analysed.MAGIC)
        path.write_bytes(data[:head] + bytes(32) + data[head + 32:])
    positions.clear()
    caplog.set_level(logging.DEBUG, logger="kennisbank.build")
    build_index(corpus, index)
    assert positions, "the document was analysed again"
    assert facts(index) == expected
    assert any("analysed document" in r.getMessage() for r in caplog.records)
    if damage != "unreadable":
        assert path.is_file() and analysed.AnalysedCache(path.parent).get(*_name_and_id(index, path.name))


def _name_and_id(index, filename: str) -> tuple[str, str]:
    """The (index name, document id) a file of the cache belongs to."""
    cache = analysed.AnalysedCache.of_index(index)
    for doc_id in store.read_manifest(store.current_generation(index))["documents"]:
        for name in store.INDEX_NAMES:
            if cache.path(name, doc_id).name == filename:
                return name, doc_id
    raise AssertionError(filename)


def test_what_is_kept_is_what_is_used(corpus_copy, tmp_path, positions):
    """A poisoned file whose postings name another word: the rebuilt index holds that word, so the kept analysis
    is what a rebuild writes (and a fresh build sets it right)."""
    corpus, index = corpus_copy
    build_index(corpus, index)
    cache = analysed.AnalysedCache.of_index(index)
    doc_id = next(iter(store.read_manifest(store.current_generation(index))["documents"]))
    found = cache.get("all", doc_id)
    poisoned = {key: ((value[0], [b"vergif" if isinstance(t, bytes) else "vergif" for t in value[1][:1]],
                       value[2][:1], value[3][:1]) if key[0] == "f" and key[1] == "content" else value)
                for key, value in found.items()}
    cache.put("all", doc_id, poisoned)
    build_index(corpus, index)
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        assert "vergif" in [t.decode() for t in s.lexicon("content")]
    (index / analysed.FOLDER / cache.path("all", doc_id).name).unlink()
    build_index(corpus, index)
    assert facts(index) == facts(fresh(corpus, tmp_path))


def test_removed_documents_lose_their_files_and_members_keep_one_per_index(corpus_copy, tmp_path):
    corpus, index = corpus_copy
    build_index(corpus, index)
    before = kept(index)
    (corpus / "pdf" / "los-document.pdf").unlink()
    update_index(corpus, index)
    after = kept(index)
    assert len(after) == len(before) - 1 and set(after) < set(before)
    with_members(corpus)  # both indexes are written now, each with its own files
    build_index(corpus, index)
    documents = store.read_manifest(store.current_generation(index))["documents"]
    assert len(kept(index)) == sum(len(d["targets"]) for d in documents.values())
    assert facts(index) == facts(fresh(corpus, tmp_path))


def test_worker_processes_read_and_keep_the_analysis(corpus_copy, tmp_path, two_workers, caplog):
    corpus, index = corpus_copy
    forget(index)
    build_index(corpus, index)  # the workers write the files
    files = kept(index)
    assert files and any("processes=2" in r.getMessage() and " remembered=0 " in r.getMessage()
                         for r in caplog.records)
    caplog.clear()
    build_index(corpus, index)  # and read them
    commit = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("step=commit"))
    assert "processes=2" in commit and f" remembered={len(files)} " in commit and kept(index) == files
    assert facts(index) == facts(fresh(corpus, tmp_path))


def test_the_word_memo_is_read_only_when_a_document_has_nothing_kept(corpus_copy, caplog):
    from indexer.index import wordmemo
    corpus, index = corpus_copy
    build_index(corpus, index)
    (index / wordmemo.FILE).write_bytes(b"damaged")  # reading it would log that it is not used
    caplog.set_level(logging.DEBUG, logger="kennisbank.build")
    build_index(corpus, index)  # every document kept: the file is not read (and left as it is)
    assert not any("word memo" in r.getMessage() for r in caplog.records)
    assert (index / wordmemo.FILE).read_bytes() == b"damaged"
    path = index / analysed.FOLDER / kept(index)[0]
    path.write_bytes(analysed.MAGIC + bytes(32) + path.read_bytes()[len(analysed.MAGIC) + 32:])  # older code's
    build_index(corpus, index)
    assert any("word memo" in r.getMessage() for r in caplog.records)
