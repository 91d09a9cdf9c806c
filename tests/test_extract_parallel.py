"""Extraction in several worker processes reads what one process reads, and skips and reports broken files."""
from __future__ import annotations

from pdfminer.converter import PDFPageAggregator
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from indexer.extract import ExtractedPDF, ExtractionError, ExtractOptions, extract_many
from indexer.extract import textlayer
from tests.pdf_fixtures import BODY, damaged, encrypted_pdf, lines_pdf, truncated, two_column_pdf


def write_pdfs(folder):
    """Good, damaged and broken PDFs mixed, more of them than there are workers."""
    folder.mkdir()
    source = lines_pdf(folder / "bron.pdf", [[f"Pagina {n} over de {w}."] + [BODY[:80]] * 30
                                              for n, w in enumerate(["havenvisie", "dijkversterking", "kadebeheer"])])
    paths = [source, truncated(source, folder / "afgekapt.pdf"), damaged(source, folder / "beschadigd.pdf"),
             encrypted_pdf(folder / "versleuteld.pdf", "Besloten inhoud", "geheim"),
             two_column_pdf(folder / "kolommen.pdf", ["De burgemeester kan een", "noodbevel geven."] * 4,
                            ["De driehoek bespreekt", "de inzet vooraf."] * 4)]
    (folder / "leeg.pdf").write_bytes(b"")
    (folder / "webpagina.pdf").write_text("<html>Geen PDF</html>", encoding="utf-8")
    paths += [folder / "leeg.pdf", folder / "webpagina.pdf"]
    for n in range(5):
        paths.append(lines_pdf(folder / f"brief-{n}.pdf", [[f"Brief {n} over het wijkplan."] + [BODY[:70]] * 20] * 2,
                               header="Gemeente Zeestad", footer="Pagina {n} van {total}"))
    return paths


def as_plain(results):
    return {p.name: (r.to_dict() if isinstance(r, ExtractedPDF) else f"fout: {r}") for p, r in results.items()}


def test_several_workers_give_exactly_the_results_of_one_and_report_each_broken_file(tmp_path):
    paths = write_pdfs(tmp_path / "pdf")
    notes_one, notes_three = [], []
    one = extract_many(paths, ExtractOptions(jobs=1, ocr=False), warn=notes_one.append)
    three = extract_many(paths, ExtractOptions(jobs=3, ocr=False), warn=notes_three.append)
    assert list(three) == paths  # in input order, whatever order the workers finished in
    assert as_plain(three) == as_plain(one)
    assert sorted(notes_three) == sorted(notes_one)
    failed = {p.name for p, r in three.items() if isinstance(r, ExtractionError)}
    assert failed == {"afgekapt.pdf", "versleuteld.pdf", "leeg.pdf", "webpagina.pdf"}
    assert three[tmp_path / "pdf" / "beschadigd.pdf"].extractor == "pypdfium2"  # recovered by the fallback
    good = [r for r in three.values() if isinstance(r, ExtractedPDF) and r.extractor == "pdfminer"]
    assert len(good) == 7 and all(page.text for r in good for page in r.pages)
    assert "Gemeente Zeestad" not in three[tmp_path / "pdf" / "brief-3.pdf"].pages[1].text  # running head dropped


def test_lines_and_rectangles_are_skipped_yet_the_text_is_the_same(tmp_path, monkeypatch):
    # A table ruled with lines and cell borders: pdfminer lays out only characters, so skipping the drawing
    # operators' layout objects (TextAggregator) must leave every text box, line and position as it was.
    path = tmp_path / "tabel.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 9)
    for row in range(30):
        y = 780 - row * 18
        c.line(50, y - 4, 545, y - 4)
        for col, x in enumerate((55, 200, 330, 460)):
            c.rect(x - 5, y - 4, 125, 18)
            c.drawString(x, y, f"Rij {row} kolom {col}" if col else f"Document {row:03d} over de kademuur")
    c.bezier(60, 60, 200, 120, 300, 0, 500, 60)
    c.showPage()
    c.save()
    skipped = textlayer.extract_text_layer(path)
    monkeypatch.setattr(textlayer.TextAggregator, "paint_path", PDFPageAggregator.paint_path)
    drawn = textlayer.extract_text_layer(path)
    assert "Document 007 over de kademuur" in skipped.pages[0].text
    assert skipped.to_dict() == drawn.to_dict()
