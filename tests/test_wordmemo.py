"""The analysed words kept from one build to the next (indexer.index.wordmemo): used, and never changing the index."""
from __future__ import annotations

import hashlib
import logging
import marshal
import shutil

import pytest
import wordfreq

from indexer.analysis import analyzer
from indexer.index import analysed, parallel, segments, store, wordmemo
from indexer.index.build import build_index
from indexer.index.update import update_index
from tests.test_segments import change_one_record, facts


@pytest.fixture
def splits(monkeypatch):
    """Count the words the Dutch analyzer's compound filter analyses in this process (the real splitter runs)."""
    seen = []
    real = analyzer.split

    def counting(word):
        seen.append(word)
        return real(word)

    monkeypatch.setattr(analyzer, "split", counting)
    return seen


def fresh_index(corpus, tmp_path, name="fresh"):
    """Build the corpus into a new folder, without any memo, and return the folder."""
    build_index(corpus, tmp_path / name)
    return tmp_path / name


def forget_documents(index) -> None:
    """Remove what the builds kept of each document's analysis (indexer.index.analysed): a rebuild then analyses
    every text again, word by word, with the memo."""
    shutil.rmtree(index / analysed.FOLDER)


def damage_file(path, damage: str) -> bool:
    """Damage a kept file as `damage` says ("garbage", "truncated", "empty", "unreadable": a folder in its place);
    return False for any other kind (the caller's own)."""
    if damage == "garbage":
        path.write_bytes(b"\x00garbage\xff" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-100])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "unreadable":
        path.unlink()
        path.mkdir()  # reading it fails with an OSError
    else:
        return False
    return True


def memo_words(index) -> dict[str, dict]:
    memo = wordmemo.WordMemo.load(index)
    assert memo.loaded, "no memo saved"
    return memo.loaded


def write_memo(index, content: dict) -> None:
    body = marshal.dumps({key: dict(words) for key, words in content.items()})  # as the file holds them
    (index / wordmemo.FILE).write_bytes(wordmemo.MAGIC + hashlib.sha256(body).digest() + body)


def test_a_rebuild_from_the_memo_analyses_nothing_again_and_gives_the_same_index(corpus_copy, tmp_path, splits):
    corpus, _ = corpus_copy
    index = tmp_path / "index-a"
    build_index(corpus, index)
    first = len(splits)
    assert first > 50 and (index / wordmemo.FILE).is_file()
    before = facts(index)
    leftover = index / f".{wordmemo.FILE}.999.abcd.tmp"  # of a build killed while saving
    leftover.write_bytes(b"half")
    splits.clear()
    forget_documents(index)
    build_index(corpus, index)  # every word is remembered
    assert splits == [] and not leftover.exists()
    assert facts(index) == before == facts(fresh_index(corpus, tmp_path))
    # One memo per analyzer chain (Dutch, English, plain), never in the index's pickled schema.
    assert len(memo_words(index)) == 3
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        chains = wordmemo.analyzers(s.schema)
    assert chains and not any(key in vars(a) for a in chains for key in ("_memo", "_known"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other fingerprint", "empty", "unreadable"])
def test_a_damaged_or_foreign_memo_is_ignored(corpus_copy, tmp_path, splits, damage, caplog):
    corpus, _ = corpus_copy
    index = tmp_path / "index-b"
    build_index(corpus, index)
    path = index / wordmemo.FILE
    analysed = len(splits)
    expected = facts(index)  # (snippets analyse words too)
    if not damage_file(path, damage):
        # Poisoned words under keys no analyzer has: were they used, the index would change.
        poisoned = {"x" + key: {word: (("vergif", 1.0),) for word in words}
                    for key, words in memo_words(index).items()}
        write_memo(index, poisoned)
    splits.clear()
    forget_documents(index)
    caplog.set_level(logging.DEBUG, logger="kennisbank.build")
    if damage == "unreadable":
        build_index(corpus, index)
        path.rmdir()
    else:
        build_index(corpus, index)
        assert set(memo_words(index)) == {wordmemo.fingerprint(a) for a in wordmemo.analyzers(
            store.open_index(store.current_generation(index), "all").schema)}  # saved anew
    assert len(splits) == analysed  # every word analysed again
    assert facts(index) == expected
    if damage not in ("other fingerprint",):
        assert any("word memo" in r.getMessage() for r in caplog.records)


def test_changed_word_lists_invalidate_the_memo(corpus_copy, tmp_path, splits, monkeypatch):
    corpus, _ = corpus_copy
    index = tmp_path / "index-c"
    build_index(corpus, index)
    old = memo_words(index)
    # The analysis package as it would be with one more stem rule: a copy, so the project's own files stay.
    changed = tmp_path / "analysis"
    shutil.copytree(wordmemo.ANALYSIS_DIR, changed, ignore=shutil.ignore_patterns("__pycache__"))
    with (changed / "data" / "stems.txt").open("a", encoding="utf-8") as fh:
        fh.write("\nkennisbanken => kennisbank\n")
    monkeypatch.setattr(wordmemo, "ANALYSIS_DIR", changed)
    splits.clear()
    build_index(corpus, index)  # (the documents' kept analysis is keyed by the same files: not used either)
    assert len(splits) > 50  # analysed again
    new = memo_words(index)
    assert not set(old) & set(new) and len(new) == 3


def test_an_update_analyses_only_new_words_and_keeps_the_others(corpus_copy, tmp_path, splits, monkeypatch):
    corpus, _ = corpus_copy
    index = tmp_path / "index-d"
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    monkeypatch.setattr(wordmemo, "NEW_SHARE", 0)  # every new word is worth writing the file for
    monkeypatch.setattr(wordmemo, "LAZY_MISSES", 0)  # and the update reads the memo for its first word
    build_index(corpus, index)
    full = len(splits)
    before = memo_words(index)
    change_one_record(corpus)
    splits.clear()
    update_index(corpus, index)
    assert 0 < len(splits) < full / 5  # only words of the changed summary nobody analysed before
    after = memo_words(index)
    for key, words in before.items():  # the words of unchanged segments stay remembered
        assert words.keys() <= after[key].keys()
    assert "spanningen" in after[wordmemo.fingerprint(analyzer.dutch_analyzer())]
    assert facts(index) == facts(fresh_index(corpus, tmp_path))


def test_an_update_meeting_a_few_new_words_leaves_the_memo_file_as_it_was(corpus_copy, tmp_path, monkeypatch):
    corpus, _ = corpus_copy
    index = tmp_path / "index-e"
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    # The test corpus's ~160 words: the change's 8 new ones are 5% (the 71 bench PDFs remember 27,000 words).
    monkeypatch.setattr(wordmemo, "NEW_SHARE", 0.1)
    build_index(corpus, index)
    before = (index / wordmemo.FILE).read_bytes()
    change_one_record(corpus)  # a summary with a few words no document had
    update_index(corpus, index)
    assert (index / wordmemo.FILE).read_bytes() == before
    assert facts(index) == facts(fresh_index(corpus, tmp_path))
    # Enough new words (here: any) are written down.
    monkeypatch.setattr(wordmemo, "NEW_SHARE", 0)
    monkeypatch.setattr(wordmemo, "LAZY_MISSES", 0)
    (corpus / "catalogue.yaml").write_text((corpus / "catalogue.yaml").read_text(encoding="utf-8").replace(
        "spanningen in de wijk", "spanningen in de buurtschap"), encoding="utf-8")
    update_index(corpus, index)
    assert "buurtschap" in memo_words(index)[wordmemo.fingerprint(analyzer.dutch_analyzer())]


def test_an_update_meeting_few_words_analyses_them_without_reading_the_memo(corpus_copy, tmp_path, monkeypatch):
    corpus, _ = corpus_copy
    index = tmp_path / "index-f"
    build_index(corpus, index)
    # Poisoned: a word taken from the file is indexed as "vergif".
    write_memo(index, {key: {w: (("vergif", 1.0),) for w in found} for key, found in memo_words(index).items()})
    before = (index / wordmemo.FILE).read_bytes()
    change_one_record(corpus)  # a summary of a dozen words: analysed, not looked up
    update_index(corpus, index)
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        assert b"spanning" in set(s.lexicon("summary")) and b"vergif" not in set(s.lexicon("summary"))
    assert (index / wordmemo.FILE).read_bytes() == before  # not written either
    # Past LAZY_MISSES words the file is read (here at once).
    monkeypatch.setattr(wordmemo, "LAZY_MISSES", 0)
    (corpus / "catalogue.yaml").write_text((corpus / "catalogue.yaml").read_text(encoding="utf-8").replace(
        "spanningen in de wijk", "spanningen in de buurt"), encoding="utf-8")
    update_index(corpus, index)
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        assert b"vergif" in set(s.lexicon("summary"))


@pytest.fixture(params=["fork", "spawn"])
def two_workers(request, monkeypatch, caplog):
    """Write every index with two worker processes started as the parameter says, in segments of a document or so,
    the build log's lines at hand."""
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(parallel, "MIN_FORKED_CHARS", 0)
    monkeypatch.setattr(parallel, "start_method", lambda: request.param)
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    return request.param


def test_worker_processes_use_and_return_remembered_words(corpus_copy, tmp_path, monkeypatch, two_workers, caplog):
    corpus, _ = corpus_copy
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "1")
    one = fresh_index(corpus, tmp_path, "one")  # in this process
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "2")
    index = tmp_path / "workers"
    build_index(corpus, index)
    assert any("processes=2" in r.getMessage() for r in caplog.records)
    assert memo_words(index) == memo_words(one)  # every word the workers met reached the saved memo
    # Poisoned remembered words show that the workers read the memo (then set right again).
    words = memo_words(index)
    write_memo(index, {key: {w: (("vergif", 1.0),) for w in found} for key, found in words.items()})
    forget_documents(index)
    build_index(corpus, index)
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        assert list(s.lexicon("content")) == [b"vergif"]  # every word taken from the memo
    write_memo(index, words)
    forget_documents(index)
    build_index(corpus, index)
    assert facts(index) == facts(one)


def test_the_file_holds_a_one_term_word_as_its_term_and_gives_back_what_analysis_gives(corpus_copy, tmp_path):
    corpus, _ = corpus_copy
    index = fresh_index(corpus, tmp_path, "compact")
    data = (index / wordmemo.FILE).read_bytes()
    raw = marshal.loads(data[len(wordmemo.MAGIC) + 32:])
    dutch = analyzer.dutch_analyzer()
    words = raw[wordmemo.fingerprint(dutch)]
    assert words["polarisatie"] == dutch.analysed("polarisatie")[0][0]  # one term of boost 1: the term alone
    loaded = wordmemo.WordMemo.load(index).loaded[wordmemo.fingerprint(dutch)]
    for word in words:
        assert loaded.get(word) == dutch.analysed(word), word
    assert any(isinstance(texts, tuple) for texts in words.values())  # stop words (none) and parts stay pairs


def test_the_compound_lexicon_is_kept_in_the_index_folder_and_read_back_the_same(tmp_path, monkeypatch):
    from indexer.analysis import compounds
    monkeypatch.setattr(compounds, "_lexicon", None)  # as in a fresh process
    monkeypatch.setattr(compounds, "_stored", None)
    wordmemo.keep_lexicon(tmp_path)
    built = compounds.lexicon()
    path = tmp_path / wordmemo.LEXICON_FILE
    assert path.is_file() and len(built) > 50_000
    monkeypatch.setattr(compounds, "_lexicon", None)
    with monkeypatch.context() as m:
        m.setattr(wordfreq, "get_frequency_list", lambda *a, **k: pytest.fail("built again instead of read"))
        assert compounds.lexicon() == built
    assert analyzer.split("ordeverstoringen") == ("orde", "verstoringen")
    # A damaged or foreign file is ignored: the lexicon is built again (and the file written anew).
    data = path.read_bytes()
    for bad in (data[:-10], data.replace(b"kennisbank-lexicon 1", b"kennisbank-lexicon 0"),
                data[:len(wordmemo.LEXICON_MAGIC)] + bytes(32) + data[len(wordmemo.LEXICON_MAGIC) + 32:]):
        path.write_bytes(bad)
        assert wordmemo._read_lexicon(path) is None
