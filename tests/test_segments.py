"""An index in several segments: the content and answers of one segment, and `update` keeps unchanged segments."""
from __future__ import annotations

import logging
import threading

import pytest

from indexer.index import internals, parallel, segments, store
from indexer.index.build import build_index
from indexer.index.update import update_index
from indexer.index.wordlist import WordList
from indexer.search import SearchRequest, search
from tests.conftest import FILLER, PAGE3_WORD
from tests.pdfs import make_pdf
from tests.test_lifecycle import NEW_WORD, change_corpus, file_hashes

QUERIES = ("polarisatie", "ordeverstoringen online", '"openbare orde"', "verbod", "gemeente", PAGE3_WORD,
           "gemeente politie", "polarisatie OR burgemeester", "gemeente -polarisatie", "onrust*", NEW_WORD,
           '"maatschappelijke onrust"', "spanningen wijk", "type:rapport gemeente")


def facts(index) -> dict:
    """Everything an index holds, strictly: stored fields and lengths in docnum order, every posting with its
    raw value, each term's statistics, and the answers (ids, scores, pages, snippets) with the fast paths and with Whoosh's public API."""
    gen = store.current_generation(index)
    out = {}
    for name in store.INDEX_NAMES:
        with store.open_index(gen, name).searcher() as s:
            r = s.reader()
            fields = [f for f in s.schema.scorable_names()]
            stored = [repr(sorted(f.items())) for f in s.all_stored_fields()]
            # (a document without the field has length None in one segment, 0 in a segment without the field)
            lengths = {f: (r.field_length(f), [r.doc_field_length(d, f) or 0 for d in range(r.doc_count_all())])
                       for f in fields}
            postings = {}
            for field, text in r.all_terms():
                if isinstance(s.schema[field], WordList):
                    # Each word once per segment, on its last entry: what stays is how many documents hold it.
                    postings[field, text] = r.frequency(field, text)
                    continue
                m = r.postings(field, text)
                items = []
                while m.is_active():
                    items.append((m.id(), m.weight(), m.value()))
                    m.next()
                info = r.term_info(field, text)
                postings[field, text] = (r.doc_frequency(field, text), r.frequency(field, text), items,
                                         info.min_length(), info.max_length(), info.max_weight())
            answers = {}
            for q in QUERIES:
                answers[q] = [(h.document.id, h.score, [p.page for p in h.pages], h.snippet)
                              for h in search(s, SearchRequest(q=q)).hits]
            out[name] = (r.doc_count_all(), stored, lengths, postings, answers)
        with internals.public_api_only(), store.open_index(gen, name).searcher() as s:
            public = {q: [(h.document.id, h.score, [p.page for p in h.pages], h.snippet)
                          for h in search(s, SearchRequest(q=q)).hits] for q in QUERIES}
        assert public == out[name][4], name
    return out


def segment_counts(index) -> dict[str, int]:
    gen = store.current_generation(index)
    return {name: len(list(store.open_index(gen, name).reader().leaf_readers())) for name in store.INDEX_NAMES}


@pytest.fixture
def several(monkeypatch):
    """Cut every index into segments of one document or so (a real corpus needs megabytes for that)."""
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)


def with_members(corpus):
    """Make one document members-only, so both indexes are written and differ."""
    cat = corpus / "catalogue.yaml"
    text = cat.read_text(encoding="utf-8").replace("pdf: handreiking.pdf\n", "pdf: handreiking.pdf\n    access: members\n")
    cat.write_text(text, encoding="utf-8")


def test_several_segments_hold_what_one_segment_holds(corpus_copy, tmp_path, monkeypatch):
    corpus, _ = corpus_copy
    with_members(corpus)
    with internals.public_api_only():  # Whoosh's own writer, as where its internals differ
        build_index(corpus, tmp_path / "plain")
    build_index(corpus, tmp_path / "one")
    assert segment_counts(tmp_path / "one") == {"public": 1, "all": 1}
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    build_index(corpus, tmp_path / "several")
    counts = segment_counts(tmp_path / "several")
    assert counts["all"] > counts["public"] > 1
    one, several = facts(tmp_path / "one"), facts(tmp_path / "several")
    assert one["all"][3] and one["public"][4]["polarisatie"] == []  # something to compare; members stay out
    assert one["all"][4]["polarisatie"]
    assert one == several
    assert facts(tmp_path / "plain") == one


def change_one_record(corpus):
    cat = corpus / "catalogue.yaml"
    text = cat.read_text(encoding="utf-8")
    cat.write_text(text.replace("Wat gemeenten kunnen doen tegen polarisatie.",
                                "Wat gemeenten kunnen doen tegen polarisatie en spanningen in de wijk "
                                "(artikel 172 Gemeentewet)."),
                   encoding="utf-8")


def kept_files(old_gen, new_gen) -> int:
    """Count the segment files of new_gen that are the very files (hard links) of old_gen."""
    inodes = {p.stat().st_ino for p in old_gen.rglob("*.seg")}
    return sum(1 for p in new_gen.rglob("*.seg") if p.stat().st_ino in inodes)


@pytest.mark.parametrize("change", ["one record", "removed", "added", "added and removed, members"])
def test_update_writes_only_changed_segments_and_gives_a_full_builds_index(corpus_copy, tmp_path, several,
                                                                            change, caplog):
    corpus, index = corpus_copy
    build_index(corpus, index)  # in several segments
    old_gen = store.current_generation(index)
    before, old_files = facts(index), file_hashes(old_gen)
    if change == "one record":
        change_one_record(corpus)
    elif change == "removed":
        (corpus / "pdf" / "los-document.pdf").unlink()
    elif change == "added":
        make_pdf(corpus / "pdf" / "zz-nieuw.pdf", ["Over het " + NEW_WORD + " in de wijk. " + FILLER])
    else:
        change_corpus(corpus)
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    caplog.clear()  # the update's lines only
    report = update_index(corpus, index)
    assert report.mode == "update"
    new_gen = store.current_generation(index)
    commit = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("step=commit"))
    if change != "added and removed, members":
        assert kept_files(old_gen, new_gen) >= 2, commit  # unchanged segments are linked, not written
        # One segment written for a changed or added document; none when a segment held only the removed one.
        assert (" written=0 " if change == "removed" else " written=1 ") in commit, commit
    build_index(corpus, tmp_path / "fresh")
    assert facts(index) == facts(tmp_path / "fresh")  # scores too: no deleted entries left in any statistic
    if change == "one record":  # the changed summary cites a law: the rewritten segment has its facet value
        assert [text for field, text in facts(index)["all"][3] if field == "article"], commit
    # The previous generation is byte for byte what it was and serves the same after a rollback.
    assert file_hashes(old_gen) == old_files
    store.rollback(index)
    assert store.current_generation(index) == old_gen and facts(index) == before


def test_repeated_small_updates_keep_the_number_of_segments_bounded(corpus_copy, several, monkeypatch):
    corpus, index = corpus_copy
    monkeypatch.setattr(segments, "MAX_SEGMENTS", 6)
    build_index(corpus, index)
    for n in range(4):
        make_pdf(corpus / "pdf" / f"zz-extra-{n}.pdf", [f"Aanvulling {n} over de wijk. " + FILLER])
        update_index(corpus, index)
        assert segment_counts(index)["all"] <= 6
    assert segment_counts(index)["all"] == 6


def run_keys(runs):
    return [([k[0] for k in run.keys], run.keep) for run in runs]


def test_update_runs_keep_unchanged_segments_in_place(monkeypatch):
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 10)
    docs = {c: [{"uid": c, "content": c * 10}] for c in "abcdef"}
    previous = [{"segment": "s1", "docs": [["a", "1"], ["b", "1"]]}, {"segment": "s2", "docs": [["c", "1"], ["d", "1"]]},
                {"segment": "s3", "docs": [["e", "1"], ["f", "1"]]}]

    def runs(keys):
        return run_keys(segments.update_runs(keys, [docs[k[0]] for k in keys], previous, most=3))

    same = [(c, "1") for c in "abcdef"]
    assert runs(same) == [(["a", "b"], "s1"), (["c", "d"], "s2"), (["e", "f"], "s3")]
    changed = [(c, "2" if c == "c" else "1") for c in "abcdef"]
    assert runs(changed) == [(["a", "b"], "s1"), (["c", "d"], None), (["e", "f"], "s3")]
    removed = [(c, "1") for c in "abdef"]
    assert runs(removed) == [(["a", "b"], "s1"), (["d"], None), (["e", "f"], "s3")]
    docs["g"] = [{"uid": "g", "content": "g"}]
    assert runs(same + [("g", "1")]) == [(["a", "b"], "s1"), (["c", "d"], "s2"), (["e", "f"], "s3"), (["g"], None)]
    # More runs than allowed: the neighbours with the least text are written together.
    assert run_keys(segments.bounded(segments.update_runs(same + [("g", "1")], [docs[c] for c in "abcdefg"],
                                                          previous, most=3), most=3)) == [
        (["a", "b"], "s1"), (["c", "d"], "s2"), (["e", "f", "g"], None)]


def test_an_update_cuts_what_it_rewrites_into_a_piece_per_worker_when_each_has_enough_text(monkeypatch):
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 10)
    monkeypatch.setattr(segments, "MIN_PIECE_CHARS", 10)  # each document holds 11 characters
    docs = {c: [{"uid": c, "content": c * 10}] for c in "abcdef"}
    previous = [{"segment": "s1", "docs": [["a", "1"], ["b", "1"], ["c", "1"]]},
                {"segment": "s2", "docs": [["d", "1"], ["e", "1"], ["f", "1"]]}]

    def runs(keys, pieces):
        return run_keys(segments.update_runs(keys, [docs[k[0]] for k in keys], previous, most=2, pieces=pieces))

    changed = [(c, "2" if c == "e" else "1") for c in "abcdef"]
    assert runs(changed, 1) == [(["a", "b", "c"], "s1"), (["d", "e", "f"], None)]
    assert runs(changed, 2) == [(["a", "b", "c"], "s1"), (["d", "e"], None), (["f"], None)]
    assert runs(changed, 8) == [(["a", "b", "c"], "s1"), (["d"], None), (["e"], None), (["f"], None)]
    monkeypatch.setattr(segments, "MIN_PIECE_CHARS", 1000)  # too little text to share: one run
    assert runs(changed, 2) == [(["a", "b", "c"], "s1"), (["d", "e", "f"], None)]


def test_an_update_writes_its_pieces_in_forked_workers_and_gives_a_full_builds_index(corpus_copy, tmp_path,
                                                                                     monkeypatch, caplog):
    corpus, index = corpus_copy
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    monkeypatch.setenv("KENNISBANK_INDEX_SEGMENTS", "2")  # segments of several documents
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "2")
    monkeypatch.setattr(segments, "MIN_PIECE_CHARS", 1)  # the test corpus is small
    monkeypatch.setattr(parallel, "MIN_FORKED_CHARS", 0)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in `kennisbank update` (tests leave threads)
    build_index(corpus, index)
    assert segment_counts(index)["all"] == 2
    change_one_record(corpus)
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    caplog.clear()
    update_index(corpus, index)
    commit = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("step=commit"))
    assert " processes=2 segments=3 written=2 " in commit, commit
    build_index(corpus, tmp_path / "fresh")
    assert facts(index) == facts(tmp_path / "fresh")


def test_full_runs_are_contiguous_and_balanced_by_text(monkeypatch):
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 10)
    sizes = [10, 10, 10, 50, 10, 10]
    docs = [[{"uid": f"doc:{n}", "content": "x" * size}] for n, size in enumerate(sizes)]
    keys = [(str(n), "") for n in range(len(sizes))]
    # Half the text is 50: the large document starts the second run (30 + 70) rather than ending the first (80 + 20).
    assert [[k[0] for k in run.keys] for run in segments.full_runs(keys, docs, most=2)] == [
        ["0", "1", "2"], ["3", "4", "5"]]
    assert [[k[0] for k in run.keys] for run in segments.full_runs(keys[:4], docs[:4], most=2)] == [
        ["0", "1", "2"], ["3"]]
    assert [[k[0] for k in run.keys] for run in segments.full_runs(keys[3:], docs[3:], most=2)] == [
        ["3"], ["4", "5"]]  # never an empty run
    assert 2 < len(segments.full_runs(keys, docs, most=8)) <= 6  # never more segments than documents
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1000)
    assert len(segments.full_runs(keys, docs)) == 1  # little text: one segment


def test_an_update_failing_after_linking_segments_leaves_the_old_generation_serving(corpus_copy, several,
                                                                                    monkeypatch):
    corpus, index = corpus_copy
    with_members(corpus)  # two indexes written, so the failure comes with one of them complete
    build_index(corpus, index)
    old_gen = store.current_generation(index)
    before, old_files = facts(index), file_hashes(old_gen)
    change_one_record(corpus)
    commits = []
    real_commit = internals.commit_segments

    def failing_commit(folder, found):
        commits.append(folder)
        if len(commits) == 2:  # the first index is complete, its kept segments linked: now a disk error
            raise OSError(28, "No space left on device")
        real_commit(folder, found)
    monkeypatch.setattr(internals, "commit_segments", failing_commit)
    with pytest.raises(OSError):
        update_index(corpus, index)
    assert len(commits) == 2
    assert store.current_generation(index) == old_gen and not list(index.glob("tmp-*"))
    assert file_hashes(old_gen) == old_files and facts(index) == before
    monkeypatch.setattr(internals, "commit_segments", real_commit)
    assert update_index(corpus, index).replaced == ["handreiking-polarisatie"]


def test_the_segment_setting_bounds_a_full_build_and_a_bad_value_warns_in_dutch(corpus_copy, several, monkeypatch,
                                                                                  caplog):
    corpus, index = corpus_copy
    monkeypatch.setenv("KENNISBANK_INDEX_SEGMENTS", "2")
    build_index(corpus, index)
    assert segment_counts(index) == {"public": 2, "all": 2}
    monkeypatch.setenv("KENNISBANK_INDEX_SEGMENTS", "nul")
    assert segments.index_segments() == segments.SEGMENTS
    assert any("KENNISBANK_INDEX_SEGMENTS='nul' is geen geheel getal" in r.getMessage() for r in caplog.records)
