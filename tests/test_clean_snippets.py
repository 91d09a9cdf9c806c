"""Snippets from clean sentences: no table cells glued together, no OCR junk, no column mixed into another, and no
sentence shown twice in one result (issue 14)."""
from __future__ import annotations

import re

import pytest
import yaml
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from indexer.extract import textlayer
from indexer.extract.single import extract_pdf
from indexer.index import store
from indexer.index.build import build_index
from indexer.search import QueryService, SearchRequest
from wordfreq import top_n_list, zipf_frequency

from indexer.search.passages import Seen, _zipf_at_least, junk_line, passages
from indexer.search.snippets import page_snippet, strip_marks
from search_app import create_app

WIDTH, HEIGHT = A4


def test_junk_lines_are_told_from_text():
    assert junk_line("we mame EE me tn en Bk COT O6")
    assert junk_line("cL(Ge Clooc hcW-r)(9en hebberN b-e-Erc-ictc(n")
    assert junk_line("MNIMINNOMENNE")
    assert not junk_line("De burgemeester heeft een noodbevel gegeven.")
    assert not junk_line("Oude Koggestraat 19")
    assert not junk_line("Deels openbaar 10.2.e")
    assert not junk_line("12-03-2021")


def test_running_text_is_cut_into_sentences_and_tables_into_lines():
    text = ("De minister heeft het verzoek ontvangen op 3 maart. Zij besluit het\n"
            "verzoek gedeeltelijk toe te wijzen, zie art. 10 van de Wob. Dat licht zij hieronder toe.\n\n"
            "Nr.\n12\n13\n\nOmschrijving\nMail noodbevel\nNota noodbevel\n")
    found = [(text[p.start:p.end], p.clean) for p in passages(text)]
    assert found[:3] == [("De minister heeft het verzoek ontvangen op 3 maart.", True),
                         ("Zij besluit het\nverzoek gedeeltelijk toe te wijzen, zie art. 10 van de Wob.", True),
                         ("Dat licht zij hieronder toe.", True)]
    assert found[3:] == [("Nr.", False), ("12", False), ("13", False), ("Omschrijving", False),
                         ("Mail noodbevel", False), ("Nota noodbevel", False)]


def _chars(text: str, *words: str) -> dict:
    """Where each word stands in a text, as the index stores it: {word: [(position, start, end)]}."""
    return {w: [(0, m.start(), m.end()) for m in re.finditer(w, text)] for w in words}


def test_a_sentence_beats_table_cells_and_cells_are_not_glued():
    table = "Nr.\n12\n13\n\nOmschrijving\nMail noodbevel supporters\nVerslag noodbevel supporters\n\nDeels openbaar\n"
    prose = "De burgemeester gaf een noodbevel aan de supporters die zich bij het station verzamelden."
    snippet = page_snippet(table + "\n\n" + prose, _chars(table + "\n\n" + prose, "noodbevel", "supporters"), Seen())
    assert strip_marks(snippet) == prose
    only_table = page_snippet(table, _chars(table, "noodbevel", "supporters"), Seen())
    assert strip_marks(only_table) == "Mail noodbevel supporters"  # one cell, not the column glued together


def test_a_citation_wrapped_over_two_table_lines_is_shown_whole():
    # Reproduces the merge of issues 14a and 14c: an inventory cell "Art. 10 lid 2 sub e / Wob" is one citation
    # term over two lines, and fitted no single line's passage, so the page showed "p. 12" with no snippet.
    table = "Nr.\n12\n\nGedeeltelijk openbaar\nArt. 10 lid 2 sub e\nWob\nInspectie\n"
    start = table.index("Art.")
    chars = {"\u00a710\u00a72\u00a7e\u00a7": [(0, start, table.index("Wob") + 3)]}
    snippet = page_snippet(table, chars, Seen())
    assert snippet.startswith("<mark>Art. 10 lid 2 sub e") and strip_marks(snippet).endswith("Wob")


def test_a_junk_line_loses_to_a_sentence_with_the_word():
    text = ("we mame EE noodbevel tn en Bk COT O6\n\n"
            "Het noodbevel gold voor de omgeving van het stadion en duurde tot middernacht.")
    snippet = page_snippet(text, _chars(text, "noodbevel"), Seen())
    assert strip_marks(snippet) == "Het noodbevel gold voor de omgeving van het stadion en duurde tot middernacht."


def test_a_sentence_already_shown_is_not_shown_again():
    text = ("De burgemeester gaf een noodbevel aan de supporters.\n\n"
            "Het noodbevel is door de politie gehandhaafd in de hele binnenstad.")
    seen = Seen()
    first = strip_marks(page_snippet(text, _chars(text, "noodbevel"), seen))
    second = strip_marks(page_snippet(text, _chars(text, "noodbevel"), seen))
    assert first and second and set(first.split(" … ")).isdisjoint(second.split(" … "))
    assert page_snippet(text, _chars(text, "noodbevel"), seen) == ""  # both sentences shown: nothing new


SUMMARY = "De burgemeester gaf op 3 april een noodbevel aan de supporters van de club."
DISCLAIMER = "Dit bericht over het noodbevel is uitsluitend bestemd voor de geadresseerde van deze mail."


def narrow_columns_pdf(path, left: list[str], right: list[str], gutter: float = 18):
    """Two columns of 10 pt text with a gutter of `gutter` points, as reports and newsletters set them."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    x_right = 60 + max(stringWidth(line, "Helvetica", 10) for line in left) + gutter
    for i, (a, b) in enumerate(zip(left, right)):
        c.drawString(60, HEIGHT - 100 - 13 * i, a)
        c.drawString(x_right, HEIGHT - 100 - 13 * i, b)
    c.showPage()
    c.save()
    return path


LEFT = ["De gemeente onderzoekt of de regeling", "voor jongeren in de wijk goed werkt en",
        "neemt in het najaar een besluit over", "het jongerenwerk in de avonduren."]
RIGHT = ["Een meerderheid ervaart de overlast als", "ernstig en vraagt om meer toezicht door",
         "handhavers in de avonduren en in de", "weekenden rond het winkelcentrum."]


def pages_pdf(path, pages: list[list[str]]):
    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        c.setFont("Helvetica", 11)
        for i, line in enumerate(lines):
            c.drawString(72, HEIGHT - 100 - 15 * i, line)
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def built_dirs(tmp_path_factory):
    """The corpus and index folders of the snippet corpus: a decision of three pages and a two-column letter."""
    root = tmp_path_factory.mktemp("clean-snippets")
    corpus = root / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    pages_pdf(corpus / "pdf" / "besluit.pdf", [
        [SUMMARY, "Het noodbevel gold voor de omgeving van het stadion.", DISCLAIMER],
        ["De politie handhaafde het noodbevel met twee pelotons van de mobiele eenheid.", DISCLAIMER],
        ["Tegen het noodbevel kan geen bezwaar worden gemaakt, wel kan de rechter worden gevraagd.", DISCLAIMER],
    ])
    narrow_columns_pdf(corpus / "pdf" / "kolommen.pdf", LEFT, RIGHT)
    records = [{"id": "besluit-noodbevel", "title": "Besluit", "summary": SUMMARY, "date": "2021-05-01",
                "pdf": "besluit.pdf"},
               {"id": "nieuwsbrief", "title": "Nieuwsbrief", "summary": "Een nieuwsbrief.", "date": "2021-05-02",
                "pdf": "kolommen.pdf"}]
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump({"documents": records}), encoding="utf-8")
    build_index(corpus, root / "index")
    return corpus, root / "index"


@pytest.fixture(scope="module")
def built(built_dirs):
    corpus, index = built_dirs
    with store.open_index(store.current_generation(index), "public").searcher() as searcher:
        yield QueryService(corpus), searcher


@pytest.fixture(scope="module")
def search(built):
    service, searcher = built
    return lambda q: service.search(searcher, SearchRequest(q=q)).hits


def shown(hit) -> list[str]:
    """The snippets a results page shows for a hit (the summary unless it is the first page's snippet)."""
    texts = [p.snippet for p in hit.pages]
    if not hit.pages or hit.snippet != hit.pages[0].snippet:
        texts.insert(0, hit.snippet)
    return [strip_marks(t) for t in texts if t]


def test_no_sentence_is_shown_twice_in_a_result(search):
    hit = next(h for h in search("noodbevel") if h.document.id == "besluit-noodbevel")
    sentences = [s.strip() for text in shown(hit) for s in text.split(" … ")]
    assert len(hit.pages) == 3
    assert sentences and len(sentences) == len(set(sentences))
    assert sum(DISCLAIMER in s for s in sentences) <= 1
    assert sum(SUMMARY in s for s in sentences) == 1


def test_searching_inside_a_document_shows_no_sentence_twice(built):
    service, searcher = built
    pages = service.document_pages(searcher, "besluit-noodbevel", "noodbevel")
    assert sorted(p.page for p in pages) == [1, 2, 3]
    sentences = [s.strip() for p in pages for s in strip_marks(p.snippet).split(" … ") if s.strip()]
    assert len(sentences) >= 3 and len(sentences) == len(set(sentences))
    assert sum(DISCLAIMER in s for s in sentences) <= 1


def test_a_two_column_snippet_keeps_to_its_column(search):
    hit = next(h for h in search("jongerenwerk") if h.document.id == "nieuwsbrief")
    snippet = " ".join(shown(hit))
    assert "jongerenwerk" in snippet
    assert not any(word in snippet for word in ("meerderheid", "toezicht", "handhavers", "winkelcentrum"))


def test_columns_this_close_were_mixed_at_the_old_char_margin(tmp_path, monkeypatch):
    path = narrow_columns_pdf(tmp_path / "k.pdf", LEFT, RIGHT)
    assert "regeling Een meerderheid" not in extract_pdf(path, ocr=False).pages[0].text.replace("\n", " ")
    monkeypatch.setitem(textlayer.LAPARAMS, "char_margin", 4.0)
    assert "regeling Een meerderheid" in extract_pdf(path, ocr=False).pages[0].text.replace("\n", " ")


def test_a_repeat_cut_differently_or_with_a_word_changed_counts_as_shown():
    seen = Seen()
    seen.add("In uw brief vraagt u om informatie over (de handhaving van) regels over chemische stoffen die kunnen "
             "worden gebruikt voor het zelfgekozen le")
    assert seen.has("(de handhaving van) regels over chemische stoffen die kunnen worden gebruikt voor het "
                    "zelfgekozen levenseinde en beleids(vorming) over de verkoop")
    assert not seen.has("De minister heeft de regels voor de verkoop van deze stoffen in 2020 aangescherpt.")
    assert not seen.has("Deels openbaar")  # cells may repeat: they are no sentences


def test_pages_with_nothing_new_are_listed_on_one_line_not_as_empty_entries(built_dirs, tmp_path):
    # Before, a page whose sentences the result already showed was an entry with a page link and no text
    # ("p. 2  PDF"), which read as a broken snippet; on an inventory nearly every page looked so.
    corpus, index = built_dirs
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    page = app.test_client().get("/?q=geadresseerde").get_data(as_text=True)  # only in the disclaimer, p. 1-3
    hit = page.split('<li class="hit">')[1]
    entries = re.findall(r'<span class="page-snippet">(.*?)</span>\s*(?:<a|</li>)', hit, re.S)
    assert len(entries) == 1 and "geadresseerde" in entries[0]
    more = re.search(r'<p class="page-more">(.*?)</p>', hit, re.S)
    assert more and re.sub(r"<[^>]+>", "", re.sub(r'<span class="visually-hidden">.*?</span>', "", more.group(1))) == "Ook op p. 2, p. 3"


def test_a_page_read_as_one_long_line_is_cut_only_around_its_match():
    # The 5k benchmark's pages have no line breaks: cutting all of each shown page made searches 4x slower. The
    # snippet still holds the match, starts at a word and is one sentence.
    filler = "De commissie vergaderde over de begroting van het komende jaar. " * 60
    text = filler + "Het noodbevel gold voor de omgeving van het stadion. " + filler
    parts = passages(text, [text.index("noodbevel")])
    assert sum(p.end - p.start for p in parts) < 1000
    snippet = strip_marks(page_snippet(text, _chars(text, "noodbevel"), Seen()))
    assert snippet == "Het noodbevel gold voor de omgeving van het stadion."


def test_a_long_line_is_judged_and_cut_only_in_the_sentences_holding_a_match():
    filler = "De commissie vergaderde over de begroting van het komende jaar. " * 40
    first = "Het noodbevel gold voor de omgeving van het stadion."
    second = "Daarna volgde een noodverordening voor de hele binnenstad."
    text = filler + first + " " + filler + second + " " + filler
    found = [(text[p.start:p.end], p.clean)
             for p in passages(text, [text.index("noodbevel"), text.index("noodverordening")])]
    assert found == [(first, True), (second, True)]


def test_word_frequencies_read_from_the_table_agree_with_zipf_frequency():
    # Snippets read a plain word's frequency from wordfreq's table; zipf_frequency tokenises first. Both must tell
    # the same at the two levels used, also for words just above or below a level, and for non-words.
    dutch = top_n_list("nl", 120000)  # down to Zipf 1.9: past both levels
    words = dutch[:30000:37] + dutch[90000::23] + top_n_list("en", 30000)[::41] + ["tn", "bk", "cot", "hebbern", "xqzv"]
    for word in {w for w in words if w.isascii() and w.isalpha()}:
        for level in (2.0, 5.5):
            expected = max(zipf_frequency(word, "nl"), zipf_frequency(word, "en")) >= level
            assert _zipf_at_least(word, level) == expected, (word, level)
