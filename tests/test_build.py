"""Building: counts, skipped files with reasons, unlisted PDFs, and a failed build never hurts the old index."""
from __future__ import annotations

import pytest

from indexer.corpus import CatalogueError
from indexer.index import store
from indexer.index.build import build_index, is_up_to_date
from indexer.search import SearchRequest, search
from tests.conftest import PAGE3_WORD


def test_report_counts_and_skips(built_corpus):
    _, _, report = built_corpus
    assert report.documents == 5  # 4 catalogue records + 1 unlisted readable PDF
    assert report.pdfs == 3
    skipped = {s.file: s.reason for s in report.skipped}
    assert set(skipped) == {"kapot.pdf", "leeg.pdf", "geen-pdf.pdf"}
    assert "leeg" in skipped["leeg.pdf"]
    assert "geen PDF" in skipped["geen-pdf.pdf"]
    assert "beschadigd" in skipped["kapot.pdf"]
    assert "los-document.pdf" in report.unlisted


def test_unlisted_pdf_is_searchable_with_its_metadata_title(built_corpus):
    _, index, _ = built_corpus
    with store.open_index(store.current_generation(index), "public").searcher() as s:
        results = search(s, SearchRequest(q="jongerenwerkers"))
    assert [h.document.title for h in results.hits] == ["Losse notitie jongerenwerk"]
    assert results.hits[0].pages[0].page == 1


def test_record_with_broken_pdf_is_still_listed_without_pdf(built_corpus):
    _, index, _ = built_corpus
    with store.open_index(store.current_generation(index), "public").searcher() as s:
        results = search(s, SearchRequest(q="kapotte"))
    assert results.hits[0].document.id == "kapotte-pdf"
    assert results.hits[0].document.pdf is None


def test_if_needed_skips_an_unchanged_corpus_and_rebuilds_a_changed_one(corpus_copy):
    corpus, index = corpus_copy
    before = store.current_generation(index)
    assert is_up_to_date(corpus, index)
    report = build_index(corpus, index, if_needed=True)
    assert report.unchanged and store.current_generation(index) == before
    (corpus / "pdf" / "leeg.pdf").unlink()
    assert not is_up_to_date(corpus, index)
    report = build_index(corpus, index, if_needed=True)
    assert not report.unchanged and store.current_generation(index) != before


def _top_ids(index, q):
    with store.open_index(store.current_generation(index), "public").searcher() as s:
        return [h.document.id for h in search(s, SearchRequest(q=q)).hits]


def test_broken_catalogue_leaves_the_old_index_serving(corpus_copy):
    corpus, index = corpus_copy
    before = store.current_generation(index)
    expected = _top_ids(index, PAGE3_WORD)
    (corpus / "catalogue.yaml").write_text("documents:\n  - id: [broken\n", encoding="utf-8")
    with pytest.raises(CatalogueError):
        build_index(corpus, index)
    assert store.current_generation(index) == before
    assert _top_ids(index, PAGE3_WORD) == expected == ["rapport-online-ordeverstoringen"]


def test_failure_while_writing_leaves_the_old_index_serving(corpus_copy, monkeypatch):
    # Simulates a crash in the middle of writing (the extraction of one PDF blows up unexpectedly).
    corpus, index = corpus_copy
    before = store.current_generation(index)
    import indexer.index.plan as build_module

    def explode(record, pdf):
        raise RuntimeError("disk on fire")
        yield  # pragma: no cover

    monkeypatch.setattr(build_module, "document_entries", explode)
    with pytest.raises(RuntimeError):
        build_index(corpus, index)
    assert store.current_generation(index) == before
    assert _top_ids(index, PAGE3_WORD) == ["rapport-online-ordeverstoringen"]
    monkeypatch.undo()
    build_index(corpus, index)  # the next build needs no manual clean-up
    assert store.current_generation(index) != before
    assert not list(index.glob("tmp-*"))


def test_second_build_waits_for_the_lock_then_gives_a_clear_message(corpus_copy):
    corpus, index = corpus_copy
    with store.build_lock(index):
        with pytest.raises(store.BuildLocked, match="andere build"):
            build_index(corpus, index, lock_timeout=0.3)
