"""`kennisbank catalogus voorstel`: draft records from the PDFs themselves, which become a valid catalogue."""
from __future__ import annotations

import yaml
from click.testing import CliRunner

from indexer.cli import main
from indexer.corpus import load_catalogue
from indexer.index.build import build_index
from tests.pdf_fixtures import lines_pdf
from tests.pdfs import make_pdf
from tests.test_derive import LETTER


def test_proposal_drafts_reviewable_records_that_load_as_a_catalogue_and_keep_the_ids(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("documents: []\n", encoding="utf-8")
    lines_pdf(corpus / "pdf" / "Bes-Besluit+Wob-verzoek+vermogensmix.pdf", [LETTER.splitlines()])
    make_pdf(corpus / "pdf" / "tabel.pdf", ["12 34 56 78 90 " * 20])  # no prose: a summary to write
    build_index(corpus, index)

    result = CliRunner().invoke(
        main, ["catalogus", "voorstel", "--corpus", str(corpus), "--index", str(index),
               "--uitvoer", str(tmp_path / "voorstel.yaml")])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.output == "2 records voorgesteld in " + str(tmp_path / "voorstel.yaml") + ".\n"
    text = (tmp_path / "voorstel.yaml").read_text(encoding="utf-8")
    assert "title: Besluit Wob-verzoek met betrekking tot de vermogensmix rendementsgrondslag 2013-2017" \
           "  # uit de onderwerpregel van de brief" in text
    assert "date: '2021-02-10'  # uit de datum in het document" in text
    assert "author: Ministerie van Financiën  # uit het briefhoofd" in text
    assert "summary:  # niet gevonden: schrijf een samenvatting" in text
    drafts = yaml.safe_load(text)
    assert [d["id"] for d in drafts] == ["bes-besluit-wob-verzoek-vermogensmix", "tabel"]

    # The maintainer fills in what was not found and appends the records: the catalogue loads as it is.
    drafts[1].update(summary="Een tabel met cijfers.")
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump({"documents": drafts}, allow_unicode=True),
                                           encoding="utf-8")
    catalogue = load_catalogue(corpus)
    letter = catalogue.records[0]
    assert (letter.id, letter.doctype, letter.date.isoformat()) == (
        "bes-besluit-wob-verzoek-vermogensmix", "Besluit", "2021-02-10")
    again = CliRunner().invoke(main, ["catalogus", "voorstel", "--corpus", str(corpus),
                                                      "--index", str(index)])
    assert again.exit_code == 0 and "Alle PDF's staan al in de catalogus." in again.stderr


def test_proposal_help_is_dutch():
    result = CliRunner().invoke(main, ["catalogus", "voorstel", "--help"])
    assert "Stel catalogusrecords voor" in result.output and "--uitvoer" in result.output
