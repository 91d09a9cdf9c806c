"""Metadata read from the documents themselves: titles, dates, organisations, types and summaries, with sources."""
from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from indexer.derive import derive
from indexer.derive.dates import document_date
from indexer.derive.summaries import summary
from indexer.derive.titles import file_name_title, metadata_title
from indexer.index import store
from indexer.index.build import build_index
from indexer.search import SearchRequest, search
from search_app import create_app
from tests.pdf_fixtures import lines_pdf

# A ministry's letter as pdfminer reads it: the right-hand column lands between the labels and their values.
LETTER = """Ministerie van Financiën

> Retouradres Postbus 20201 2500 EE Den Haag

Directie Juridische Zaken
Korte Voorhout 7
2511 CW Den Haag
www.rijksoverheid.nl

Uw brief (kenmerk)
8 december 2020

Datum
Betreft
10 februari 2021
Besluit Wob-verzoek met betrekking tot de

vermogensmix rendementsgrondslag 2013-2017

Geachte

In uw brief van 8 december 2020 heeft u met een beroep op de Wet openbaarheid van bestuur (hierna: Wob)
verzocht om informatie omtrent de vermogensmix rendementsgrondslag. De ontvangst van uw verzoek heb ik
schriftelijk bevestigd.

Besluit
Ik besluit de door u gevraagde informatie gedeeltelijk openbaar te maken."""


def test_letter_title_date_organisation_type_and_summary_come_from_the_letter():
    found = derive([LETTER], meta_title="Bes Ordner1.doc.1 15", meta_date=dt.date(2021, 3, 1),
                   file_stem="Bes-Besluit+Wob-verzoek+met+betrekking+tot")
    assert found.title == "Besluit Wob-verzoek met betrekking tot de vermogensmix rendementsgrondslag 2013-2017"
    assert found.date == dt.date(2021, 2, 10)  # not the "Uw brief" date beside it, not the PDF's own date
    assert found.author == "Ministerie van Financiën"
    assert found.doctype == "Besluit"
    assert found.summary.startswith("In uw brief van 8 december 2020 heeft u met een beroep op de Wet")
    assert "Postbus" not in found.summary and "Korte Voorhout" not in found.summary
    assert found.sources == {"title": "onderwerpregel", "date": "datumregel", "author": "briefhoofd",
                             "doctype": "onderwerp", "summary": "alinea"}


def test_stamped_and_run_together_dates_are_read():
    assert document_date("Datum: 2 1 AUG. 2 019\nBetreft: Besluit")[0] == dt.date(2019, 8, 21)
    assert document_date("Datum\n\n09MRT2021\n\nBetreft")[0] == dt.date(2021, 3, 9)
    assert document_date("Amsterdam, 2 maart 2021\n\nGeachte heer,")[0] == dt.date(2021, 3, 2)
    assert document_date("Datum 02-03-2021")[0] == dt.date(2021, 3, 2)


def test_a_date_label_without_a_readable_value_falls_back_to_the_pdf_date_not_a_referenced_date():
    # The stamp "1 0 SEP 2021" is only an image; the dates in the sentence are what the letter refers to.
    page = "Datum\n\nBetreft\n\nBesluit op Wob-verzoek\n\nGeachte heer\n\nIn uw e-mailbericht van 29 oktober 2020 ..."
    assert document_date(page, dt.date(2021, 9, 10)) == (dt.date(2021, 9, 10), "pdf-metadata")


def test_file_names_lose_their_debris_and_junk_metadata_titles_are_not_used():
    for stem in ("Bes-Besluit+op+Wob-verzoek+Nelson", "Inv-inventarislijst+bij+besluit_op+wob", "Bes-Ordner1.doc.1-15"):
        title = file_name_title(stem)
        assert "+" not in title and "_" not in title and ".doc" not in title
        assert not title.lower().startswith(("bes ", "inv ")), title
    assert file_name_title("Bes-Besluit+op+Wob-verzoek+Nelson") == "Besluit op Wob verzoek Nelson"
    for junk in ("-", "Bes Ordner1.doc.1 15", "export.CSV", "Omschrijving", "Microsoft Word - brief"):
        assert not metadata_title(junk), junk
    assert metadata_title("Handreiking demonstraties en openbare orde")


def test_summary_skips_letterhead_and_ocr_noise():
    noise = "Dh me mn ed ee en Ì mma ter idd Tien WIEN EeZsj " * 3
    sideways = "SuruunSieasSutaeburo sJeonInisegMnog " * 8
    letterhead = "Bezoekadres Amstel 1 1011 PN Amsterdam Postbus 202 1000 AE Amsterdam www.amsterdam.nl )( )( )("
    body = ("De gemeente heeft uw verzoek om informatie over de handhaving in de binnenstad ontvangen en "
            "beoordeeld op grond van de Wet openbaarheid van bestuur.")
    assert summary([f"{letterhead}\n\n{noise}\n\n{sideways}\n\n{body}"]) == body
    assert summary([noise, sideways]) == ""


def _cover_pdf(path):
    """A report whose cover has its title in large type and a line of small print."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 26)
    c.drawString(72, 700, "Handreiking demonstraties")
    c.drawString(72, 668, "en openbare orde")
    c.setFont("Helvetica", 10)
    c.drawString(72, 600, "Een uitgave van het Centrum voor Veiligheid, september 2024")
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "Deze handreiking helpt gemeenten bij het voorbereiden van demonstraties in de openbare ruimte.")
    c.showPage()
    c.save()
    return path


def _corpus(tmp_path, catalogue="unlisted_access: public\ndocuments: []\n"):
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text(catalogue, encoding="utf-8")
    lines_pdf(corpus / "pdf" / "Bes-Besluit+op+Wob-verzoek+Nelson.pdf", [[ln for ln in LETTER.splitlines()]])
    _cover_pdf(corpus / "pdf" / "hr_demo_v2.pdf")
    return corpus


def test_build_shows_derived_metadata_in_results_facets_and_on_the_document_page(tmp_path):
    corpus = _corpus(tmp_path)
    build_index(corpus, tmp_path / "index")
    with store.open_index(store.current_generation(tmp_path / "index"), "public").searcher() as s:
        results = search(s, SearchRequest(q="vermogensmix"))
        hit = results.hits[0].document
        assert hit.title == "Besluit Wob-verzoek met betrekking tot de vermogensmix rendementsgrondslag 2013-2017"
        assert (hit.date, hit.author, hit.doctype) == ("2021-02-10", "Ministerie van Financiën", "Besluit")
        facets = {f.name: [v.value for v in f.values] for f in results.facets}
        assert facets["doctype"] == ["Besluit"] and facets["author"] == ["Ministerie van Financiën"]
        cover = search(s, SearchRequest(q="demonstraties")).hits[0].document
        assert cover.title == "Handreiking demonstraties en openbare orde"
        assert cover.derived["title"] == "voorblad"
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(tmp_path / "index"),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    page = app.test_client().get(f"/documenten/{hit.id}").get_data(as_text=True)
    assert "(afgeleid)" in page
    assert "titel uit de onderwerpregel van de brief" in page
    assert "Werktitel, afgeleid uit de samenvatting" not in page  # the old notice, wrong for these titles


def test_a_catalogue_record_wins_over_derived_values(tmp_path):
    corpus = _corpus(tmp_path, """documents:
  - id: nelson
    title: Wob-besluit Nelson
    summary: Besluit over het onderzoek Nelson.
    date: 2021-07-08
    pdf: Bes-Besluit+op+Wob-verzoek+Nelson.pdf
""")
    build_index(corpus, tmp_path / "index")
    with store.open_index(store.current_generation(tmp_path / "index"), "public").searcher() as s:
        doc = search(s, SearchRequest(q="vermogensmix")).hits[0].document
    assert (doc.id, doc.title, doc.date, doc.author, doc.derived) == (
        "nelson", "Wob-besluit Nelson", "2021-07-08", "", {})


def test_municipal_letters_and_inventories_are_recognised():
    letter = ("Retouradres: Postbus 74019, 1070 BA Amsterdam\n\nDatum\nOns kenmerk\nBehandeld door\nBijlage(n)\n\n"
              "4 augustus 2020\nWOB-Genhoes 19\n\nOnderwerp\n\nUw Wob-verzoek aangaande Genhoes 19\n\nGeachte,\n\n"
              "Op 13 juli 2020 ontvingen wij uw brief waarin u ons vraagt om alle stukken over dit adres.\n\n"
              "Besluit\nWe sturen u hierbij de gevraagde documenten.\n\nHoogachtend,\n"
              "Het college van burgemeester en wethouders")
    found = derive([letter])
    assert (found.title, found.date, found.author, found.doctype) == (
        "Uw Wob-verzoek aangaande Genhoes 19", dt.date(2020, 8, 4), "Gemeente Amsterdam", "Besluit")
    table = "nr. documentnaam beoordeling weigeringsgrond(en)\n1 Mail over de kap van bomen deels openbaar 10.2.e"
    assert derive([table], file_stem="Inv-2021-0418").doctype == "Inventarislijst"
    assert derive(["Gemeente Amsterdam Retouradres: Postbus 202, 1000 AE Amsterdam"]).author == "Gemeente Amsterdam"
