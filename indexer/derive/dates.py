"""The date a document states itself: Dutch month names, stamped dates ("2 1 AUG. 2 019"), "02-03-2021"."""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "mar": 3, "april": 4,
    "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# Day and year may be spaced out by a date stamp: "2 9 MEI 2019", "2 1 AUG. 2 019".
# Stamps may also run together: "09MRT2021".
_WRITTEN = re.compile(rf"(?<![\d/-])(\d ?\d?)\s*\.?\s*({_MONTH})(?![^\W\d_])\.?,?\s*(\d ?\d ?\d ?\d)(?![\d/-])",
                      re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?![\d/.-])")
# A label before the letter's own date; the value may sit a line or two away in a column layout.
_LABEL = re.compile(r"^\s*(datum|dagtekening|date|verzonden|sent)\s*:?\s*", re.IGNORECASE)  # verzonden: an e-mail
_PLACE = re.compile(r"^[A-Z][a-z\-' ]{2,30},\s*(?=\d)")
MIN_YEAR = 1900
MAX_DATE_LINE = 30  # a line holding a date value and little else ("Datum: 2 1 AUG. 2 019")


def parse_dates(text: str) -> list[tuple[int, dt.date]]:
    """Return (position, date) for every valid date written in the text."""
    found = []
    for m in _WRITTEN.finditer(text):
        day, year = m.group(1).replace(" ", ""), m.group(3).replace(" ", "")
        found.append((m.start(), _date(int(year), MONTHS[m.group(2).lower()], int(day))))
    for m in _NUMERIC.finditer(text):
        found.append((m.start(), _date(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
    return sorted((pos, d) for pos, d in found if d is not None)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if MIN_YEAR <= year <= dt.date.today().year + 1 else None


def document_date(first_page: str, meta_date: dt.date | None = None) -> tuple[dt.date | None, str]:
    """Return the date the document states on its first page, and where it was found.

    A letter dates itself next to its "Datum" label; a column layout may put the value a few lines before or
    after it, as a line of its own among other short lines ("Uw brief (kenmerk)" and its date), so of those the
    latest counts: earlier ones are what the letter refers to. Dates inside sentences are references, never the
    value. A label without a readable value (a stamp that is only an image, "0 JAN, 2020") falls back to the
    PDF's own date. Without a label: "Amsterdam, 2 maart 2021", else the latest date on the page.
    """
    lines = [ln for ln in first_page.splitlines() if ln.strip()]
    near: list[dt.date] = []
    labelled = False
    for i, line in enumerate(lines):
        if _LABEL.match(line):
            labelled = True
            same = parse_dates(_LABEL.sub("", line, count=1))
            if same:
                return same[0][1], "datumregel"
            # A column of labels (Datum, Ons kenmerk, Behandeld door, Bijlage) may come before its column of values.
            near += [d for ln in lines[max(0, i - 4): i + 7] if len(ln.strip()) <= MAX_DATE_LINE
                     for _, d in parse_dates(ln)]
    if near:
        return max(near), "datumregel"
    if labelled and meta_date is not None:
        return meta_date, "pdf-metadata"
    for line in lines:
        if _PLACE.match(line.strip()):
            dates = parse_dates(line)
            if dates:
                return dates[0][1], "datumregel"
    dates = [d for _, d in parse_dates(first_page)]
    if dates:
        return max(dates), "tekst"
    return None, ""
