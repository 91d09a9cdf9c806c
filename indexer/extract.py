"""Extract clean text per page from a PDF: pdfminer.six first, pypdfium2 as fallback, Tesseract for scanned pages."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .running_heads import BAND, Line, is_page_number, running_lines
from .textclean import clean_text, is_garbage, letter_count, page_vocabulary

# Bump when the text this module produces changes: it is part of the extraction cache key.
EXTRACT_VERSION = "6"
# char_margin=4.0 measured better than the default on real two-column pages; all_texts reads text in figures too.
LAPARAMS = dict(char_margin=4.0, line_margin=0.5, word_margin=0.1, all_texts=True)
# A page with fewer letters than this but with an image on it is treated as a scan and goes to OCR.
OCR_MIN_LETTERS = 40
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


@dataclass
class ExtractedPDF:
    """All pages of a PDF plus the title and date from its own metadata."""

    pages: list[Page]
    title: str | None = None
    date: dt.date | None = None
    warnings: list[str] = field(default_factory=list)
    extractor: str = "pdfminer"
    needs_ocr: list[int] = field(default_factory=list)  # page numbers without a usable text layer

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
        """Rebuild an ExtractedPDF from to_dict() output."""
        data = dict(data)
        data["pages"] = [Page(**p) for p in data["pages"]]
        data["date"] = dt.date.fromisoformat(data["date"]) if data.get("date") else None
        return cls(**data)


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


def extract_pdf(path: str | Path, *, ocr: bool = True) -> ExtractedPDF:
    """Extract one PDF in this process: pdfminer, else pypdfium2, then OCR of scanned pages when Tesseract is here."""
    from .ocr import ocr_missing_reason, ocr_page

    path = Path(path)
    try:
        pdf = extract_text_layer(path)
    except ExtractionError as exc:
        if not exc.fallback:
            raise
        pdf = extract_with_pdfium(path, after=str(exc))
    if ocr and pdf.needs_ocr:
        if ocr_missing_reason():
            pdf.warnings.append(ocr_skipped_warning(pdf.needs_ocr))
        else:
            for number in list(pdf.needs_ocr):
                apply_ocr(pdf, number, ocr_page(path, number))
            drop_ocr_running_lines(pdf)
    return pdf


def extract_text_layer(path: Path) -> ExtractedPDF:
    """Extract with pdfminer.six; ExtractionError(fallback=True) when pypdfium2 should try instead."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    check_header(path)
    raw: list[RawPage] = []
    try:
        for number, layout in enumerate(extract_pages(path, laparams=LAParams(**LAPARAMS)), start=1):
            page = RawPage(number=number, height=layout.height, boxes=[])
            _collect(layout, page)
            raw.append(page)
        title, date = read_metadata(path)
    except PDFPasswordIncorrect:
        raise ExtractionError(ENCRYPTED) from None
    except MemoryError:
        raise ExtractionError("geheugenlimiet overschreden", fallback=True) from None
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        name = type(exc).__name__
        if "Encrypt" in name or "Password" in name:
            raise ExtractionError(ENCRYPTED) from None
        raise ExtractionError(f"{name}: {str(exc)[:120]}", fallback=True) from None
    outline, page_count = _pdfium_outline(path)
    if not raw:
        raise ExtractionError("geen pagina's gevonden", fallback=True)
    if page_count and page_count > len(raw):
        raise ExtractionError(f"pdfminer las {len(raw)} van {page_count} pagina's", fallback=True)
    return finish(raw, outline, title=title, date=date, extractor="pdfminer")


def _collect(container, page: RawPage) -> None:
    """Gather text boxes (also those inside figures) and note whether the page holds an image."""
    from pdfminer.layout import LTFigure, LTImage, LTTextBox, LTTextLine

    for el in container:
        if isinstance(el, LTTextBox):
            page.boxes.append([Line(ln.get_text().rstrip("\n"), ln.y0, ln.y1)
                               for ln in el if isinstance(ln, LTTextLine)])
        elif isinstance(el, LTTextLine):
            page.boxes.append([Line(el.get_text().rstrip("\n"), el.y0, el.y1)])
        elif isinstance(el, LTImage):
            page.has_image = True
        elif isinstance(el, LTFigure):
            _collect(el, page)


def extract_with_pdfium(path: Path, after: str = "") -> ExtractedPDF:
    """Extract with pypdfium2 (more tolerant of damaged files); raise ExtractionError when it fails too."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    check_header(path)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractionError(ENCRYPTED) from None
        raise ExtractionError(_both_failed(after, str(exc))) from None
    except MemoryError:
        raise ExtractionError(_both_failed(after, "geheugenlimiet overschreden")) from None
    try:
        raw = []
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            top = textpage.get_text_bounded(bottom=height * (1 - BAND))
            body = textpage.get_text_bounded(bottom=height * BAND, top=height * (1 - BAND))
            bottom = textpage.get_text_bounded(top=height * BAND)
            boxes = [[Line(t, height, height)] for t in _lines(top)]
            boxes.append([Line(t, height / 2, height / 2) for t in _lines(body)])
            boxes += [[Line(t, 0, 0)] for t in _lines(bottom)]
            images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)
            raw.append(RawPage(number=index + 1, height=height, boxes=boxes, has_image=next(images, None) is not None))
        meta = doc.get_metadata_dict()
        outline = _outline(doc)
    except Exception as exc:
        raise ExtractionError(_both_failed(after, f"{type(exc).__name__}: {str(exc)[:120]}")) from None
    finally:
        doc.close()
    if not raw:
        raise ExtractionError(_both_failed(after, "geen pagina's gevonden"))
    title = clean_text(meta.get("Title") or "") or None
    pdf = finish(raw, outline, title=None if title == "untitled" else title,
                 date=_pdf_date(meta.get("CreationDate")), extractor="pypdfium2")
    if after:
        pdf.warnings.append(f"pdfminer faalde ({after}); tekst gelezen met pypdfium2")
    return pdf


def _lines(text: str) -> list[str]:
    return [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]


def _both_failed(first: str, second: str) -> str:
    return f"beschadigd of onleesbaar (pdfminer: {first or '-'}; pypdfium2: {second})"


def finish(raw: list[RawPage], outline: list[tuple[int, str]], *, title, date, extractor) -> ExtractedPDF:
    """Turn raw pages into clean Pages: drop running heads, rejoin hyphens, flag garbage and scanned pages."""
    drops = running_lines([(p.height, p.boxes) for p in raw])
    texts = []
    for page, drop in zip(raw, drops):
        texts.append("\n\n".join("\n".join(ln.text for ln in box)
                                 for i, box in enumerate(page.boxes) if i not in drop))
    vocabulary = page_vocabulary(texts)
    pages, needs_ocr = [], []
    for page, text in zip(raw, texts):
        if is_garbage(text):
            text = ""  # unmapped glyphs match nothing; OCR reads what the page shows
            needs_ocr.append(page.number)
        text = clean_text(text, vocabulary)
        if page.number not in needs_ocr and page.has_image and letter_count(text) < OCR_MIN_LETTERS:
            needs_ocr.append(page.number)
        pages.append(Page(number=page.number, text=text, section=section_of(page.number, outline)))
    return ExtractedPDF(pages=pages, title=title, date=date, extractor=extractor, needs_ocr=needs_ocr)


def apply_ocr(pdf: ExtractedPDF, number: int, text: str) -> None:
    """Put the OCR text of a scanned page in place and mark the page as OCR'd."""
    page = pdf.pages[number - 1]
    page.text, page.ocr = clean_text(text, page_vocabulary([text])), True
    if number in pdf.needs_ocr:
        pdf.needs_ocr.remove(number)


def drop_ocr_running_lines(pdf: ExtractedPDF, edge: int = 4) -> None:
    """Drop running headers, footers and page numbers from OCR'd pages (OCR gives text, not positions).

    Among the first and last `edge` lines of each OCR'd page, a line goes when it is a page number or repeats
    (digits ignored) on another OCR'd page.
    """
    from collections import Counter

    from .running_heads import is_page_number, normalise

    ocr_pages = [p for p in pdf.pages if p.ocr]
    edges = []
    for page in ocr_pages:
        lines = page.text.split("\n")
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        edges.append((lines, set(filled[:edge] + filled[-edge:])))
    counts = Counter(key for lines, idx in edges for key in {normalise(lines[i]) for i in idx})
    for page, (lines, idx) in zip(ocr_pages, edges):
        keep = [ln for i, ln in enumerate(lines)
                if i not in idx or not (is_page_number(ln) or counts[normalise(ln)] >= 2)]
        page.text = re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).strip()


def ocr_skipped_warning(numbers: list[int]) -> str:
    """The per-file note when scanned pages stay without text because OCR is not available."""
    return f"{len(numbers)} gescande pagina('s) zonder tekst: OCR (tesseract) niet beschikbaar"


def section_of(number: int, outline: list[tuple[int, str]]) -> str | None:
    """Return the title of the last outline entry that starts on or before this page."""
    best = None
    for page, title in outline:
        if page <= number and (best is None or page >= best[0]):
            best = (page, title)
    return best[1] if best else None


def _pdfium_outline(path: Path) -> tuple[list[tuple[int, str]], int]:
    """Return the outline as (1-based page, title) and the page count as pypdfium2 sees them; empty on failure."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # pdfminer read it; the outline is a bonus
        return [], 0
    try:
        return _outline(doc), len(doc)
    except Exception:
        return [], len(doc)
    finally:
        doc.close()


def _outline(doc) -> list[tuple[int, str]]:
    entries = []
    for mark in doc.get_toc(max_depth=6):
        dest = mark.get_dest()
        index = dest.get_index() if dest is not None else None
        title = re.sub(r"\s+", " ", clean_text(mark.get_title() or ""))
        if index is not None and title and not is_page_number(title):  # "Page 2" bookmarks name no section
            entries.append((index + 1, title))
    return entries


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
