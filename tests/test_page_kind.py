"""Page kind and proximity: a page of running text that is about the query words comes before a table, inventory or
contents page that only repeats them (issue 14)."""
from __future__ import annotations

import pytest
import yaml
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from indexer.corpus import Record
from indexer.extract import ExtractOptions, extract_many
from indexer.extract.pagekind import prose_percent, prose_share
from indexer.extract.single import extract_pdf
from indexer.index import store
from indexer.index.build import build_index
from indexer.index.plan import document_entries
from indexer.search import QueryService, SearchRequest, pageorder
from indexer.search.pageorder import nearness, page_weight

WIDTH, HEIGHT = A4
LETTER = [
    "Geachte heer, mevrouw,",
    "In uw brief van 4 maart vraagt u om alle documenten over de reisadviezen voor het buitenland die in het",
    "voorjaar zijn gewijzigd. Ik heb besloten uw verzoek gedeeltelijk in te willigen en licht dat hieronder toe.",
    "De stukken bevatten namen van ambtenaren en die maak ik niet openbaar, omdat het belang van hun",
    "persoonlijke levenssfeer zwaarder weegt dan het belang van openbaarmaking van die gegevens.",
]
ANSWER = [
    "Toelichting bij het besluit",
    "Op advies van de ambassade in Chili is het reisadvies op 12 maart aangescherpt, omdat die had gemeld dat",
    "de grenzen binnen enkele dagen zouden sluiten. Reizigers kregen het advies om zo snel mogelijk terug te keren",
    "en de ambassade hield contact met de reisorganisaties over de vluchten die nog vertrokken naar Nederland.",
]
# An inventory list: one row per document, the cells side by side, the query words repeated row after row.
ROWS = [("1", "02-03-2020", "mail reisadvies Chili ambassade", "deels openbaar", "10.2.e"),
        ("2", "05-03-2020", "nota reisadvies Chili", "deels openbaar", "10.2.e"),
        ("3", "09-03-2020", "verslag reisadvies Chili", "openbaar", ""),
        ("4", "12-03-2020", "mail reisadvies Chili aangescherpt", "deels openbaar", "10.2.e"),
        ("5", "13-03-2020", "bijlage ambassade vluchten", "niet openbaar", "10.2.g")]
CONTENTS = [("1. Inleiding", "3"), ("2. Het verzoek", "4"), ("3. Reisadvies Chili", "6"), ("4. Besluit", "9"),
            ("5. Bijlagen", "12")]


def _lines(c, lines, y=HEIGHT - 100):
    c.setFont("Helvetica", 11)
    for line in lines:
        c.drawString(72, y, line)
        y -= 15


def _table(c, rows, columns):
    c.setFont("Helvetica", 9)
    y = HEIGHT - 100
    for row in rows:
        for x, cell in zip(columns, row):
            c.drawString(x, y, cell)
        y -= 18


def kinds_pdf(path):
    """Page 1 a letter, 2 an inventory table, 3 a contents page, 4 the page of running text that answers."""
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, LETTER)
    c.showPage()
    _table(c, [("Nr", "Datum", "Omschrijving", "Beoordeling", "Grond")] + ROWS, (50, 80, 160, 390, 480))
    c.showPage()
    _table(c, [("Inhoudsopgave", "")] + CONTENTS, (72, 480))
    c.showPage()
    _lines(c, ANSWER + LETTER[1:])
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extract_pdf(kinds_pdf(tmp_path_factory.mktemp("kinds") / "kinds.pdf"), ocr=False)


def test_a_letter_page_is_running_text(extracted):
    assert prose_share(extracted.pages[0].text) > 0.7
    assert prose_share(extracted.pages[3].text) > 0.7


def test_an_inventory_table_is_not(extracted):
    assert prose_share(extracted.pages[1].text) < 0.3


def test_a_contents_page_is_not(extracted):
    assert prose_share(extracted.pages[2].text) < 0.3


def test_an_empty_page_has_no_running_text():
    assert prose_share("") == 0.0
    assert prose_share("12\n13\n") == 0.0


def test_nearness_counts_the_words_that_stand_together():
    assert nearness({"reisadvies": [10], "chili": [11], "ambassade": [40]}) == 2
    assert nearness({"reisadvies": [10, 50], "chili": [51], "ambassade": [53]}) == 3  # two words between: near
    assert nearness({"reisadvies": [10], "chili": [30], "ambassade": [60]}) == 1
    assert nearness({"reisadvies": [10]}) == 1
    assert nearness({}) == 0


def test_words_together_weigh_only_on_running_text():
    alone = page_weight(2, 1.0, 1, 3)
    assert page_weight(2, 1.0, 3, 3) > page_weight(2, 1.0, 2, 3) > alone
    assert page_weight(2, 0.0, 3, 3) == alone  # a table row or contents line holds the words together too
    assert page_weight(1, 1.0, 1, 3) > page_weight(5, 1.0, 1, 3)  # earlier pages first, all else equal


@pytest.fixture(scope="module")
def search(tmp_path_factory):
    root = tmp_path_factory.mktemp("page-kind")
    corpus = root / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    kinds_pdf(corpus / "pdf" / "besluit.pdf")
    record = {"id": "besluit-reisadvies", "title": "Besluit op uw verzoek", "summary": "Een besluit.",
              "date": "2021-05-01", "pdf": "besluit.pdf"}
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump({"documents": [record]}), encoding="utf-8")
    build_index(corpus, root / "index")
    service = QueryService(corpus)
    with store.open_index(store.current_generation(root / "index"), "public").searcher() as searcher:
        def pages(q):
            return [p.page for p in service.search(searcher, SearchRequest(q=q)).hits[0].pages]
        pages.index = root / "index"
        yield pages


def test_the_page_of_running_text_beats_the_table_that_repeats_the_words(search):
    assert search("reisadvies Chili ambassade")[0] == 4


def test_without_proximity_the_table_would_win(search, monkeypatch):
    # The inventory page names the words four times and comes earlier: on word counts and place alone it wins.
    monkeypatch.setattr(pageorder, "PROXIMITY_WEIGHT", 0.0)
    assert search("reisadvies Chili ambassade")[0] == 2


def test_the_extraction_cache_keeps_each_pages_kind_and_the_index_holds_it(tmp_path):
    # A warm build and an update take the page kind from the extraction cache instead of judging every page again.
    pdf = kinds_pdf(tmp_path / "kinds.pdf")
    cached = extract_many([pdf], ExtractOptions(jobs=1, ocr=False), cache_dir=tmp_path / "cache")[pdf]
    again = extract_many([pdf], ExtractOptions(jobs=1, ocr=False), cache_dir=tmp_path / "cache")[pdf]
    assert [p.prose for p in cached.pages] == [prose_percent(p.text) for p in cached.pages]
    assert [p.prose for p in again.pages] == [p.prose for p in cached.pages]  # read back from the cache
    assert cached.pages[0].prose > 70 and cached.pages[1].prose < 30


def test_page_kind_in_the_index_is_the_same_from_the_cache_or_judged_at_planning(search, tmp_path):
    judged = extract_pdf(kinds_pdf(tmp_path / "kinds.pdf"), ocr=False)  # no prose: planning judges the pages
    assert all(page.prose is None for page in judged.pages)
    record = Record(id="besluit-reisadvies", title="Besluit op uw verzoek", summary="Een besluit.", pdf="b.pdf")
    planned = [e["page_prose"] for e in document_entries(record, judged) if e["kind"] == "page"]
    with store.open_index(store.current_generation(search.index), "public").searcher() as searcher:
        column = searcher.reader().column_reader("page_prose")
        built = [column[d] for d in sorted(searcher.document_numbers(kind="page"),
                                           key=lambda d: searcher.stored_fields(d)["page"])]
    assert built == planned
