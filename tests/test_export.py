"""Export and cite: CSV, RIS and BibTeX of a search and of one document, read back with real parsers."""
from __future__ import annotations

import csv
import io

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from indexer.search import Document
from indexer.search.export import Citable, citation, to_bibtex, to_csv, to_ris

AWKWARD = Document(
    id="nota-a-b", title='Nota "Openbare orde", 50% & {kosten}_2024 #1\nmet regelafbreking',
    summary="=HYPERLINK(\"http://evil.example\") en een; puntkomma, komma", date="2024-03-07",
    author="Ministerie van Justitie & Veiligheid", doctype="Rapport", section="Orde & veiligheid",
    pages=12, pdf="nota.pdf", source_url=None, title_derived=False, access="public")
ITEM = Citable(AWKWARD, url="http://kb.example/documenten/nota-a-b", pdf_url="http://kb.example/documenten/nota-a-b/pdf",
               page=3)


def test_csv_reads_back_field_for_field_and_formulas_stay_text():
    text = to_csv([ITEM, Citable(AWKWARD, url="u2")])
    assert text.startswith("\ufeff")  # spreadsheet programs then read UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 2
    first = rows[0]
    assert first["titel"] == AWKWARD.title and first["auteur"] == AWKWARD.author
    assert first["pagina"] == "3" and first["pdf"].endswith("/pdf#page=3") and first["url"] == ITEM.url
    assert first["samenvatting"] == "'" + AWKWARD.summary  # a formula is shown as text, never run
    assert rows[1]["pagina"] == "" and rows[1]["pdf"] == "" and rows[1]["url"] == "u2"  # no PDF, no page


def test_ris_reads_back_with_a_reference_manager_parser():
    [entry] = rispy.loads(to_ris([ITEM]))
    assert entry["type_of_reference"] == "RPRT"
    assert entry["title"] == " ".join(AWKWARD.title.split())  # one line: a newline would start a new tag
    assert entry["authors"] == [AWKWARD.author] and entry["year"] == "2024"
    assert entry["urls"] == [ITEM.url] and entry["start_page"] == "3"
    assert entry["file_attachments1"] == f"{ITEM.pdf_url}#page=3"


def test_bibtex_reads_back_and_special_characters_survive():
    library = bibtexparser.parse_string(to_bibtex([ITEM, ITEM]), append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    first, second = library.entries
    assert first.entry_type == "techreport" and first.key != second.key  # two entries, two keys
    assert first["title"].strip("{}") == " ".join(AWKWARD.title.split())
    assert first["author"].strip("{}") == AWKWARD.author  # an organisation stays one author
    assert first["year"] == "2024" and first["month"] == "3" and first["pages"] == "3"


def test_citation_names_author_year_title_page_and_url():
    assert citation(ITEM) == ("Ministerie van Justitie & Veiligheid (2024). " + AWKWARD.title
                              + " (p. 3). Kennisbank Zoeken. http://kb.example/documenten/nota-a-b")


@pytest.mark.parametrize("fmt, kind", [("csv", "text/csv"), ("ris", "application/x-research-info-systems"),
                                       ("bib", "application/x-bibtex")])
def test_search_export_holds_every_result_in_ranking_order(client, fmt, kind):
    ranked = [h["id"] for h in client.get("/api/search?q=orde&per_page=100").get_json()["hits"]]
    r = client.get(f"/zoeken.{fmt}?q=orde")
    assert r.status_code == 200 and r.content_type.startswith(kind)
    assert r.headers["Content-Disposition"] == f'attachment; filename="kennisbank-orde.{fmt}"'
    text = r.get_data(as_text=True)
    if fmt == "csv":
        ids = [row["id"] for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))]
    elif fmt == "ris":
        ids = [e["id"] for e in rispy.loads(text)]
    else:  # the note names the document's stable URL
        ids = [e["note"].rsplit("/", 1)[-1] for e in bibtexparser.parse_string(text).entries]
    assert ranked and ids == ranked


def test_search_export_keeps_filters_and_refuses_a_bad_request_in_dutch(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/zoeken.csv?doctype=Handboek").get_data(as_text=True)
                                           .removeprefix("\ufeff"))))
    assert rows and {row["documenttype"] for row in rows} == {"Handboek"}
    r = client.get("/zoeken.csv?q=polarisatie&sort=willekeurig")
    assert r.status_code == 400 and "sortering" in r.get_data(as_text=True)


def test_document_citation_at_a_page(client):
    [entry] = rispy.loads(client.get("/documenten/rapport-online-ordeverstoringen/citaat.ris?pagina=3")
                          .get_data(as_text=True))
    assert entry["start_page"] == "3" and entry["file_attachments1"].endswith("/pdf#page=3")
    assert client.get("/documenten/bestaat-niet/citaat.bib").status_code == 404
    [entry] = rispy.loads(client.get("/documenten/rapport-online-ordeverstoringen/citaat.ris?pagina=%C2%B2")
                          .get_data(as_text=True))
    assert "start_page" not in entry  # "²" is no page number


def test_pages_offer_the_exports(client):
    results = client.get("/?q=orde").get_data(as_text=True)
    assert 'href="/zoeken.ris?q=orde"' in results and 'href="/zoeken.bib?q=orde"' in results
    page = client.get("/documenten/rapport-online-ordeverstoringen?q=orde&pagina=3").get_data(as_text=True)
    assert 'href="/documenten/rapport-online-ordeverstoringen/citaat.ris?pagina=3"' in page
