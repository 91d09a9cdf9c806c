"""One PDF page for the page view: its text, section, the pages around it that match, and where the words stand."""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from ..extract.cache import cached_pdf
from .model import Document
from .pagemarks import Box, marked_ranges, ocr_marks, page_analyzers, query_words, text_layer_marks
from .pages import document_pages
from .synonyms import EMPTY, Table

MAX_MATCHING = 2000  # matching pages listed for one document: more than any report has


@dataclass
class PageView:
    """What the page view shows of one page."""

    document: Document
    number: int
    count: int                       # pages in the PDF
    width: float                     # the displayed page in points (rotation applied)
    height: float
    text: str = ""                   # the page's extracted text, as indexed
    section: str | None = None
    ocr: bool = False                # the text (and the marks) come from OCR
    marks: list[Box] = field(default_factory=list)
    text_marks: list[tuple[int, int]] = field(default_factory=list)  # the same words in `text`, as char ranges
    marked_words: int = 0
    matching: list[int] = field(default_factory=list)  # the document's pages that match the query, in page order
    words_missing: bool = False      # an OCR'd page whose word boxes are not (yet) stored: no marks possible

    @property
    def previous_match(self) -> int | None:
        """Return the nearest matching page before this one, or None."""
        return max((n for n in self.matching if n < self.number), default=None)

    @property
    def next_match(self) -> int | None:
        """Return the nearest matching page after this one, or None."""
        return min((n for n in self.matching if n > self.number), default=None)


def matching_pages(searcher, doc_id: str, text: str, synonyms: Table = EMPTY) -> list[int]:
    """Return the numbers of a document's pages that match a query, in page order."""
    return sorted(p.page for p in document_pages(searcher, doc_id, text, MAX_MATCHING, synonyms=synonyms))


def page_view(searcher, doc: Document, pdf_path: Path, number: int, text: str, *, synonyms: Table = EMPTY,
              extract_cache: Path | None = None) -> PageView | None:
    """Return the page view of page `number` of a document's PDF, or None when the PDF has no such page."""
    entry = searcher.document(uid=f"page:{doc.id}:{number}") or {}
    words = query_words(searcher, text, synonyms)
    analyzers = page_analyzers(searcher, doc.language)
    try:
        pdf = pdfium.PdfDocument(str(pdf_path))
    except (pdfium.PdfiumError, OSError):
        return None  # damaged, encrypted or gone since the build
    try:
        if not 1 <= number <= len(pdf):
            return None
        page = pdf[number - 1]
        width, height = page.get_size()
        view = PageView(document=doc, number=number, count=len(pdf), width=round(width, 1), height=round(height, 1),
                        text=entry.get("page_text") or "", section=entry.get("page_section"),
                        ocr=bool(entry.get("ocr")))
        if words and not view.ocr:
            view.marks, view.marked_words = text_layer_marks(page, words, analyzers)
    finally:
        pdf.close()
    if words and view.ocr:
        ocr_words = ocr_words_of(extract_cache, pdf_path, number) if extract_cache else None
        if ocr_words is None:
            view.words_missing = True
        else:
            view.marks, view.marked_words = ocr_marks(ocr_words, view.width, view.height, words, analyzers)
    view.text_marks = marked_ranges(view.text, words, analyzers)
    if text:
        view.matching = matching_pages(searcher, doc.id, text, synonyms)
    return view


_OCR_WORDS: OrderedDict = OrderedDict()  # (path, size, mtime) -> {page: words}: the cache entry is read once
_OCR_LOCK = threading.Lock()
_OCR_KEEP = 32


def ocr_words_of(extract_cache: Path, pdf_path: Path, number: int) -> list | None:
    """Return the OCR word boxes the build stored for a page in the extraction cache, or None when there are none."""
    try:
        st = pdf_path.stat()
    except OSError:
        return None
    key = (str(pdf_path), st.st_size, st.st_mtime_ns, str(extract_cache))
    with _OCR_LOCK:
        pages = _OCR_WORDS.get(key)
    if pages is None:
        pdf = cached_pdf(extract_cache, pdf_path)
        if pdf is None:
            return None  # not built yet, or by older code: asked again next time
        pages = {p.number: p.words for p in pdf.pages if p.ocr}
        with _OCR_LOCK:
            _OCR_WORDS[key] = pages
            while len(_OCR_WORDS) > _OCR_KEEP:
                _OCR_WORDS.popitem(last=False)
    return pages.get(number)
