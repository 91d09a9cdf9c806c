"""A document's title: a letter's subject line, a cover's largest text, title-like metadata, else a clean file name."""
from __future__ import annotations

import re

from .dates import parse_dates

_SUBJECT = re.compile(r"^\s*(betreft|onderwerp|subject)\s*:?\s*(.*)$", re.IGNORECASE)
# Labels of a letterhead column or a heading block: never part of a subject.
_LABELS = re.compile(r"^\s*(datum|ons kenmerk|uw kenmerk|kenmerk|uw brief|bijlage\(?n?\)?|bijlagen|contactpersoon|"
                     r"onze referentie|uw referentie|inlichtingen|doorkiesnummer|e-?mail|telefoon|retouradres|"
                     r"geachte|beste|aan|van|cc|verzonden)\b", re.IGNORECASE)
_CONTINUES = re.compile(r"\b(van|de|het|een|tot|inzake|en|over|op|met|voor|in|aan|bij|om|betrekking|tussen|m\.b\.t\.)$",
                        re.IGNORECASE)
# File-name debris: publication prefixes ("Bes-", "Inv-", "Bij-"), version and redaction marks, extensions.
_PREFIX = re.compile(r"^(bes|inv|bij|doc)[-_ +]", re.IGNORECASE)
_DEBRIS = re.compile(r"\b(def|final|geredigeerd|gelakt|concept|v\d+|versie ?\d+|\d{6,8})\b", re.IGNORECASE)
_EXTENSION = re.compile(r"\.(pdf|docx?|xlsx?|csv|txt|odt|rtf|msg)\b", re.IGNORECASE)
MAX_TITLE = 200


def subject_line(first_page: str) -> str:
    """Return a letter's "Betreft"/"Onderwerp" line with its continuation lines, or ""."""
    lines = [ln.strip() for ln in first_page.splitlines()]
    for i, line in enumerate(lines):
        m = _SUBJECT.match(line)
        if not m:
            continue
        parts, rest = [], lines[i + 1: i + 8]
        first = m.group(2).strip(" :")
        if not first:  # a column layout: the value follows, maybe after other labels and the date
            while rest and (not rest[0] or _LABELS.match(rest[0]) or _is_date(rest[0])):
                rest = rest[1:]
            if not rest:
                continue
            first, rest = rest[0], rest[1:]
        parts.append(first)
        for nxt in rest:
            if not nxt and (_CONTINUES.search(parts[-1]) or parts[-1].endswith("-")):
                continue  # the subject's next line sits in another text box
            if not nxt or _LABELS.match(nxt) or _SUBJECT.match(nxt):
                break
            if _is_date(nxt):
                continue  # a date set beside a two-line subject
            if not (_CONTINUES.search(parts[-1]) or nxt[:1].islower() or nxt[:1] in "('‘\"" or parts[-1].endswith("-")):
                break
            parts.append(nxt)
        title = " ".join(parts)
        title = re.sub(r"(\w)- (\w)", lambda mm: f"{mm.group(1)}-{mm.group(2)}", title)
        return tidy(title)
    return ""


def _is_date(line: str) -> bool:
    dates = parse_dates(line)
    return bool(dates) and len(line) <= 24


def cover_title(cover: list[tuple[float, str]]) -> str:
    """Return the largest text on a first page when it stands out from the body text, or ""."""
    sized = [(size, text.strip()) for size, text in cover if text.strip() and size > 0]
    if len(sized) < 2:
        return ""
    # The body size is the size most of the page's characters have (a weighted median), so a cover with a big
    # two-line title and one line of small print still tells the two apart.
    by_size = sorted((size, len(text)) for size, text in sized)
    half, seen, body = sum(n for _, n in by_size) / 2, 0, by_size[0][0]
    for size, n in by_size:
        seen += n
        if seen >= half:
            body = size
            break
    largest = by_size[-1][0]
    if largest < body * 1.25:
        return ""
    # The title may run over several lines of (nearly) the largest size, in reading order.
    lines = [text for size, text in sized if size >= largest * 0.85]
    title = tidy(" ".join(lines[:4]))
    if title.isupper():
        title = title[:1] + title[1:].lower()  # "WAARSCHUWING" reads as a shout, not a title
    return title if reads_like_title(title) else ""


def metadata_title(text: str | None) -> bool:
    """Tell whether a PDF's Title property is a real title: title-like and more than one word ("Omschrijving")."""
    return reads_like_title(text) and len(re.findall(r"[^\W\d_]{2,}", text)) >= 2


def reads_like_title(text: str | None) -> bool:
    """Tell whether a text can be shown as a title: words, not a file name, a dash or a scanner's name."""
    if not text:
        return False
    text = text.strip()
    letters = sum(c.isalpha() for c in text)
    words = re.findall(r"[^\W\d_]{2,}", text)
    if letters < 4 or len(words) < 2 and len(text) < 12:
        return False
    if _EXTENSION.search(text) or "+" in text or "_" in text:
        return False
    if re.search(r"^(microsoft word|untitled|naamloos|document\d*|scan|img|ordner)\b", text, re.IGNORECASE):
        return False
    return letters / max(len(text), 1) >= 0.6


def file_name_title(stem: str) -> str:
    """Return a file name as a title: no extensions, prefixes, "+", "_" or "-" between words, no version marks."""
    text = _EXTENSION.sub(" ", stem)
    text = _PREFIX.sub("", text)
    text = re.sub(r"[+_]+", " ", text)
    text = re.sub(r"(?<=[^\W\d])-(?=[^\W\d])|(?<=\s)-|-(?=\s)", " ", text)  # word-dashes, keep "2020-101", "tv-"
    text = _DEBRIS.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" -.")
    if not text:
        return "Document"
    return text[:1].upper() + text[1:]


def tidy(text: str) -> str:
    """Collapse spacing and trim a title to a readable length."""
    text = re.sub(r"\s+", " ", text).strip(" .,;:")
    text = re.sub(r"(\s+[^\W\d]){2,}$", "", text)  # trailing OCR crumbs: "Inventarislijst m m m"
    return text if len(text) <= MAX_TITLE else text[:MAX_TITLE].rsplit(" ", 1)[0] + " …"
