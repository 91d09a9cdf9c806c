"""The fast content-stream path (indexer.extract.contentstream, indexer.extract.internals) against pdfminer's own."""
from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psexceptions import PSEOF
from pdfminer.psparser import PSKeyword, PSLiteral

from bench.content_sameness import layouts
from indexer.extract import internals
from indexer.extract.contentstream import Unsure, content_objects
from indexer.extract.textlayer import extract_text_layer
from tests.pdf_fixtures import BODY, lines_pdf, pdf_from_objects, two_column_pdf
from tests.relevance.real import BENCH_PDFS


def pdfminer_objects(parts: list[bytes]) -> list:
    """What pdfminer's PDFContentParser yields for these content streams of one page."""
    try:
        parser = PDFContentParser([PDFStream({}, part) for part in parts])
    except PSEOF:
        return []
    found = []
    while True:
        try:
            found.append(parser.nextobject()[1])
        except PSEOF:
            return found


def same(a, b) -> bool:
    """Equal values of the same types all the way down; names and keywords the same interned objects."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (PSKeyword, PSLiteral)):
        return a is b
    return a == b


def assert_same_objects(*parts: bytes) -> list:
    ours = content_objects(list(parts))
    theirs = pdfminer_objects(list(parts))
    assert same(ours, theirs), (ours, theirs)
    return ours


@pytest.mark.parametrize("content", [
    b"BT /F1 12 Tf 72 712 Td (Hallo wereld) Tj ET",
    rb"(a\(b\)c \\ \n\r\t\b\f \101\60\0601 \q \
doorlopend) Tj",
    b"(buiten (binnen (diep)) weer buiten) Tj ((x)) Tj (()) Tj",
    b"(regel\r\nnieuw\\\r\nvervolg\\\rnog) Tj",
    b"<48656C6C6F> Tj <4 8 6\n5> Tj <414> Tj <> Tj <4g> Tj < 41 >> Tj",
    b"[(A) 120 (B) -3.5 (C)] TJ [1 [2 [3]] /N] Tj",
    b"<< /Type /X /W 10 /D << /A [1 2] >> (k) /v >> BDC EMC [ << /In /Array >> ] ] } >> Tj",
    b"4.-5 --1 +7 -0 .5 5. -.5 1.2.3 . - + 007 -00.100 12abc 3/N Tj",
    b"% commentaar met (haakje en <<\n 1 2 m % nog een\r3 4 l S %eind",
    b"/N#41me /#23 /a#4 /a# /x#4g /caf\xc3\xa9 /\xff / Tj /L%c\n",
    b"true false truex nul null T* ' \" d0 d1 \x00 1\x002 \xe9 ) { 1 } q",
    b"<<>> [] [ ] << /A (x) >>> Tj",
    b"1 0 0 1 0 0 cm q Q",
    b"",
    b" \n\t\f\r ",
])
def test_the_same_objects_as_pdfminer(content):
    assert_same_objects(content)


def test_a_page_of_many_streams_and_tokens_across_them():
    # pdfminer ends a keyword, number or name at the end of its stream; the next stream starts a new token
    assert_same_objects(b"BT /F1 1", b"2 Tf 72 71", b"2 Td (Hallo) T", b"j ET")
    assert_same_objects(b"q 1 0 0 1 0 0 cm\n", b"", b"Q /Na", b"me 3 [1 2", b" 3] d0 % open", b"commentaar")


def test_what_it_is_not_sure_of_goes_to_pdfminer():
    # a string, hex string, "<" or ">" across two streams: pdfminer joins them in ways of its own
    for parts in ([b"(Hal", b"lo) Tj"], [b"<4142", b"43> Tj"], [b"1 <", b"< /A 1 >> BDC"], [b"/", b"Naam"],
                  [b"/A#4", b"1"], [b"<41> Tj >", b"> x"]):
        with pytest.raises(Unsure):
            content_objects(parts)
    with pytest.raises(Unsure):
        content_objects([b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI"])  # inline image
    with pytest.raises(Unsure):
        content_objects([b"(\\777) Tj"])  # pdfminer fails an assertion
    with pytest.raises(Unsure):
        content_objects([b"<< /A >> BDC"])  # pdfminer raises PSSyntaxError
    # an escaped \r\n whose \r is the last byte of pdfminer's 4096-byte read: pdfminer keeps the \n
    with pytest.raises(Unsure):
        content_objects([b" " * (4096 - 3) + b"(\\\r\nx) Tj"])
    assert_same_objects(b" " * (4096 - 4) + b"(\\\r\nx) Tj")


FRAGMENTS = [b" ", b"\n", b"\r", b"\r\n", b"\t", b"\x00", b"1", b"23", b"-", b"+", b".", b"4.-5", b"--1", b"0.5", b".5",
             b"Tj", b"TJ", b"T*", b"'", b'"', b"true", b"/F1", b"/", b"/a#41", b"#", b"(", b")", b"\\", b"\\(", b"\\)",
             b"\\n", b"\\12", b"\\0", b"\\\r\n", b"\\q", b"(abc)", b"((x))", b"<", b">", b"<<", b">>", b"<41>",
             b"<4 1 2>", b"[", b"]", b"{", b"}", b"% c\n", b"\xe9", b"q", b"cm", b"EI", b"d0"]


def test_random_content_in_up_to_three_streams_as_pdfminer_reads_it():
    rng = random.Random(19)
    checked = 0
    for trial in range(3000):
        data = b"".join(rng.choice(FRAGMENTS) for _ in range(rng.choice([3, 12, 40] if trial % 100 else [3000])))
        cuts = sorted(rng.sample(range(len(data) + 1), rng.choice([0, 1, 2])))
        parts = [data[a:b] for a, b in zip([0] + cuts, cuts + [len(data)])]
        try:
            ours = content_objects(parts)
        except Unsure:
            continue
        try:
            theirs = pdfminer_objects(parts)
        except Exception as exc:  # pdfminer stops where content_objects did not hand over: a difference
            raise AssertionError((parts, exc)) from None
        assert same(ours, theirs), parts
        checked += 1
    assert checked > 1000


def raw_pdf(path: Path, pages: list[list[bytes]], xobject: bytes | None = None) -> Path:
    """A PDF whose pages have exactly these content streams (Helvetica as /F1, an optional form as /Fm1)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    resources = b"<< /Font << /F1 3 0 R >>"
    if xobject is not None:
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Length %d >>\nstream\n" % len(xobject) + xobject + b"\nendstream")
        resources += b" /XObject << /Fm1 %d 0 R >>" % len(objects)
    resources += b" >>"
    for streams in pages:
        refs = []
        for data in streams:
            objects.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
            refs.append(b"%d 0 R" % len(objects))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources " + resources +
                       b" /Contents [" + b" ".join(refs) + b"] >>")
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    return pdf_from_objects(path, objects)


def assert_same_layout(path: Path) -> list:
    ours, theirs = layouts(path, fast=True), layouts(path, fast=False)
    assert ours == theirs
    assert internals.ENABLED
    return ours


def test_pages_laid_out_exactly_as_by_pdfminer(tmp_path):
    line = b"BT /F1 11 Tf 72 %d Td (%s) Tj ET\n"
    text = [b"Regel %d: de burgemeester \\(art. 172\\) kan een noodbevel geven." % n for n in range(30)]
    pages = [
        [b"".join(line % (760 - 20 * n, t) for n, t in enumerate(text))],
        # operators with too few operands, extra operands left on the stack, an unknown operator, a TJ array
        [b"BT /F1 12 Tf 5 Td 7 8 9 q Q 100 700 Td [(Hal) 120 (lo) -500 (wereld)] TJ 3 0 Tw (een zin met spaties) Tj"
         b" 2 Tc 14 TL T* (volgende regel) ' 1 2 (aan) \" foo ET"],
        # one text object in three streams, each ending in a token without white space after it
        [b"BT /F1 10 Tf 72 600 Td", b"(Gesplitst) Tj", b"0 -14 Td (over drie stromen) Tj ET"],
        [b"q 1 0 0 1 20 30 cm /Fm1 Do Q BT /F1 9 Tf 300 100 Td (naast de figuur) Tj ET"],
        # an inline image: this page is read by pdfminer's parser
        [b"q 10 0 0 10 100 100 cm BI /W 2 /H 1 /BPC 8 /CS /G ID \x10\x80 EI Q BT /F1 10 Tf 72 500 Td (na het "
         b"plaatje) Tj ET"],
        # a string across two streams: pdfminer's parser too
        [b"BT /F1 10 Tf 72 500 Td (over de", b"grens) Tj ET"],
    ]
    form = b"BT /F1 10 Tf 10 10 Td (tekst in een formulier) Tj ET"
    found = assert_same_layout(raw_pdf(tmp_path / "ruw.pdf", pages, xobject=form))
    assert len(found) == 6 and "error" not in {page[0] for page in found}
    pages_text = [p["text"] for p in extract_text_layer(tmp_path / "ruw.pdf").to_dict()["pages"]]
    assert "noodbevel" in pages_text[0] and "wereld" in pages_text[1] and "Gesplitst" in pages_text[2]
    assert "formulier" in pages_text[3] and "na het plaatje" in pages_text[4]
    assert "'(cid:10)'" in repr(found[5])  # pdfminer joins the two parts of the string with a line feed


def test_generated_documents_laid_out_exactly_as_by_pdfminer(tmp_path):
    assert_same_layout(two_column_pdf(tmp_path / "kolommen.pdf", ["De burgemeester kan bij ernstige",
                                                                  "vrees een noodbevel geven."] * 8,
                                      ["De driehoek bespreekt de inzet", "van de mobiele eenheid."] * 8))
    assert_same_layout(lines_pdf(tmp_path / "vera.pdf", [[f"{n}. fijne flora {BODY}"[:90] for n in range(40)]] * 2,
                                 font="Vera", header="Gemeente Zeestad", footer="Pagina {n} van {total}"))


def test_another_pdfminer_release_uses_pdfminer_itself(tmp_path, monkeypatch, caplog):
    import pdfminer

    path = raw_pdf(tmp_path / "ruw.pdf", [[b"BT /F1 12 Tf 72 700 Td (Hallo) Tj ET"]])
    monkeypatch.setattr(pdfminer, "__version__", "20991231")
    called = []
    monkeypatch.setattr(internals, "content_objects", lambda datas: called.append(datas) or [])
    with caplog.at_level(logging.WARNING, logger="kennisbank.extract"):
        assert extract_text_layer(path).to_dict()["pages"][0]["text"] == "Hallo"
    assert not called and "20991231" in caplog.text
    monkeypatch.setattr(pdfminer, "__version__", internals.WRITTEN_FOR)
    extract_text_layer(path)
    assert called  # the fast path is used on the release it was written for


def test_the_real_bench_pdfs_are_laid_out_exactly_as_by_pdfminer():
    if not BENCH_PDFS.is_dir():
        pytest.skip(f"echte PDF's ontbreken in {BENCH_PDFS}: de vergelijking met pdfminer is overgeslagen "
                    "(volledig: python -m bench.content_sameness)")
    files = sorted(p for p in BENCH_PDFS.rglob("*") if p.suffix.lower() == ".pdf")
    for path in files[::12]:  # a spread of them; bench/content_sameness.py compares every page of every one
        assert_same_layout(path)
