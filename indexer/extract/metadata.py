"""A PDF's own title and creation date, from its document information dictionary."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from .clean import clean_text


def read_metadata(path: Path) -> tuple[str | None, dt.date | None]:
    """Return the Title and CreationDate from a PDF's document information, where present."""
    with path.open("rb") as fh:
        return document_metadata(PDFDocument(PDFParser(fh)))


def document_metadata(doc: PDFDocument) -> tuple[str | None, dt.date | None]:
    """Return the Title and CreationDate of an open pdfminer document (its file still open)."""
    info = resolve1(doc.info[0]) if doc.info else {}
    title = _text(resolve1(info.get("Title"))) if info else None
    created = _text(resolve1(info.get("CreationDate"))) if info else None
    return (clean_text(title) or None) if title else None, pdf_date(created)


def _text(value) -> str | None:
    # PDF text strings are PDFDocEncoding or UTF-16 with a byte order mark: pdfminer decodes both.
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, PSLiteral):
        return None
    return value if isinstance(value, str) else None


def pdf_date(value: str | None) -> dt.date | None:
    """Return the date of a PDF date string ("D:20240611..."), or None when it holds none."""
    match = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", value or "")
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None
