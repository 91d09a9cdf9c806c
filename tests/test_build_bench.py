"""`make bench-build`: every way of indexing runs on the same documents, and the product's ways give one index."""
from __future__ import annotations

import os

import pytest

from whoosh.fields import TEXT

from bench.build_bench import measure, merged_rows, table
from bench.corpus_gen import CorpusGenerator
from indexer.index import parallel, segments, store
from indexer.index.wordlist import WordList

from .test_synthetic_corpus import WORDS
from .test_versions import index_content


def test_the_build_bench_measures_every_path_on_the_same_documents(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)  # so the default run really uses every core
    monkeypatch.setattr(parallel, "MIN_FORKED_CHARS", 0)
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)  # in several segments, so there is work to share
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "2")
    row = measure(6, tmp_path, old=True, log=lambda m: None, generator=CorpusGenerator(WORDS, seed=3))
    assert row["documents"] == 6 and row["pages"] >= 6 * 6
    for name in ("ours", "ours_one_process", "old_path", "naive"):
        assert row[name]["seconds"] > 0 and row[name]["pages_per_s"] > 0 and row[name]["cpu_seconds"] > 0
    assert row["ours"]["processes"] == 2 and row["ours_one_process"]["processes"] == 1
    assert "ours_one_process_seconds_over_ours" in row["ratios"] and "p/s" in table([row])
    assert {"old_path_cpu_over_ours_one_process", "naive_cpu_over_ours_one_process"} <= set(row["ratios"])
    # The default (two processes, several segments), one process and the old path (no word memo, one segment)
    # wrote the same index.
    two, one, old = (index_content(tmp_path / name) for name in ("ours", "ours_one_process", "old_path"))
    assert one["public"][1] and one == two == old
    # The old path kept schema 11's spelling field, a posting per word and document: the same words and counts.
    schemas = {name: store.open_index(store.current_generation(tmp_path / name), "all").schema
               for name in ("ours", "old_path")}
    assert isinstance(schemas["ours"]["spelling"], WordList) and type(schemas["old_path"]["spelling"]) is TEXT
    assert any(field == "spelling" for field, *_ in one["all"][1])
    assert store.read_manifest(store.current_generation(tmp_path / "ours"))["report"]["pages"] == row["pages"]


def test_the_real_pdf_bench_times_a_warm_build_and_an_update_of_one_record(tmp_path):
    from bench.real_build_bench import text_on_every_page, warm_and_update, write_corpus
    from tests.conftest import FILLER
    from tests.pdfs import make_pdf

    files = []
    for n in range(3):
        make_pdf(tmp_path / f"bron-{n}.pdf", [f"Pagina een van document {n}. " + FILLER, "Pagina twee. " + FILLER])
        files.append(tmp_path / f"bron-{n}.pdf")
    assert text_on_every_page(files[0]) == 2
    corpus = write_corpus(tmp_path / "corpus", files)
    row = warm_and_update(corpus, tmp_path / "index", 1, 1, log=lambda m: None)
    assert row["warm_seconds"] > 0 and row["update_seconds"] > 0 and row["update_over_warm"] > 0
    # What the build log says of the best warm build: analysis and file writing apart, and the bound without analysis.
    # (Reproduced a bug: with two decimals the log said analysis_cpu=0.00 for these three PDFs on a fast machine.)
    assert row["warm_analysis_cpu"] > 0 and row["warm_files_cpu"] > 0 and row["warm_processes"] >= 1
    assert 0 < row["warm_without_analysis_seconds"] <= row["warm_seconds"]  # rounded to 0.01 s: equal for a tiny corpus
    gen = store.current_generation(tmp_path / "index")
    assert store.read_manifest(gen)["report"]["mode"] == "update"


def test_the_whole_folder_run_builds_every_pdf_and_restores_the_ocr_setting(tmp_path, monkeypatch):
    from bench.real_build_bench import whole_folder
    from tests.conftest import FILLER
    from tests.pdfs import make_pdf

    files = []
    for n in range(2):
        make_pdf(tmp_path / f"bron-{n}.pdf", [f"Pagina een van document {n}. " + FILLER])
        files.append(tmp_path / f"bron-{n}.pdf")
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.4 kapot")
    monkeypatch.setenv("KENNISBANK_OCR", "0")
    row = whole_folder(tmp_path / "run", files + [tmp_path / "kapot.pdf"], 1, log=lambda m: None)
    assert (row["files"], row["pages"], row["skipped"]) == (3, 2, 1)
    assert row["update_seconds"] > 0 and row["update_over_warm"] > 0
    assert os.environ["KENNISBANK_OCR"] == "0"


def test_a_run_of_some_sizes_keeps_the_earlier_rows_of_the_others(tmp_path):
    results = tmp_path / "build.json"
    assert merged_rows(results, [{"documents": 5000, "run": 1}]) == [{"documents": 5000, "run": 1}]  # none yet
    results.write_text('{"rows": [{"documents": 20000, "run": 0}, {"documents": 5000, "run": 0}]}', encoding="utf-8")
    assert merged_rows(results, [{"documents": 5000, "run": 1}, {"documents": 1000, "run": 1}]) == [
        {"documents": 1000, "run": 1}, {"documents": 5000, "run": 1}, {"documents": 20000, "run": 0}]
    results.write_text("not json", encoding="utf-8")
    assert merged_rows(results, [{"documents": 5000, "run": 1}]) == [{"documents": 5000, "run": 1}]


@pytest.mark.parametrize("setting, size, runs_old", [("0", 1000, False), ("1", 20000, True), ("", 20000, True),
                                                      ("5000", 5000, True), ("5000", 20000, False)])
def test_bench_old_says_up_to_which_size_the_old_path_runs(setting, size, runs_old):
    from bench.build_bench import old_path_upto
    assert (size <= old_path_upto(setting)) is runs_old
