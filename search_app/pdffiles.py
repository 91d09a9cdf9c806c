"""Where a document's PDF is read from: the copy its generation was built with, else the corpus folder."""
from __future__ import annotations

from pathlib import Path

from flask import current_app

from indexer.corpus import PDF_DIR
from indexer.index.pdfstore import stored_pdf

from . import indexes


def pdf_file(doc) -> Path | None:
    """Return the PDF of a document as this request's generation has it, or None when there is none.

    The generation's stored copy first (so after a rollback the PDF and its page images are the version that
    was indexed); generations from before the store fall back to the corpus folder, never to a path outside it.
    """
    if not doc.pdf:
        return None
    path = stored_pdf(current_app.config["INDEX_DIR"], (indexes.manifest().get("pdfs") or {}).get(doc.pdf))
    if path is not None and path.is_file():
        return path
    pdf_dir = (Path(current_app.config["CORPUS_DIR"]) / PDF_DIR).resolve()
    path = (pdf_dir / doc.pdf).resolve()
    return path if path.parent == pdf_dir and path.is_file() else None
