"""Extraction quality: hyphens, ligatures, running heads, columns, garbage text, outline sections, encryption."""
from __future__ import annotations

import pytest

from indexer.extract import ExtractionError, extract_pdf
from indexer.extract.clean import clean_text, is_garbage
from indexer.extract.running_heads import Line, is_page_number, running_lines
from tests.pdf_fixtures import encrypted_pdf, lines_pdf, pdf_from_objects, two_column_pdf


@pytest.mark.parametrize("raw, expected", [
    ("de opsporings-\ndiensten werken", "de opsporingsdiensten werken"),            # typesetting break: join
    ("de beveiligings-\nen opsporingsdiensten", "de beveiligings- en opsporingsdiensten"),  # suspended hyphen
    ("provincie Noord-\nHolland", "provincie Noord-Holland"),                       # real hyphen, capital
    ("is up-to-\ndate", "is up-to-date"),                                           # chain compound
    ("de informatie-\nuitwisseling", "de informatie-uitwisseling"),                 # Dutch vowel clash
    ("in 2019-\n2020", "in 2019-\n2020"),                                           # numbers are left alone
    ("de maat-\nregelen", "de maatregelen"),
    ("zie e-mail en e-\nmail", "zie e-mail en e-mail"),                             # the document's own spelling
])
def test_line_end_hyphens(raw, expected):
    from indexer.extract.clean import page_vocabulary

    assert clean_text(raw, page_vocabulary([raw])) == expected


@pytest.mark.parametrize("raw, expected", [
    ("de \ufb01nanciering en \ufb02exibiliteit", "de financiering en flexibiliteit"),  # ligatures (NFKC)
    ("opsporings\u00addiensten", "opsporingsdiensten"),                                # soft hyphen inside a line
    ("opsporings\u00ad\ndiensten", "opsporingsdiensten"),                              # soft hyphen at a line end
    ("nood\x00bevel\x07", "noodbevel"),                                                # control characters
    ("a\u2011b", "a-b"),                                                               # non-breaking hyphen
])
def test_normalisation(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize("raw, garbage", [
    ("(cid:12)(cid:45)(cid:77)(cid:3) (cid:9)(cid:10)", True),
    ("\ufffd\ufffd\ufffd\ufffd abc", True),
    ("\ue000\ue001\ue002\ue003", True),
    ("De burgemeester (cid:3) kan een noodbevel geven.", False),
    ("", False),
])
def test_garbage_detection(raw, garbage):
    assert is_garbage(raw) is garbage


@pytest.mark.parametrize("text, expected", [
    ("12", True), ("- 3 -", True), ("Pagina 2 van 9", True), ("blz. 4", True), ("iv", True), ("3/12", True),
    ("Hoofdstuk 3", False), ("De burgemeester", False),
])
def test_page_number_lines(text, expected):
    assert is_page_number(text) is expected


def test_running_heads_drop_only_boxes_wholly_in_the_band():
    height = 800.0
    page = lambda n: [  # noqa: E731
        [Line("Kwartaalbericht veiligheid", 780, 790)],                       # header, repeats
        [Line("Dit is de body die tot in de voetmarge loopt", 200, 210),
         Line("Kwartaalbericht veiligheid", 50, 60)],                        # body reaching the margin
        [Line(["Slotregel over de wijkaanpak", "Een andere slotregel"][n - 1], 40, 50)],  # in the band, unique
        [Line(f"- {n} -", 20, 30)],                                           # page number
    ]
    drops = running_lines([(height, page(1)), (height, page(2))])
    assert drops == [{0, 3}, {0, 3}]


def test_a_line_atop_a_few_of_many_pages_is_body_text_not_a_header():
    # Seen in a real 66-page Wob decision: "De rapporteur," alone atop 5 continuation pages was dropped.
    pages = [(800.0, [[Line("De rapporteur,", 760, 770)] if n in (3, 7) else [Line("Tekst " + "abcdefghijklmnopqrst"[n] * 3, 400, 410)]])
             for n in range(20)]
    assert running_lines(pages) == [set()] * 20


def test_short_box_repeated_on_most_pages_is_a_running_sidebar():
    sidebar = [Line("Directie Wetgeving en", 600, 610), Line("Juridische Zaken", 588, 598)]
    pages = [(800.0, [[Line(f"Eigen tekst van pagina {'abcd'[n]} over het besluit", 500, 510)], sidebar])
             for n in range(4)]
    assert running_lines(pages) == [{1}] * 4
    numbered = [(800.0, [[Line(f"Artikel {n}", 500, 510)]]) for n in range(4)]
    assert running_lines(numbered) == [set()] * 4
    # Seen in a real bundle of 53 reports: the same closing formula at a different height on each page is kept.
    closing = [(800.0, [[Line("Aldus opgemaakt.", 500 - 40 * n, 510 - 40 * n),
                         Line("De rapporteur,", 488 - 40 * n, 498 - 40 * n)]]) for n in range(4)]
    assert running_lines(closing) == [set()] * 4


def test_pdf_text_is_clean_and_page_true(tmp_path):
    pages = [[f"Regel {i} over de aanpak van onrust in de wijk." for i in range(25)] for _ in range(3)]
    pages[1][5] = "De \ufb01nanciering van de opsporings-"
    pages[1][6] = "diensten en de beveiligings-"
    pages[1][7] = "en opsporingsdiensten in Noord-"
    pages[1][8] = "Holland."
    pdf = extract_pdf(lines_pdf(tmp_path / "a.pdf", pages, font="Vera", header="Kustwachtrapportage Zeeland",
                                footer="Pagina {n} van {total}", outline=[(1, "Inleiding"), (2, "Hoofdstuk 2 – Aanpak")]))
    assert [p.number for p in pdf.pages] == [1, 2, 3]
    assert [p.section for p in pdf.pages] == ["Inleiding", "Hoofdstuk 2 – Aanpak", "Hoofdstuk 2 – Aanpak"]
    text = pdf.pages[1].text
    assert "De financiering van de opsporingsdiensten en de beveiligings- en opsporingsdiensten in Noord-Holland." \
        in text.replace("\n", " ")
    assert all("Kustwachtrapportage" not in p.text and "Pagina" not in p.text for p in pdf.pages)
    assert text.startswith("Regel 0")


def test_two_columns_are_read_one_after_the_other(tmp_path):
    left = [f"Links {i} de burgemeester kan een noodbevel geven" for i in range(20)]
    right = [f"Rechts {i} de driehoek overlegt over handhaving" for i in range(20)]
    text = extract_pdf(two_column_pdf(tmp_path / "k.pdf", left, right)).pages[0].text
    assert text.splitlines()[:20] == left
    assert text.index(left[-1]) < text.index(right[0])


def test_encrypted_with_empty_user_password_extracts(tmp_path):
    pdf = extract_pdf(encrypted_pdf(tmp_path / "e.pdf", "Versleutelde notitie over demonstraties", ""))
    assert pdf.pages[0].text == "Versleutelde notitie over demonstraties"


def test_encrypted_with_a_real_password_is_reported(tmp_path):
    with pytest.raises(ExtractionError, match="versleuteld"):
        extract_pdf(encrypted_pdf(tmp_path / "e.pdf", "Geheime notitie", "geheim"))


def test_running_heads_of_ocr_pages_are_dropped_by_repetition():
    from indexer.extract import ExtractedPDF, Page
    from indexer.extract.pages import drop_ocr_running_lines

    bodies = ["Het college besluit het verzoek toe te wijzen.", "De stukken worden openbaar gemaakt.",
              "Tegen dit besluit kunt u bezwaar maken."]
    pdf = ExtractedPDF(pages=[Page(n, f"Gemeente Amsterdam Datum 10 december 2020\n\nPagina {n} van 36\n\n{body}",
                                   ocr=True) for n, body in enumerate(bodies, start=1)])
    drop_ocr_running_lines(pdf)
    assert [p.text for p in pdf.pages] == bodies


def pdf_with_info_title(path, title: bytes):
    """A one-page PDF whose document information Title is the given raw (PDFDocEncoding) string."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>", b"<< /Title (" + title + b") >>"]
    return pdf_from_objects(path, objects, trailer=b"/Root 1 0 R /Info 4 0 R")


def test_pdf_metadata_is_decoded_as_pdfdocencoding(tmp_path):
    # Reproduces a bug: titles were decoded as latin-1, so PDFDocEncoding's dashes and quotes became controls.
    from indexer.extract.metadata import read_metadata
    path = pdf_with_info_title(tmp_path / "t.pdf", b"Beleid \\205 notitie \\215openbaar\\216")
    title, _ = read_metadata(path)
    assert title == "Beleid \u2013 notitie \u201copenbaar\u201d"
