"""The extraction cache: a result's OCR word boxes in a file of their own, read by the page view only."""
from __future__ import annotations

import json

import pytest

from indexer.extract.cache import WORDS_SUFFIX, ExtractCache, cached_pdf
from indexer.extract.model import ExtractedPDF, Page

BOXES = [[0.1, 0.2, 0.3, 0.25, "cameratoezicht"], [0.35, 0.2, 0.5, 0.25, "Utrecht"]]


def scanned() -> ExtractedPDF:
    """A PDF of a text page and a page read by OCR, with Tesseract's word boxes."""
    return ExtractedPDF(pages=[Page(1, "Besluit op uw verzoek."),
                               Page(2, "cameratoezicht Utrecht", ocr=True, words=BOXES, prose=100)],
                        title="Besluit", extractor="pdfminer")


@pytest.fixture
def pdf_file(tmp_path):
    """A file standing in for the PDF (the cache is keyed on its bytes)."""
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n% een scan\n")
    return path


def test_word_boxes_are_stored_apart_and_the_page_view_reads_them(tmp_path, pdf_file):
    cache = ExtractCache(tmp_path / "cache")
    key = cache.key(pdf_file)
    cache.put(key, scanned())
    main = json.loads((tmp_path / "cache" / f"{key}.json").read_text(encoding="utf-8"))
    assert [page.get("words") for page in main["pdf"]["pages"]] == [None, None]
    assert json.loads((tmp_path / "cache" / f"{key}{WORDS_SUFFIX}").read_text(encoding="utf-8")) == {"2": BOXES}
    built = ExtractCache(tmp_path / "cache").get(key, ocr_ready=True)
    assert [p.text for p in built.pages] == [p.text for p in scanned().pages]  # what a build reads: the text
    assert [p.words for p in built.pages] == [None, None]
    assert [p.words for p in cached_pdf(tmp_path / "cache", pdf_file).pages] == [None, BOXES]


def test_a_result_without_ocr_gets_no_word_file(tmp_path, pdf_file):
    cache = ExtractCache(tmp_path / "cache")
    key = cache.key(pdf_file)
    cache.put(key, ExtractedPDF(pages=[Page(1, "Alleen tekst.")]))
    assert not (tmp_path / "cache" / f"{key}{WORDS_SUFFIX}").exists()
    assert cached_pdf(tmp_path / "cache", pdf_file).pages[0].text == "Alleen tekst."


def test_an_entry_with_the_word_boxes_inline_is_read_and_split(tmp_path, pdf_file):
    # Written by the code before the word boxes had a file of their own: kept, and split at its first read.
    cache = ExtractCache(tmp_path / "cache")
    key = cache.key(pdf_file)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / f"{key}.json").write_text(json.dumps({"pdf": scanned().to_dict()}), encoding="utf-8")
    assert [p.words for p in cached_pdf(tmp_path / "cache", pdf_file).pages] == [None, BOXES]
    built = cache.get(key, ocr_ready=True)
    assert [p.text for p in built.pages] == [p.text for p in scanned().pages] and cache.hits == 1
    main = json.loads((tmp_path / "cache" / f"{key}.json").read_text(encoding="utf-8"))
    assert [page.get("words") for page in main["pdf"]["pages"]] == [None, None]
    assert json.loads((tmp_path / "cache" / f"{key}{WORDS_SUFFIX}").read_text(encoding="utf-8")) == {"2": BOXES}
    assert [p.words for p in cached_pdf(tmp_path / "cache", pdf_file).pages] == [None, BOXES]


def test_prune_removes_the_word_boxes_with_their_result(tmp_path, pdf_file):
    other = tmp_path / "ander.pdf"
    other.write_bytes(b"%PDF-1.4\n% een andere scan\n")
    cache = ExtractCache(tmp_path / "cache")
    for path in (pdf_file, other):
        cache.put(cache.key(path), scanned())
    assert len(list((tmp_path / "cache").glob("*.json"))) == 4
    later = ExtractCache(tmp_path / "cache")
    kept = later.key(pdf_file)  # the only PDF of the next build
    assert later.prune() == 2
    assert sorted(p.name for p in (tmp_path / "cache").glob("*.json")) == sorted([f"{kept}.json",
                                                                                  f"{kept}{WORDS_SUFFIX}"])
    assert [p.words for p in cached_pdf(tmp_path / "cache", pdf_file).pages] == [None, BOXES]
