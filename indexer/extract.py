"""Extract text per page from a PDF with pdfminer.six, with Dutch reasons for files that cannot be read."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pdfminer.layout import LAParams, LTTextContainer


class ExtractionError(Exception):
    """A PDF could not be read; str() is the reason in Dutch, for the build report."""


@dataclass
class Page:
    """The text of one PDF page (1-based number), with its section title where the outline gives one."""

    number: int
    text: str
    section: str | None = None
    ocr: bool = False


@dataclass
class ExtractedPDF:
    """All pages of a PDF plus the title and date from its own metadata."""

    pages: list[Page]
    title: str | None = None
    date: dt.date | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Return the whole text, pages separated by blank lines."""
        return "\n\n".join(p.text for p in self.pages)


LAPARAMS = dict(char_margin=4.0, line_margin=0.5, word_margin=0.1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad]")


def clean_text(text: str) -> str:
    """Normalise extracted text: NFKC (ligatures), no soft hyphens or control characters."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def check_header(path: Path) -> None:
    """Raise ExtractionError for files that are empty or not a PDF at all, before pdfminer sees them."""
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError("leeg bestand (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise ExtractionError("geen PDF-bestand (de PDF-kop ontbreekt)")


def extract_pdf(path: str | Path) -> ExtractedPDF:
    """Extract the text of every page of a PDF; raise ExtractionError with a Dutch reason on failure."""
    from pdfminer.high_level import extract_pages
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    path = Path(path)
    check_header(path)
    pages: list[Page] = []
    try:
        for number, layout in enumerate(extract_pages(path, laparams=LAParams(**LAPARAMS)), start=1):
            parts = [el.get_text() for el in layout if isinstance(el, LTTextContainer)]
            pages.append(Page(number=number, text=clean_text("".join(parts))))
        title, date = read_metadata(path)
    except PDFPasswordIncorrect:
        raise ExtractionError("versleuteld (wachtwoord vereist)") from None
    except ExtractionError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        name = type(exc).__name__
        if "Encrypt" in name or "Password" in name:
            raise ExtractionError("versleuteld (wachtwoord vereist)") from None
        raise ExtractionError(f"beschadigd of onleesbaar ({name}: {str(exc)[:120]})") from None
    if not pages:
        raise ExtractionError("geen pagina's gevonden")
    return ExtractedPDF(pages=pages, title=title, date=date)


def read_metadata(path: Path) -> tuple[str | None, dt.date | None]:
    """Return the Title and CreationDate from a PDF's document information, where present."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psparser import PSLiteral
    from pdfminer.pdftypes import resolve1

    with path.open("rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        info = resolve1(doc.info[0]) if doc.info else {}
        title = _decode(resolve1(info.get("Title"))) if info else None
        created = _decode(resolve1(info.get("CreationDate"))) if info else None
    if isinstance(title, PSLiteral):
        title = None
    return (clean_text(title) or None) if title else None, _pdf_date(created)


def _decode(value) -> str | None:
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", "ignore")
        return value.decode("latin-1", "ignore")
    return value if isinstance(value, str) else None


def _pdf_date(value: str | None) -> dt.date | None:
    match = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", value or "")
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None
