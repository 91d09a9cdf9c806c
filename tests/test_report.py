"""The maintainer's report: counts by default, every file and document with --verbose, OCR'd pages in stats."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.cli.report import page_list
from indexer.extract.ocr import ocr_missing_reason
from indexer.extract.pdfium import page_counts
from tests.pdf_fixtures import scan_pdf
from tests.pdfs import make_pdf

TEXT = "Een notitie over de aanpak van overlast in de wijk en de rol van de gemeente daarbij. " * 6


def _corpus(tmp_path, unlisted=12):
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("unlisted_access: public\ndocuments: []\n", encoding="utf-8")
    for n in range(unlisted):
        make_pdf(corpus / "pdf" / f"notitie-{n:02d}.pdf", [f"Notitie {n}. " + TEXT])
    (corpus / "pdf" / "leeg.pdf").write_bytes(b"")
    return corpus


@pytest.mark.skipif(ocr_missing_reason() is not None, reason="tesseract with the Dutch model is not installed")
def test_build_reports_counts_and_lists_files_only_with_verbose(tmp_path):
    corpus, index = _corpus(tmp_path), tmp_path / "index"
    scan_pdf(corpus / "pdf" / "scan.pdf", [["Begeleidende brief bij het besluit over de demonstratie."],
                                            ["Het besluit over de demonstratie op het plein."]], scanned={2})
    runner = CliRunner()
    r = runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 3, r.output  # leeg.pdf was skipped
    lines = r.output.splitlines()
    lines = lines[next(i for i, line in enumerate(lines) if line.startswith("Index ")):]  # after the progress bar
    assert lines[0].startswith("Index gebouwd: 13 documenten (13 openbaar), 13 PDF's, 14 pagina's, "
                               "waarvan 1 met OCR gelezen in ")
    assert "  niet in de catalogus, toch geïndexeerd: 13 PDF's (records voorstellen: kennisbank catalogus voorstel)" \
        in lines
    assert "  overgeslagen: 1 PDF (1 × leeg bestand)" in lines
    assert "  overgeslagen: leeg.pdf: leeg bestand (0 bytes)" in lines
    assert not any(line.startswith("  niet in de catalogus: ") for line in lines)  # the bug: 143 such lines
    assert len(lines) <= 6

    r = runner.invoke(main, ["build", "--verbose", "--corpus", str(corpus), "--index", str(index)])
    assert "  niet in de catalogus: notitie-00.pdf" in r.output
    assert "  met OCR gelezen: scan.pdf: p. 2" in r.output

    r = runner.invoke(main, ["stats", "--index", str(index)])
    assert "Met OCR gelezen: 1 pagina in 1 PDF:\n  scan.pdf: p. 2\n" in r.output
    assert "Niet in de catalogus: 13 PDF's" in r.output


def test_update_after_removing_one_pdf_reports_exactly_that(tmp_path):
    # The bug: removing one PDF reported "vervangen: 47", as every later unlisted document moved up one place.
    corpus, index = _corpus(tmp_path), tmp_path / "index"
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(index)]).exit_code == 3
    (corpus / "pdf" / "notitie-03.pdf").unlink()
    r = runner.invoke(main, ["update", "--corpus", str(corpus), "--index", str(index)])
    assert "  toegevoegd: 0, vervangen: 0, verwijderd: 1; 0 PDF's opnieuw gelezen" in r.output.splitlines()
    assert "verwijderd: notitie-03" not in r.output
    r = runner.invoke(main, ["update", "--verbose", "--corpus", str(corpus), "--index", str(index)])
    assert "niets te doen" in r.output


def test_page_ranges_and_page_counts_for_the_progress_estimate(tmp_path):
    assert page_list([1, 2, 3, 7, 9, 10]) == "p. 1-3, 7, 9-10"
    make_pdf(tmp_path / "drie.pdf", ["een", "twee", "drie"])
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.4 kapot")
    assert page_counts([tmp_path / "drie.pdf", tmp_path / "kapot.pdf"]) == {"drie.pdf": 3, "kapot.pdf": 0}
