"""Building with worker processes: each writes whole segments, and the index is the one a single process writes."""
from __future__ import annotations

import logging
import re

import pytest

from indexer.index import parallel, segments
from indexer.index.build import build_index

from .test_versions import index_content


def commit_line(caplog) -> str:
    return next(r.getMessage() for r in caplog.records if r.getMessage().startswith("step=commit"))


def test_two_worker_processes_write_the_same_index_as_one_writer(corpus_copy, tmp_path, monkeypatch, caplog):
    # Once a bug of merging sub-segments: the merged segment summed the one-byte (rounded) document lengths, so
    # every BM25F score moved a little although stored fields and terms were the same. Segments keep exact totals.
    corpus, _ = corpus_copy
    catalogue = corpus / "catalogue.yaml"
    text, n = re.subn(r"( *)pdf: rapport.pdf\n", r"\g<0>\1access: members\n", catalogue.read_text(encoding="utf-8"))
    assert n == 1
    catalogue.write_text(text, encoding="utf-8")
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)  # several segments, so there is work to share
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 10**12)
    monkeypatch.setattr(parallel, "MIN_FORKED_CHARS", 10**12)
    build_index(corpus, tmp_path / "one")
    assert "processes=1" in commit_line(caplog)
    caplog.clear()
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(parallel, "MIN_FORKED_CHARS", 0)
    build_index(corpus, tmp_path / "two")
    assert "processes=2" in commit_line(caplog)
    one, two = index_content(tmp_path / "one"), index_content(tmp_path / "two")
    assert one["all"][0] and one["all"][1] and any(one["all"][2].values())  # something to compare
    assert one["public"] != one["all"]  # members documents: both indexes written, each by both processes
    assert one == two


def test_a_bad_index_jobs_setting_warns_in_dutch_and_builds_in_one_process(corpus_copy, monkeypatch, caplog):
    corpus, index = corpus_copy
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "twee")
    report = build_index(corpus, index)
    assert report.documents and "processes=1" in commit_line(caplog)
    assert any("KENNISBANK_INDEX_JOBS='twee' is geen geheel getal" in r.getMessage() for r in caplog.records)


def test_workers_fork_only_when_no_other_thread_runs(monkeypatch):
    import sys
    import threading
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.start_method() == "spawn"  # a thread's held locks must not be copied into a worker
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in `kennisbank build` (other tests leave threads)
    assert parallel.start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")


def test_spawned_and_forked_workers_write_the_same_index(corpus_copy, tmp_path, monkeypatch, caplog):
    corpus, _ = corpus_copy
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(parallel, "MIN_FORKED_CHARS", 0)
    built = {}
    for method in ("spawn", "fork"):
        monkeypatch.setattr(parallel, "start_method", lambda method=method: method)
        build_index(corpus, tmp_path / method)
        assert "processes=2" in commit_line(caplog)
        caplog.clear()
        built[method] = index_content(tmp_path / method)
    assert built["spawn"]["all"][1] and built["spawn"] == built["fork"]


def commit_details(caplog) -> dict:
    return dict(part.split("=", 1) for part in commit_line(caplog).split()[2:])


@pytest.mark.parametrize("forked_chars", [10**12, 0], ids=["one process", "two processes"])
def test_the_build_log_says_what_analysis_and_writing_files_cost(corpus_copy, monkeypatch, caplog, forked_chars):
    # Where a warm build's time goes (issue 18): the commit step adds up the CPU seconds of every process that
    # wrote a segment, analysing, writing files and finding the article facet apart.
    corpus, index = corpus_copy
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", forked_chars)
    monkeypatch.setattr(parallel, "MIN_FORKED_CHARS", forked_chars)
    build_index(corpus, index)
    details = commit_details(caplog)
    assert details["processes"] == ("1" if forked_chars else "2")
    assert float(details["analysis_cpu"]) > 0 and float(details["files_cpu"]) > 0
    assert float(details["articles_cpu"]) >= 0
