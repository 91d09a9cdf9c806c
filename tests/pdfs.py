"""Generate small real PDFs for tests (reportlab), so no test depends on files outside the repository."""
from __future__ import annotations

from pathlib import Path

import yaml
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def make_pdf(path: Path, pages: list[str], title: str | None = None, author: str | None = None) -> Path:
    """Write a PDF with one page per string (lines wrapped at ~90 characters) and optional metadata."""
    c = canvas.Canvas(str(path), pagesize=A4)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    width, height = A4
    for text in pages:
        c.setFont("Helvetica", 11)
        y = height - 72
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split():
                if len(line) + len(word) > 90:
                    c.drawString(72, y, line)
                    y -= 15
                    line = ""
                line = f"{line} {word}".strip()
            if line:
                c.drawString(72, y, line)
                y -= 15
            y -= 6
        c.showPage()
    c.save()
    return path


def write_letters(corpus: Path, documents: dict[str, list[str]]) -> Path:
    """Write a corpus of one PDF per document id (its pages' texts) with a plain catalogue record each."""
    (corpus / "pdf").mkdir(parents=True, exist_ok=True)
    records = []
    for doc_id, pages in documents.items():
        make_pdf(corpus / "pdf" / f"{doc_id}.pdf", pages)
        records.append({"id": doc_id, "title": doc_id.replace("-", " ").capitalize(), "summary": "Een brief.",
                        "date": "2021-04-01", "pdf": f"{doc_id}.pdf"})
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump({"documents": records}), encoding="utf-8")
    return corpus
