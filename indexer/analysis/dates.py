"""Dates as terms: "2 maart 2021", "02-03-2021", "2/3/2021" and "2021-03-02" all become the one term 2021-03-02.

At index time the tokenizer adds that term at the date's place, beside its words (so "maart 2021" still finds it);
at query time a typed date is that term alone, so it matches that day and no other day of the month.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Iterable, Iterator

from whoosh.analysis import RegexTokenizer, Token, Tokenizer

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# Day and year are bounded by non-digits; a four-digit year keeps "10 mei 20" or "1-2-3" from counting. Every form
# starts with a digit after a non-word: tested once, in front, so the search skips other places three times faster.
_DATES = re.compile(
    rf"(?<![\w.,/-])(?=\d)(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_NAMES})\.?\s+(?P<y1>\d{{4}})(?!\w)"
    r"|(?P<d2>\d{1,2})(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<y2>\d{4})(?![\w-]|\.\d)"
    r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})(?![\w-]|\.\d))",
    re.IGNORECASE)


def find_dates(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, "YYYY-MM-DD") for every real calendar date written in one of the known forms."""
    for start, end, iso in date_matches(text):
        if iso:
            yield start, end, iso


def date_matches(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, "YYYY-MM-DD") for every match of the date forms, with "" where it is no real date."""
    for m in _DATES.finditer(text):
        if m.group("d1"):
            day, month, year = int(m.group("d1")), MONTHS[m.group("m1").lower()], int(m.group("y1"))
        elif m.group("d2"):
            day, month, year = int(m.group("d2")), int(m.group("m2")), int(m.group("y2"))
        else:
            day, month, year = int(m.group("d3")), int(m.group("m3")), int(m.group("y3"))
        try:
            when = dt.date(year, month, day)
        except ValueError:
            when = None  # 31-02-2021, 13/13/2020: not a date
        yield m.start(), m.end(), when.isoformat() if when is not None and 1800 <= year <= 2199 else ""


def last_text_memo(find: Callable[[str], Iterable]) -> Callable[[str], list]:
    """Return find as a function giving a list, remembered for the last text asked (that same object): indexing
    asks twice of each text (is it plain words, and the tokenizer). Treat the list as read-only.

    Its `primed` attribute, {id(text): (text, found)}, holds results found otherwise for certain text objects
    (indexer.analysis.joined: a document's pages from one scan of its whole text); it is replaced whole."""
    last = [(None, [])]  # one tuple, swapped whole, so a thread never sees one text with another's results

    def found_in(text: str) -> list:
        asked, found = last[0]
        if asked is not text:
            hit = found_in.primed.get(id(text))
            if hit is not None and hit[0] is text:
                return hit[1]
            found = list(find(text))
            last[0] = (text, found)
        return found

    found_in.primed = {}
    return found_in


dates_in = last_text_memo(find_dates)  # find_dates(text) as a list, remembered for the last text


def normalise_dates(text: str) -> str:
    """Rewrite every date in a query as one word, YYYY-MM-DD, which the tokenizer reads as that day's term."""
    out, pos = [], 0
    for start, end, iso in find_dates(text):
        out.append(text[pos:start])
        out.append(iso)
        pos = end
    out.append(text[pos:])
    return "".join(out)


class DateTokenizer(Tokenizer):
    """The word tokenizer, plus one YYYY-MM-DD term per date: beside the date's words when indexing, instead of
    them in a query."""

    def __init__(self, expression: str):
        self.expression = expression
        self.words = RegexTokenizer(expression)

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__ and self.expression == other.expression

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        dates = dates_in(value) if tokenize else []
        if not dates:
            yield from self.words(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                  removestops=removestops, start_pos=start_pos, start_char=start_char,
                                  tokenize=tokenize, mode=mode, **kwargs)
            return
        query = mode == "query"
        pos, pending = start_pos, iter(dates)
        current, emitted, closing = next(pending, None), None, None
        for t in self.words(value, positions=positions, chars=True, keeporiginal=keeporiginal,
                            removestops=removestops, start_pos=start_pos, start_char=start_char, mode=mode,
                            **kwargs):
            start = t.startchar - start_char
            while current is not None and start >= current[1]:
                current = next(pending, None)
            if closing is not None and closing is not current:
                # Indexing: the date's term again after its words, so a phrase may go on from the date
                # ("2 maart 2021 geachte") as well as lead up to it ("besluit van 2 maart 2021").
                pos = yield from self._date(closing, value, pos, positions, chars, removestops, mode, start_char,
                                            kwargs)
                closing = None
            inside = current is not None and start >= current[0]
            if inside and emitted is not current:
                emitted = current
                pos = yield from self._date(current, value, pos, positions, chars, removestops, mode, start_char,
                                            kwargs)
            if inside and query:
                continue  # in a query the date term stands for its words: that day, not any day of the month
            if inside:
                closing = current
            if positions:
                t.pos, pos = pos, pos + 1
            yield t
        if closing is not None:
            yield from self._date(closing, value, pos, positions, chars, removestops, mode, start_char, kwargs)

    @staticmethod
    def _date(found, value, pos, positions, chars, removestops, mode, start_char, kwargs):
        """Yield the term of one date (a fresh token: the word tokens are one reused object); return the next pos."""
        date = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        date.text, date.original, date.stopped, date.boost = found[2], value[found[0]:found[1]], False, 1.0
        date.startchar, date.endchar = start_char + found[0], start_char + found[1]
        if positions:
            date.pos, pos = pos, pos + 1
        yield date
        return pos
