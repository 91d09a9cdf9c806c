"""Sideways scans are read upright, and words Tesseract is unsure of stay out of the text."""
from __future__ import annotations

import pytest

from indexer.extract.ocr import Word, ocr_missing_reason, ocr_page, words_to_text
from tests.pdf_fixtures import sideways_scan_pdf

needs_ocr = pytest.mark.skipif(ocr_missing_reason() is not None, reason="tesseract with the Dutch model is missing")
LINES = ["Bouwbesluittoets voor de brandcompartimentering", "van het gebouw aan de Nieuwendijk.",
         "De brandweer beoordeelt de vluchtroutes en de", "brandwerendheid van de scheidingsconstructies."]


@needs_ocr
def test_a_scan_lying_on_its_side_is_read_upright(tmp_path):
    # The bug: such a page was read as it lay and indexed as "SuruunSieasSutaeburo … sJeonInisegMnog".
    path = sideways_scan_pdf(tmp_path / "tekening.pdf", LINES)
    text = ocr_page(path, 1, dpi=200)  # a lower resolution than builds use, to keep the test quick
    for word in ("Bouwbesluittoets", "brandcompartimentering", "Nieuwendijk", "vluchtroutes"):
        assert word in text, text


def test_unsure_words_are_left_out_and_lines_and_paragraphs_kept():
    words = [Word("De", 95, (1, 1, 1)), Word("brandweer", 91, (1, 1, 1)), Word("EeZsj", 12, (1, 1, 1)),
             Word("adviseert.", 88, (1, 1, 2)), Word("Dh", 20, (1, 2, 1)), Word("Bijlage", 90, (2, 1, 1))]
    assert words_to_text(words) == "De brandweer\nadviseert.\n\nBijlage"


@needs_ocr
def test_word_boxes_of_a_page_read_turned_stand_where_the_word_lies_on_the_page(tmp_path):
    # The page view marks OCR words on the page as the PDF shows it: boxes read upright must be turned back.
    from indexer.extract.ocr import ocr_page_words
    from tests.pdf_fixtures import HEIGHT, WIDTH
    path = sideways_scan_pdf(tmp_path / "tekening.pdf", LINES)
    _, boxes = ocr_page_words(path, 1, dpi=200)
    [left, top, right, bottom, _] = next(b for b in boxes if b[4] == "Bouwbesluittoets")
    page_width, page_height = HEIGHT, WIDTH  # a landscape page
    # The first line lies along the left edge, read from the bottom up: a tall, narrow box near the left.
    assert (bottom - top) * page_height > 3 * (right - left) * page_width
    assert right < 0.25 and bottom > 0.5


@pytest.mark.parametrize("rotation, expected", [(0, [0.1, 0.2, 0.3, 0.4]), (90, [0.2, 0.7, 0.4, 0.9]),
                                                (180, [0.7, 0.6, 0.9, 0.8]), (270, [0.6, 0.1, 0.8, 0.3])])
def test_boxes_read_on_a_turned_page_are_turned_back(rotation, expected):
    from indexer.extract.ocr import unrotate
    assert unrotate((0.1, 0.2, 0.3, 0.4), rotation) == expected
