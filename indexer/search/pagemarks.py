"""Where a query's words stand on a PDF page: boxes from the text layer or OCR words, matched by the search analysis.

A page's words are analysed with the index's own analyzer, and a word is marked when one of its tokens is a token
of the query: a search for `verbod` marks "internetverbod" because the decompounder gives that word the token
`verbod`, exactly as the index does. Boxes are in the page's display space (points, origin top left, the page's
rotation applied), the space the rendered image shows.
"""
from __future__ import annotations

import ctypes
import fnmatch
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from whoosh import query as wq

from .query import QueryError, clean_query, index_languages, parse_query
from .synonyms import EMPTY, Table, expand

PAGE_FIELDS = ("page_text", "page_text_en")


@dataclass(frozen=True)
class Box:
    """A rectangle on the displayed page, in points from the top left corner."""

    x: float
    y: float
    w: float
    h: float


@dataclass
class QueryWords:
    """The analysed words of a query as the page fields hold them: tokens, prefixes, wildcards and phrases."""

    terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    patterns: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)  # marked only where the whole phrase stands

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.patterns or self.phrases)

    def matches(self, token: str) -> bool:
        """Return True when an analysed token of the page is one the query searches for."""
        return (token in self.terms or any(token.startswith(p) for p in self.prefixes)
                or any(fnmatch.fnmatchcase(token, p) for p in self.patterns))


def query_words(searcher, text: str, synonyms: Table = EMPTY) -> QueryWords:
    """Return the page-text words a query looks for (its NOT parts left out); empty for no or a broken query."""
    words = QueryWords()
    text = clean_query(text)
    if not text:
        return words
    try:
        q = parse_query(expand(text, synonyms).text, searcher.schema, any_word=True, fields=("page_text",),
                        languages=index_languages(searcher))
    except QueryError:
        return words
    _collect(q, words)
    return words


def _collect(q, words: QueryWords) -> None:
    if isinstance(q, wq.Not):
        return  # a word the visitor excludes is not what they look for
    if isinstance(q, wq.AndNot):
        _collect(q.a, words)
        return
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and q.fieldname in PAGE_FIELDS:
        (words.prefixes if isinstance(q, wq.Prefix) else words.patterns).add(q.text)
        return
    if isinstance(q, wq.Term) and q.fieldname in PAGE_FIELDS:
        words.terms.add(q.text)
        return
    if isinstance(q, wq.Phrase) and q.fieldname in PAGE_FIELDS:
        # "Wet open overheid" (the widening of Woo) must not mark every "over" on the page: only the phrase.
        words.phrases.add(tuple(q.words))
        return
    if isinstance(q, (wq.Ordered, wq.Sequence)):
        for fieldname, text in q.iter_all_terms(phrases=True):
            if fieldname in PAGE_FIELDS:
                words.terms.add(text)
        return
    for sub in q.children():
        _collect(sub, words)


def marked_ranges(text: str, words: QueryWords, analyzers) -> list[tuple[int, int]]:
    """Return the (start, end) character ranges in `text` that a query's words match, in order, overlaps joined.

    A phrase's range runs from its first word to its last, so a citation or a date is marked as a whole.
    """
    ranges = set()
    if not words:
        return []
    for analyzer in analyzers:
        at: dict[int, list[tuple[str, int, int]]] = {}  # position -> its tokens (a compound and its parts)
        for token in analyzer(text, chars=True, positions=True, mode="index"):
            if words.matches(token.text):
                ranges.add((token.startchar, token.endchar))
            if words.phrases:
                at.setdefault(token.pos, []).append((token.text, token.startchar, token.endchar))
        for phrase in words.phrases:
            for pos in at:
                if all(any(t == word for t, _, _ in at.get(pos + i, ())) for i, word in enumerate(phrase)):
                    ranges.add((min(s for _, s, _ in at[pos]), max(e for _, _, e in at[pos + len(phrase) - 1])))
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def page_analyzers(searcher, language: str = "nl") -> list:
    """Return the analyzers of the index's page text: Dutch, plus English for an English document."""
    schema = searcher.schema
    out = [schema["page_text"].analyzer]
    if language == "en" and "page_text_en" in schema:
        out.append(schema["page_text_en"].analyzer)
    return out


# ---------------------------------------------------------------- the text layer


def text_layer_marks(page, words: QueryWords, analyzers) -> tuple[list[Box], int]:
    """Return the boxes of the matching words on an open pypdfium2 page, and how many words they are."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0 or not words:
            return [], 0
        raw = textpage.raw
        text = "".join(_char(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
        ranges = marked_ranges(text, words, analyzers)
        boxes = []
        for start, end in ranges:
            boxes += _line_boxes(page, textpage, start, end)
        return boxes, len(ranges)
    finally:
        textpage.close()


def _char(code: int) -> str:
    # Generated line breaks and odd codes become spaces: one character per textpage index keeps the offsets true.
    return chr(code) if 32 <= code < 0x110000 and not 0xD800 <= code < 0xE000 else " "


def _line_boxes(page, textpage, start: int, end: int) -> list[Box]:
    """Return one box per line that the characters start..end-1 cover (a word split over two lines gets two)."""
    boxes, current = [], None
    for i in range(start, end):
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if right <= left or top <= bottom:
            continue  # a generated space or line break has no box
        x0, y0 = _to_display(page, left, top)
        x1, y1 = _to_display(page, right, bottom)
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        if current and abs((y0 + y1) / 2 - (current[1] + current[3]) / 2) < (y1 - y0) / 2:
            current = [min(current[0], x0), min(current[1], y0), max(current[2], x1), max(current[3], y1)]
        else:
            if current:
                boxes.append(current)
            current = [x0, y0, x1, y1]
    if current:
        boxes.append(current)
    return [Box(round(a, 1), round(b, 1), round(c - a, 1), round(d - b, 1)) for a, b, c, d in boxes]


_DEVICE = 10_000  # device size for FPDF_PageToDevice, which returns whole device pixels


def _to_display(page, x: float, y: float) -> tuple[float, float]:
    """Map a point of PDF user space to display space (points from the top left, page rotation applied)."""
    width, height = page.get_size()
    dx, dy = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, _DEVICE, _DEVICE, 0, x, y, dx, dy)
    return dx.value * width / _DEVICE, dy.value * height / _DEVICE


# ---------------------------------------------------------------- OCR words


def ocr_marks(ocr_words: list, width: float, height: float, words: QueryWords, analyzers) -> tuple[list[Box], int]:
    """Return the boxes of matching OCR words; each word is [left, top, right, bottom, text] in page fractions."""
    if not ocr_words or not words:
        return [], 0
    text, starts = [], []
    offset = 0
    for word in ocr_words:
        starts.append(offset)
        text.append(str(word[4]))
        offset += len(str(word[4])) + 1
    joined = " ".join(text)
    ranges = marked_ranges(joined, words, analyzers)
    hit = set()
    for start, end in ranges:
        for i, s in enumerate(starts):
            if s < end and start < s + len(text[i]):
                hit.add(i)
    boxes = []
    for i in sorted(hit):
        left, top, right, bottom = (float(v) for v in ocr_words[i][:4])
        boxes.append(Box(round(left * width, 1), round(top * height, 1), round((right - left) * width, 1),
                         round((bottom - top) * height, 1)))
    return boxes, len(hit)


def open_page(doc: "pdfium.PdfDocument", number: int):
    """Return page `number` (1-based) of an open document, or None when there is no such page."""
    if not 1 <= number <= len(doc):
        return None
    return doc[number - 1]
