"""What extraction produces: the pages of a PDF, or the reason it could not be read."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .running_heads import Line

ENCRYPTED = "versleuteld (wachtwoord vereist)"


class ExtractionError(Exception):
    """A PDF could not be read; str() is the reason in Dutch, for the build report.

    `fallback` tells whether another extractor may still succeed (not for an empty, non-PDF or encrypted file).
    """

    def __init__(self, reason: str, *, fallback: bool = False):
        super().__init__(reason)
        self.fallback = fallback


@dataclass
class Page:
    """The text of one PDF page (1-based number), with its section title where the outline gives one."""

    number: int
    text: str
    section: str | None = None
    ocr: bool = False
    words: list | None = None  # OCR'd pages: Tesseract's words as [left, top, right, bottom, text], page fractions
    # How much of the page is running text, in percent (pagekind.prose_percent of the final text), kept in the
    # extraction cache so a warm build or an update need not judge every page again; None: not judged yet.
    prose: int | None = None


@dataclass
class ExtractedPDF:
    """All pages of a PDF plus the title and date from its own metadata."""

    pages: list[Page]
    title: str | None = None
    date: dt.date | None = None
    warnings: list[str] = field(default_factory=list)
    extractor: str = "pdfminer"
    needs_ocr: list[int] = field(default_factory=list)  # page numbers without a usable text layer
    # The first page's lines as [height, text] in reading order: a cover's title is its largest text.
    cover: list[list] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Return the whole text, pages separated by blank lines."""
        return "\n\n".join(p.text for p in self.pages)

    def to_dict(self) -> dict:
        """Return plain data (for the extraction cache and the worker pipe)."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ExtractedPDF":
        """Rebuild an ExtractedPDF from to_dict() output; unknown keys (from older or newer code) are ignored."""
        page_fields = {f.name for f in fields(Page)}
        known = {f.name for f in fields(cls)} - {"pages", "date"}
        return cls(pages=[Page(**{k: v for k, v in p.items() if k in page_fields}) for p in data["pages"]],
                   date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
                   **{k: v for k, v in data.items() if k in known})


@dataclass
class RawPage:
    """A page as an extractor saw it, before cleaning: its height and text boxes (lists of lines)."""

    number: int
    height: float
    boxes: list[list[Line]]
    has_image: bool = False


def check_header(path: Path) -> None:
    """Raise ExtractionError for files that are empty or not a PDF at all, before any extractor sees them."""
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError("leeg bestand (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise ExtractionError("geen PDF-bestand (de PDF-kop ontbreekt)")


def both_failed(first: str, second: str) -> str:
    """The reason given when pdfminer and pypdfium2 both failed on a file."""
    return f"beschadigd of onleesbaar (pdfminer: {first or '-'}; pypdfium2: {second})"
