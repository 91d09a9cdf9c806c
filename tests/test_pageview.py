"""The page view: a PDF page as an image with the query's words marked where they stand, and search in a document."""
from __future__ import annotations

import io
import shutil
import re

import pypdfium2 as pdfium
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer, LTTextLine
from PIL import Image

from indexer.extract.ocr import ocr_missing_reason
from indexer.index import store
from indexer.index.build import build_index
from indexer.index.pdfstore import stored_pdf
from indexer.search.pagerender import PAGE_CACHE_DIRNAME, WIDTHS, PageCache
from search_app import create_app
from tests.page_corpus import SCAN_PAGES, write_page_corpus
from tests.pdf_fixtures import scan_pdf

BESLUIT = "/documenten/besluit-internet"
SCAN = "/documenten/gescande-brief"
RECT = re.compile(r'<rect class="page-mark" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)">')


@pytest.fixture(scope="module")
def page_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("pageview")
    corpus = write_page_corpus(root / "corpus")
    build_index(corpus, root / "index")
    return corpus, root / "index"


@pytest.fixture
def page_client(page_corpus, tmp_path):
    corpus, index = page_corpus
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    return app.test_client()


def marks(html: str) -> list[tuple[float, float, float, float]]:
    return [tuple(float(v) for v in m) for m in RECT.findall(html)]


def pdfminer_word_boxes(path, page_number: int, word: str) -> list[tuple[float, float, float, float]]:
    """Boxes (x, y from the top, w, h) of every occurrence of `word` inside a line, from pdfminer's LTChar boxes."""
    boxes = []
    for n, layout in enumerate(extract_pages(str(path)), start=1):
        if n != page_number:
            continue
        height = layout.height
        for box in layout:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if not isinstance(line, LTTextLine):
                    continue
                chars = [c for c in line if isinstance(c, LTChar)]
                text = "".join(c.get_text() for c in chars)
                for m in re.finditer(re.escape(word), text):
                    cs = chars[m.start():m.end()]
                    x0, x1 = cs[0].x0, cs[-1].x1
                    y0, y1 = min(c.y0 for c in cs), max(c.y1 for c in cs)
                    boxes.append((x0, height - y1, x1 - x0, y1 - y0))
    return boxes


def covers(mark, word, slack: float = 3.0) -> bool:
    """True when a mark box and a word box are the same word: edges within `slack` points horizontally, overlapping
    vertically (a loose text-layer box is taller than a glyph box)."""
    mx, my, mw, mh = mark
    wx, wy, ww, wh = word
    return (abs(mx - wx) <= slack and abs((mx + mw) - (wx + ww)) <= slack
            and my <= wy + wh / 2 <= my + mh)


def test_a_part_of_a_compound_marks_the_whole_word_where_pdfminer_sees_it(page_client, page_corpus):
    corpus, _ = page_corpus
    html = page_client.get(f"{BESLUIT}/pagina/2?q=verbod").get_data(as_text=True)
    found = marks(html)
    want = pdfminer_word_boxes(corpus / "pdf" / "besluit.pdf", 2, "internetverbod")
    assert len(want) == 1 and len(found) == 1, (found, want)
    assert covers(found[0], want[0]), (found, want)
    assert "1 plek gemarkeerd" in html


def test_every_occurrence_is_marked_and_nothing_else(page_client, page_corpus):
    corpus, _ = page_corpus
    html = page_client.get(f"{BESLUIT}/pagina/4?q=verbod").get_data(as_text=True)
    found = marks(html)
    pdf = corpus / "pdf" / "besluit.pdf"
    want = pdfminer_word_boxes(pdf, 4, "internetverbod") + [
        b for b in pdfminer_word_boxes(pdf, 4, "verbod") if b[0] < 100]  # the lone "verbod" near the margin
    assert len(found) == len(want) == 2
    for w in want:
        assert any(covers(m, w) for m in found), (found, w)
    assert "2 plekken gemarkeerd" in html


def test_page_view_navigation_section_pdf_link_and_text(page_client):
    r = page_client.get(f"{BESLUIT}/pagina/2?q=internetverbod")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Pagina 2" in html and "van 4" in html
    assert "Hoofdstuk: Het besluit" in html
    assert f'href="{BESLUIT}/pagina/1?q=internetverbod"' in html and f'href="{BESLUIT}/pagina/3?q=internetverbod"' in html
    # page 3 does not match: the next matching page is 4, and there is none before 2
    assert f'href="{BESLUIT}/pagina/4?q=internetverbod">Volgende treffer' in html
    assert '<span class="disabled">← Vorige treffer</span>' in html
    assert f'href="{BESLUIT}/pdf#page=2"' in html
    assert "Het <mark>internetverbod</mark> van de burgemeester" in html
    assert "Gevonden op 2 pagina&#39;s" in html or "Gevonden op 2 pagina's" in html


def test_page_without_the_words_says_so_and_marks_nothing(page_client):
    html = page_client.get(f"{BESLUIT}/pagina/3?q=internetverbod").get_data(as_text=True)
    assert marks(html) == []
    assert "staat op deze pagina" in html and "Geen van de zoekwoorden" in html
    assert f'href="{BESLUIT}/pagina/2?q=internetverbod">← Vorige treffer' in html


def test_excluded_words_are_not_marked(page_client):
    html = page_client.get(f"{BESLUIT}/pagina/4?q=samenscholing+NIET+internetverbod").get_data(as_text=True)
    assert len(marks(html)) == 1
    assert "<mark>internetverbod</mark>" not in html and "<mark>samenscholing</mark>" in html


@pytest.mark.parametrize("url", [
    f"{BESLUIT}/pagina/0", f"{BESLUIT}/pagina/5", f"{BESLUIT}/pagina/abc", f"{BESLUIT}/pagina/-1",
    f"{BESLUIT}/pagina/99999999999999999999", "/documenten/bestaat-niet/pagina/1",
    f"{BESLUIT}/pagina/1/afbeelding-751.webp", f"{BESLUIT}/pagina/9/afbeelding-750.webp",
])
def test_pages_that_do_not_exist_are_404(page_client, url):
    assert page_client.get(url).status_code == 404


@pytest.mark.parametrize("q", ['"internet', "NIET", "verbod*", "*", "a" * 1200, "titel:", "((", "jaar:abc", "-verbod"])
def test_odd_queries_never_break_the_page_view(page_client, q):
    r = page_client.get(f"{BESLUIT}/pagina/4", query_string={"q": q})
    assert r.status_code == 200


def test_a_prefix_query_marks_the_words_it_finds(page_client):
    html = page_client.get(f"{BESLUIT}/pagina/4?q=samensch*").get_data(as_text=True)
    assert len(marks(html)) == 1 and "<mark>samenscholing</mark>" in html


def test_images_come_in_the_srcset_widths_and_from_the_disk_cache(page_client, page_corpus):
    _, index = page_corpus
    html = page_client.get(f"{BESLUIT}/pagina/2?q=verbod").get_data(as_text=True)
    for width in WIDTHS:
        assert f"{BESLUIT}/pagina/2/afbeelding-{width}.webp {width}w" in html
        r = page_client.get(f"{BESLUIT}/pagina/2/afbeelding-{width}.webp")
        assert r.status_code == 200 and r.mimetype == "image/webp"
        image = Image.open(io.BytesIO(r.data))
        assert image.format == "WEBP" and image.width == width
        assert abs(image.height / image.width - 841.89 / 595.28) < 0.01
    cached = sorted((index / PAGE_CACHE_DIRNAME).rglob("besluit-internet-2-*.webp"))
    assert [p.parent.name for p in cached] == ["public", "public"]
    # A cached page is a file read: what is on disk is what is sent.
    cached[0].write_bytes(b"RIFF-cached-bytes")
    assert page_client.get(f"{BESLUIT}/pagina/2/afbeelding-{cached[0].stem.rsplit('-', 1)[1]}.webp").data \
        == b"RIFF-cached-bytes"
    cached[0].unlink()


def test_the_page_cache_stays_within_its_bound_and_evicts_the_oldest(tmp_path):
    cache = PageCache(tmp_path / "pages", max_bytes=10_000)
    paths = [cache.path("gen-1", "public", "doc", n, 750) for n in range(1, 8)]
    for path in paths:
        cache.put(path, b"x" * 3000)
    assert cache.size() <= 10_000
    assert paths[-1].exists() and not paths[0].exists()
    cache.put(cache.path("gen-2", "public", "doc", 1, 750), b"y" * 3000)
    assert cache.size() <= 10_000 and not (tmp_path / "pages" / "gen-1" / "public" / "doc-1-750.webp").exists()


def test_result_hits_link_their_pages_to_the_page_view(page_client):
    html = page_client.get("/?q=internetverbod").get_data(as_text=True)
    assert f'href="{BESLUIT}/pagina/2?q=internetverbod">p. 2' in html
    assert f'href="{BESLUIT}/pdf#page=2"' in html  # the PDF stays one click away


def test_search_inside_a_document_lists_its_pages_in_page_order(page_client):
    html = page_client.get(f"{BESLUIT}?q=verbod").get_data(as_text=True)
    assert 'id="zoek-in-document"' in html
    linked = [int(n) for n in re.findall(rf'href="{BESLUIT}/pagina/(\d+)\?q=verbod">p\. ', html)]
    assert linked == [2, 4]  # page order, although page 4 (two hits) ranks first
    assert "<mark>" in html.split('id="pagina-treffers"')[1]


def test_search_inside_a_document_without_matches_says_so(page_client):
    html = page_client.get(f"{BESLUIT}?q=cameratoezicht").get_data(as_text=True)
    assert "Geen pagina&#39;s in de PDF" in html or "Geen pagina's in de PDF" in html


@pytest.mark.skipif(ocr_missing_reason() is not None, reason="tesseract with the Dutch model is not installed")
def test_words_on_a_scanned_page_are_marked_from_the_ocr_word_boxes(page_client, tmp_path):
    html = page_client.get(f"{SCAN}/pagina/2?q=cameratoezicht").get_data(as_text=True)
    assert "gelezen met OCR" in html
    found = marks(html)
    assert len(found) == 1, html
    # Where the word really stands: the same page drawn as text, searched by pypdfium2's own text search.
    text_version = scan_pdf(tmp_path / "tekst.pdf", SCAN_PAGES, scanned=set())
    doc = pdfium.PdfDocument(str(text_version))
    page = doc[1]
    searcher = page.get_textpage().search("cameratoezicht")
    start, count = searcher.get_next()
    boxes = [page.get_textpage().get_charbox(i) for i in range(start, start + count)]
    height = page.get_size()[1]
    left, right = boxes[0][0], boxes[-1][2]
    top, bottom = height - max(b[3] for b in boxes), height - min(b[1] for b in boxes)
    doc.close()
    x, y, w, h = found[0]
    assert abs(x - left) < 4 and abs(x + w - right) < 4, (found[0], left, right)
    assert y - 3 < (top + bottom) / 2 < y + h + 3, (found[0], top, bottom)


def test_a_phrase_is_marked_as_a_whole_and_only_where_it_stands(page_client):
    # "15 april 2024" stands on page 4 as one date, marked as one; "april 15" stands nowhere, so nothing is marked.
    html = page_client.get(f'{BESLUIT}/pagina/4?q="15 april 2024"').get_data(as_text=True)
    assert len(marks(html)) == 1
    assert "<mark>15 april 2024</mark>" in html
    html = page_client.get(f'{BESLUIT}/pagina/4?q="april 15"').get_data(as_text=True)
    assert marks(html) == [] and "<mark>" not in html.split('id="paginatekst"')[1]


def test_a_pdf_damaged_after_the_build_is_a_404_not_a_server_error(page_corpus, tmp_path):
    corpus, index = page_corpus
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    index = tmp_path / "index"
    # The page view reads the copy the generation was built with (as /pdf does): damage that one.
    sha = store.read_manifest(store.current_generation(index))["pdfs"]["besluit.pdf"]
    stored_pdf(index, sha).write_bytes(b"%PDF-1.4\n" + b"\x00kapot" * 50)
    app = create_app({"TESTING": True, "CORPUS_DIR": str(tmp_path / "corpus"), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    client = app.test_client()
    assert client.get(f"{BESLUIT}/pagina/2?q=verbod").status_code == 404
    assert client.get(f"{BESLUIT}/pagina/3/afbeelding-750.webp").status_code == 404
