"""Find running headers, footers and page numbers: lines wholly in a top or bottom band that repeat or count pages."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

# Share of the page height that counts as the top or bottom margin band.
BAND = 0.12
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|•·.]*((pagina|page|blz\.?|bladzijde|p\.)\s*)?(\d{1,4}|[ivxlc]{1,6})"
    r"(\s*(/|van|of|de|\|)\s*\d{1,4})?[\s\-–—|•·.]*$", re.IGNORECASE)


@dataclass
class Line:
    """One text line of a page with its vertical extent (PDF units, origin at the bottom)."""

    text: str
    y0: float
    y1: float


def normalise(text: str) -> str:
    """Key for comparing lines across pages: lowercase, digits as '#', spacing collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.lower())).strip()


def is_page_number(text: str) -> bool:
    """Tell whether a line is only a page number ("12", "- 3 -", "Pagina 2 van 9", "iv")."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def in_band(y0: float, y1: float, height: float, band: float = BAND) -> bool:
    """Tell whether a vertical extent lies wholly in the top or the bottom band of a page."""
    return y0 >= height * (1 - band) or y1 <= height * band


def running_lines(pages: list[tuple[float, list[list[Line]]]], band: float = BAND) -> list[set[int]]:
    """Return, per page, the ids of boxes whose every line is a running header, footer or page number.

    `pages` holds (page height, boxes) with each box a list of Lines. A box is dropped only when it lies wholly in
    the band and each of its lines is a page number or repeats (digits ignored) on a fifth of the pages (at least two), so body text that
    reaches into the margin is never dropped.
    """
    counts: Counter[str] = Counter()
    for height, boxes in pages:
        seen = {normalise(ln.text) for box in boxes for ln in box
                if ln.text.strip() and in_band(ln.y0, ln.y1, height, band)}
        counts.update(seen)
    # Short boxes repeated on most pages wherever they lie: a running sidebar ("Directie ... / Ons kenmerk").
    box_counts: Counter[str] = Counter()
    for _, boxes in pages:
        box_counts.update({_box_key(box) for box in boxes if _is_short(box)})
    repeated = max(3, (len(pages) + 1) // 2)
    # A header repeats on a good share of the pages; "De rapporteur," atop 5 of 66 pages is body text.
    band_repeated = max(2, math.ceil(0.2 * len(pages)))
    drop: list[set[int]] = []
    for height, boxes in pages:
        ids = set()
        for i, box in enumerate(boxes):
            lines = [ln for ln in box if ln.text.strip()]
            if lines and _is_short(box) and box_counts[_box_key(box)] >= repeated:
                ids.add(i)
            elif lines and all(in_band(ln.y0, ln.y1, height, band) and
                             (is_page_number(ln.text) or counts[normalise(ln.text)] >= band_repeated) for ln in lines):
                ids.add(i)
        drop.append(ids)
    return drop


def _box_key(box: list[Line]) -> str:
    # Digits count here: "Artikel 5" atop one page and "Artikel 6" atop the next are headings, not a sidebar.
    # So does the position: a sidebar sits at the same height on every page, while a closing formula repeated in a
    # bundle of reports ("Aldus opgemaakt. De rapporteur,") moves with the text and is body text.
    text = re.sub(r"\s+", " ", " ".join(ln.text for ln in box).lower()).strip()
    return f"{round(box[0].y1 / 6) if box else 0}:{text}"


def _is_short(box: list[Line]) -> bool:
    """A box of at most three lines and 120 characters: the size of a running element, not of a paragraph."""
    lines = [ln for ln in box if ln.text.strip()]
    return 0 < len(lines) <= 3 and sum(len(ln.text) for ln in lines) <= 120
