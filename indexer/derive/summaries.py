"""A summary from a document's first real body paragraph: never letterhead, reference lines, salutation or OCR junk."""
from __future__ import annotations

import re


SUMMARY_WORDS = 60
_SALUTATION = re.compile(r"^\s*(geachte|beste|hallo|dear)\b.*$", re.IGNORECASE | re.MULTILINE)
# Lines that belong to a letterhead, address block or reference column.
_NOT_BODY = re.compile(r"(postbus|retouradres|bezoekadres|www\.|@|\bT\s*\+?\d|\btel\.?\b|\bfax\b|kenmerk|"
                       r"\b\d{4}\s?[A-Z]{2}\b|referentie|contactpersoon|bijlage\(n\)|inlichtingen)", re.IGNORECASE)
_WORD = re.compile(r"\S+")
_REAL_WORD = re.compile(r"^[(\"'‘“]?[^\W\d_]{2,}(?:-[^\W\d_]+)*[)\"'’”]?[.,;:!?]?$")
_VOWEL = re.compile(r"[aeiouyáéíóúëïöü]", re.IGNORECASE)
_MIXED_CASE = re.compile(r"[a-z][A-Z]")  # "EeZsj", "sJeonInisegMnog": OCR of a page lying on its side
MIN_WORDS = 12
MIN_MEAN_LENGTH = 4.0  # Dutch prose averages about five letters a word; OCR noise is short fragments
LONG_WORD = 9  # long words may be unknown compounds ("bestuursvoering") and still be real


def summary(pages: list[str], dropped_words: set[str] = frozenset()) -> str:
    """Return about SUMMARY_WORDS words of the first body paragraph; "" when no page holds readable prose.

    `dropped_words` are words OCR was unsure of: a paragraph that needs them is not used.
    """
    for n, text in enumerate(pages[:3]):
        if n == 0:
            salutation = _SALUTATION.search(text)
            if salutation:
                text = text[salutation.end():]
        for block in re.split(r"\n\s*\n", text):
            paragraph = _prose(block, dropped_words)
            if paragraph:
                words = paragraph.split()
                return " ".join(words[:SUMMARY_WORDS]) + (" …" if len(words) > SUMMARY_WORDS else "")
    return ""


def _prose(block: str, dropped_words) -> str:
    lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not _NOT_BODY.search(ln)]
    text = re.sub(r"\s+", " ", " ".join(lines)).strip()
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS or text.endswith(":"):
        return ""
    real = [w for w in words if _REAL_WORD.match(w) and _VOWEL.search(w) and not _MIXED_CASE.search(w)
            and w.strip(".,;:!?()'\"‘’“”") not in dropped_words and _known(w)]
    if len(real) / len(words) < 0.75:
        return ""  # OCR noise, tables, lists of numbers
    if sum(len(w) for w in real) / len(real) < MIN_MEAN_LENGTH:
        return ""
    lowercase = sum(1 for w in real if w[:1].islower())
    if lowercase / len(words) < 0.5:
        return ""  # a heading block or a list of names
    return text


def _known(word: str) -> bool:
    """A Dutch (or English) word, or a long one that may be a compound."""
    bare = word.strip(".,;:!?()'\"‘’“”").lower()
    from wordfreq import zipf_frequency  # here: importing wordfreq costs every CLI command 0.1 s (as in extract.clean)
    return len(bare) >= LONG_WORD or zipf_frequency(bare, "nl") > 1.0 or zipf_frequency(bare, "en") > 2.0
