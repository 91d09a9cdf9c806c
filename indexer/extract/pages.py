"""From raw pages to clean ones: running heads dropped, hyphens rejoined, scans flagged for OCR, sections named."""
from __future__ import annotations

import re
from collections import Counter

from .clean import clean_text, is_garbage, letter_count, page_vocabulary
from .model import ExtractedPDF, Page, RawPage
from .running_heads import is_page_number, normalise, running_lines

# A page with fewer letters than this but with an image on it is treated as a scan and goes to OCR.
OCR_MIN_LETTERS = 40
COVER_LINES = 60  # lines of the first page kept with their sizes, enough for any cover


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
    return ExtractedPDF(pages=pages, title=title, date=date, extractor=extractor, needs_ocr=needs_ocr,
                        cover=cover_lines(raw[0]) if raw and raw[0].number not in needs_ocr else [])


def cover_lines(page: RawPage, limit: int = COVER_LINES) -> list[list]:
    """Return a page's text lines as [height, text] (the height stands for the font size), in reading order."""
    lines = [[round(ln.y1 - ln.y0, 1), re.sub(r"\s+", " ", clean_text(ln.text))] for box in page.boxes for ln in box]
    return [line for line in lines if line[1]][:limit]


def apply_ocr(pdf: ExtractedPDF, number: int, text: str, words: list | None = None) -> None:
    """Put the OCR text (and word boxes, for the page view) of a scanned page in place; mark the page as OCR'd."""
    page = pdf.pages[number - 1]
    page.text, page.ocr = clean_text(text, page_vocabulary([text])), True
    page.words = words
    if number in pdf.needs_ocr:
        pdf.needs_ocr.remove(number)


def drop_ocr_running_lines(pdf: ExtractedPDF, edge: int = 4) -> None:
    """Drop running headers, footers and page numbers from OCR'd pages (OCR gives text, not positions).

    Among the first and last `edge` lines of each OCR'd page, a line goes when it is a page number or repeats
    (digits ignored) on another OCR'd page.
    """
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
    pages = "1 gescande pagina" if len(numbers) == 1 else f"{len(numbers)} gescande pagina's"
    return f"{pages} zonder tekst: OCR (tesseract) niet beschikbaar"


def section_of(number: int, outline: list[tuple[int, str]]) -> str | None:
    """Return the title of the last outline entry that starts on or before this page."""
    best = None
    for page, title in outline:
        if page <= number and (best is None or page >= best[0]):
            best = (page, title)
    return best[1] if best else None


def outline_entry(page_index: int | None, title: str) -> tuple[int, str] | None:
    """Return a bookmark as (1-based page, title), or None when it names no section ("Page 2")."""
    title = re.sub(r"\s+", " ", clean_text(title or ""))
    if page_index is None or not title or is_page_number(title):
        return None
    return page_index + 1, title
