"""`update` takes unchanged documents over without reading or planning them, and still gives a full build's index."""
from __future__ import annotations

import json
import logging
import shutil
import textwrap

import pytest

from indexer import derive
from indexer.index import segments, store
from indexer.index.build import build_index
from indexer.index.update import update_index
from tests.conftest import FILLER
from tests.pdfs import make_pdf
from tests.test_segments import facts

# What a report says of the corpus (the rest says what the run did: mode, seconds, added, ...).
REPORT_FIELDS = ("documents", "public_documents", "pages", "pdfs", "skipped", "unlisted", "ocr_pages", "ocr")


def plan_line(caplog) -> dict:
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("step=plan "))
    return dict(part.split("=", 1) for part in line.split()[1:])


def updated(corpus, index, caplog):
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    caplog.clear()
    return update_index(corpus, index), plan_line(caplog)


def same_as_full_build(corpus, index, report, tmp_path):
    """Assert the updated index and its report are a fresh full build's."""
    fresh = build_index(corpus, tmp_path / "fresh")
    assert facts(index) == facts(tmp_path / "fresh")
    assert {f: getattr(report, f) for f in REPORT_FIELDS} == {f: getattr(fresh, f) for f in REPORT_FIELDS}
    manifest = store.read_manifest(store.current_generation(index))["documents"]
    assert manifest == store.read_manifest(store.current_generation(tmp_path / "fresh"))["documents"]


@pytest.fixture
def several(monkeypatch):
    """Segments of a document or so, so an update rewrites unchanged neighbours of a changed document too."""
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)


def test_a_changed_record_is_the_only_document_planned_and_no_pdf_is_read(corpus_copy, tmp_path, caplog):
    corpus, index = corpus_copy
    cat = corpus / "catalogue.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("title: Digitale handreiking polarisatie",
                                                           "title: Digitale handreiking tegen polarisatie"),
                   encoding="utf-8")
    report, plan = updated(corpus, index, caplog)
    # The broken PDF's record is planned again too: a failed read is retried, never taken over.
    assert plan["planned"] == "2"
    assert report.extracted == 0 and report.replaced == ["handreiking-polarisatie"]
    assert [s.file for s in report.skipped].count("kapot.pdf") == 1  # still reported, every update
    same_as_full_build(corpus, index, report, tmp_path)


def test_unchanged_neighbours_in_a_rewritten_segment_are_read_then_and_give_a_full_builds_index(
        corpus_copy, tmp_path, several, caplog):
    corpus, index = corpus_copy
    build_index(corpus, index)  # in several segments
    cat = corpus / "catalogue.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("Het dreigingsbeeld van", "Het nieuwe dreigingsbeeld van"),
                   encoding="utf-8")
    report, plan = updated(corpus, index, caplog)
    assert report.replaced == ["dreigingsbeeld"] and plan["planned"] == "2"
    same_as_full_build(corpus, index, report, tmp_path)


def test_a_changed_pdf_is_read_and_planned_again(corpus_copy, tmp_path, caplog):
    corpus, index = corpus_copy
    make_pdf(corpus / "pdf" / "handreiking.pdf", ["Een nieuwe versie over het wijkteam. " + FILLER])
    report, _ = updated(corpus, index, caplog)
    assert report.extracted == 1 and report.replaced == ["handreiking-polarisatie"]
    same_as_full_build(corpus, index, report, tmp_path)


def test_a_pdf_without_record_that_takes_an_others_id_moves_it_as_a_full_build_does(corpus_copy, tmp_path, caplog):
    corpus, index = corpus_copy
    # Sorted first, the new file takes the id "los-document"; the PDF that had it becomes "los-document-2".
    make_pdf(corpus / "pdf" / "Los-Document.pdf", ["Een andere notitie over buurtpreventie. " + FILLER])
    report, plan = updated(corpus, index, caplog)
    assert report.added == ["los-document-2"] and report.replaced == ["los-document"]
    same_as_full_build(corpus, index, report, tmp_path)


def test_a_successor_that_becomes_members_only_replans_the_document_it_replaces(tmp_path, caplog):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "pdf").mkdir(parents=True)
    catalogue = textwrap.dedent("""\
        documents:
          - id: oud
            title: Handreiking demonstraties 2020
            summary: Over demonstraties.
            date: 2020-01-15
          - id: nieuw
            title: Handreiking demonstraties 2024
            summary: De nieuwe handreiking over demonstraties.
            date: 2024-09-01
            vervangt: oud
    """)
    (corpus / "catalogue.yaml").write_text(catalogue, encoding="utf-8")
    build_index(corpus, index)
    (corpus / "catalogue.yaml").write_text(catalogue + "    access: members\n", encoding="utf-8")
    report, plan = updated(corpus, index, caplog)
    # The old guide's record is as it was; that it may no longer name its successor in public is new.
    assert plan["planned"] == "2" and sorted(report.replaced) == ["nieuw", "oud"]
    same_as_full_build(corpus, index, report, tmp_path)


def test_other_code_or_settings_plan_every_document_again(corpus_copy, tmp_path, monkeypatch, caplog):
    corpus, index = corpus_copy
    # Describing PDFs without a record changed: not the index format, so still an update, but nothing is taken over.
    monkeypatch.setattr(derive, "DERIVE_VERSION", derive.DERIVE_VERSION + "-test")
    report, plan = updated(corpus, index, caplog)
    assert report.mode == "update" and plan["planned"] == str(report.documents)
    same_as_full_build(corpus, index, report, tmp_path)


def test_an_index_from_before_inputs_were_kept_plans_every_document(corpus_copy, tmp_path, caplog):
    corpus, index = corpus_copy
    gen = store.current_generation(index)
    manifest = store.read_manifest(gen)
    for doc in manifest["documents"].values():  # as stop 30's code wrote it
        for name in list(doc):
            if name not in ("digest", "targets"):
                del doc[name]
    (gen / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    cat = corpus / "catalogue.yaml"
    cat.write_text(cat.read_text(encoding="utf-8").replace("Online aangejaagde", "Online opgejaagde"), encoding="utf-8")
    report, plan = updated(corpus, index, caplog)
    assert plan["planned"] == str(report.documents) and report.replaced == ["rapport-online-ordeverstoringen"]
    same_as_full_build(corpus, index, report, tmp_path)


def test_a_folder_without_records_is_updated_reading_only_the_new_pdf(tmp_path, caplog):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("documents: []\n", encoding="utf-8")
    for n, word in enumerate(["jongerenwerk", "buurtpreventie", "demonstratierecht"]):
        make_pdf(corpus / "pdf" / f"besluit-{n}.pdf", [f"Besluit op uw verzoek over {word}. " + FILLER])
    build_index(corpus, index)
    make_pdf(corpus / "pdf" / "besluit-3.pdf", ["Besluit op uw verzoek over wijkteams. " + FILLER])
    shutil.copy(corpus / "pdf" / "besluit-0.pdf", corpus / "pdf" / "kopie.pdf")
    report, plan = updated(corpus, index, caplog)
    assert report.extracted == 1  # the copy's bytes were read before: its text is in the cache
    assert sorted(report.added) == ["besluit-3", "kopie"] and plan["planned"] == "2"
    same_as_full_build(corpus, index, report, tmp_path)
