"""The page view in Chromium: follow "p. N" from a result and see the marks where the words stand on the page."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from indexer.extract.ocr import ocr_missing_reason
from indexer.index.build import build_index
from tests.browser.conftest import WIDTHS
from tests.page_corpus import SCAN_PAGES, write_page_corpus
from tests.pdf_fixtures import scan_pdf
from tests.servers import waitress_server


@pytest.fixture(scope="module")
def page_server(tmp_path_factory):
    """waitress over the page-view corpus (a text PDF with a compound word, a letter with a scanned page)."""
    root = tmp_path_factory.mktemp("pageview-browser")
    corpus = write_page_corpus(root / "corpus")
    build_index(corpus, root / "index")
    settings = {"KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(root / "index"),
                "KENNISBANK_INSTANCE": str(root / "instance"), "KENNISBANK_SECRET_KEY": "browser-tests"}
    with waitress_server(settings, log=root / "server.log") as base:
        yield base, corpus


def word_boxes(pdf_path, number: int, word: str) -> list[tuple[float, float, float, float]]:
    """Every occurrence of `word` on a page as (left, top, right, bottom) in points from the top left, found by
    pypdfium2's own text search (independent of the page view's analysis)."""
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        page = doc[number - 1]
        height = page.get_size()[1]
        textpage = page.get_textpage()
        search = textpage.search(word, match_case=False)
        boxes = []
        while (found := search.get_next()) is not None:
            start, count = found
            chars = [textpage.get_charbox(i) for i in range(start, start + count)]
            boxes.append((chars[0][0], height - max(c[3] for c in chars), chars[-1][2], height - min(c[1] for c in chars)))
        return boxes
    finally:
        doc.close()


def marks_in_points(pg) -> list[tuple[float, float, float, float]]:
    """The marks as drawn on screen, mapped back to page points through the image's on-screen box."""
    image = pg.locator("img.page-image").bounding_box()
    width, height = (float(v) for v in pg.locator("svg.page-marks").get_attribute("viewBox").split()[2:])
    sx, sy = width / image["width"], height / image["height"]
    out = []
    for rect in pg.locator("rect.page-mark").all():
        b = rect.bounding_box()
        out.append(((b["x"] - image["x"]) * sx, (b["y"] - image["y"]) * sy,
                    (b["x"] + b["width"] - image["x"]) * sx, (b["y"] + b["height"] - image["y"]) * sy))
    return out


def same_place(mark, word, slack: float) -> bool:
    """The mark's left and right edges are the word's, and the word's middle line lies inside the mark."""
    return (abs(mark[0] - word[0]) <= slack and abs(mark[2] - word[2]) <= slack
            and mark[1] - slack <= (word[1] + word[3]) / 2 <= mark[3] + slack)


@pytest.mark.parametrize("size", list(WIDTHS))
def test_follow_p_n_from_a_result_and_see_the_marks_on_the_words(browser, page_server, size):
    base, corpus = page_server
    ctx = browser.new_context(viewport={"width": WIDTHS[size][0], "height": WIDTHS[size][1]}, locale="nl-NL")
    pg = ctx.new_page()
    try:
        pg.goto(base + "/?q=verbod")
        hit = pg.locator("li.hit", has_text="Besluit over het internetverbod")
        link = hit.locator("a.page-link", has_text="p. 4")
        link.click()
        pg.wait_for_url(re.compile(r"/documenten/besluit-internet/pagina/4\?q=verbod$"))
        pg.wait_for_function("document.querySelector('img.page-image').complete "
                             "&& document.querySelector('img.page-image').naturalWidth > 0")
        assert pg.get_by_role("heading", level=1).inner_text().startswith("Pagina 4")
        marks = marks_in_points(pg)
        words = word_boxes(corpus / "pdf" / "besluit.pdf", 4, "verbod")  # finds "verbod" and "internetverbod"
        words = [w for w in words if not any(o != w and o[0] <= w[0] and w[2] <= o[2] + 0.5 and o[1] == w[1]
                                             for o in words)]  # "verbod" inside "internetverbod": the whole word
        internet = word_boxes(corpus / "pdf" / "besluit.pdf", 4, "internetverbod")
        want = [w for w in words if not any(abs(w[2] - i[2]) < 1 and abs(w[1] - i[1]) < 1 for i in internet)] + internet
        assert len(marks) == len(want) == 2, (marks, want)
        for w in want:
            assert any(same_place(m, w, slack=3) for m in marks), (marks, w)
        # the image really shows the page at this width: no sideways scrolling
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        ctx.close()


def test_the_page_view_works_from_the_keyboard(page, page_server):
    base, _ = page_server
    page.goto(base + "/documenten/besluit-internet/pagina/2?q=internetverbod")
    link = page.get_by_role("link", name=re.compile(r"Volgende treffer"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/pagina/4\?q=internetverbod$"))
    page.get_by_role("link", name="Open de PDF op deze pagina").wait_for()
    page.locator("#zoek-in-document").fill("samenscholing")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/documenten/besluit-internet\?q=samenscholing"))
    assert page.locator("#pagina-treffers ~ ul a.page-link").all_inner_texts()[0].startswith("p. 4")


@pytest.mark.skipif(ocr_missing_reason() is not None, reason="tesseract with the Dutch model is not installed")
def test_marks_on_a_scanned_page_stand_on_the_word(page, page_server, tmp_path):
    base, _ = page_server
    page.goto(base + "/documenten/gescande-brief/pagina/2?q=cameratoezicht")
    page.wait_for_function("document.querySelector('img.page-image').complete")
    marks = marks_in_points(page)
    # Where the word stands: the same page drawn as text, searched by pypdfium2.
    want = word_boxes(scan_pdf(tmp_path / "tekst.pdf", SCAN_PAGES, scanned=set()), 2, "cameratoezicht")
    assert len(marks) == len(want) == 1, (marks, want)
    assert same_place(marks[0], want[0], slack=4), (marks, want)


BENCH = Path(__file__).resolve().parents[3] / "shared" / "bench-pdfs"
REAL = {  # name in the test corpus -> bench PDF: a letter with a text layer, a wide table, a scan without text
    "medialogica": "rijksoverheid/Bes-Besluit+op+Wob-verzoek+mbt+de+beantwoording+van+Kamervragen+inzake+een+"
                   "tv-uitzending+van+Medialogica.pdf",
    "schiphol-inventaris": "rijksoverheid/Inv-inventarislijst+beslissing+op+bezwaar+tegen+wob-besluit+over+groei+"
                           "schiphol+op+middellange+termijn.pdf",
    "scan-besluit": "amsterdam/02_besluit_wob-verzoek.pdf",
}


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    """waitress over three real bench PDFs (copied into a temporary corpus, never into the repository)."""
    if not all((BENCH / rel).is_file() for rel in REAL.values()):
        pytest.skip(f"the bench PDFs are not here ({BENCH})")
    if ocr_missing_reason() is not None:
        pytest.skip("tesseract with the Dutch model is not installed")
    root = tmp_path_factory.mktemp("pageview-real")
    corpus = root / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    for name, rel in REAL.items():
        shutil.copyfile(BENCH / rel, corpus / "pdf" / f"{name}.pdf")
    (corpus / "catalogue.yaml").write_text("theme:\n  title: Test\n  intro: Echte PDF's.\nunlisted_access: public\ndocuments: []\n",
                                           encoding="utf-8")
    build_index(corpus, root / "index")
    settings = {"KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(root / "index"),
                "KENNISBANK_INSTANCE": str(root / "instance"), "KENNISBANK_SECRET_KEY": "browser-tests"}
    with waitress_server(settings, log=root / "server.log") as base:
        yield base, corpus


@pytest.mark.parametrize("name, number, word", [("medialogica", 1, "kamervragen"),
                                                ("schiphol-inventaris", 1, "advies")])
def test_marks_on_real_text_pdfs_stand_where_pdfium_finds_the_words(page, real_server, name, number, word):
    base, corpus = real_server
    page.goto(f"{base}/documenten/{name}/pagina/{number}?q={word}")
    page.wait_for_function("document.querySelector('img.page-image').complete")
    marks = marks_in_points(page)
    want = word_boxes(corpus / "pdf" / f"{name}.pdf", number, word)
    want = [w for w in want if not any(o != w and o[0] <= w[0] and w[2] <= o[2] and abs(o[1] - w[1]) < 1
                                       for o in want)]
    assert len(marks) == len(want) >= 5, (marks, want)
    for w in want:
        assert any(same_place(m, w, slack=2) for m in marks), (w, marks)


def test_marks_on_a_real_scan_follow_the_ocr_text(page, real_server):
    base, _ = real_server
    page.goto(f"{base}/documenten/scan-besluit/pagina/1?q=restaurant")
    page.wait_for_function("document.querySelector('img.page-image').complete")
    marks = marks_in_points(page)
    in_text = page.locator(".page-text-body mark").all_inner_texts()
    # Marks follow the OCR text: as many boxes as marked words in the text (how many of the letter's
    # "restaurant"s Tesseract reads with confidence depends on the OCR; at least one does).
    assert len(marks) == len(in_text) >= 1 and all(t.lower().startswith("restaurant") for t in in_text)
    width, height = (float(v) for v in page.locator("svg.page-marks").get_attribute("viewBox").split()[2:])
    # "Restaurant La Zoccola" and "restaurants" further down: word-sized boxes inside the letter's body
    assert all(0 < m[0] < m[2] < width and height / 3 < m[1] < m[3] < 2 * height / 3 and 5 < m[3] - m[1] < 20
               for m in marks), marks
    assert len({round(m[1] / 10) for m in marks}) == len(marks)  # each on its own line of the letter
