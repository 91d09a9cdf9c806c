"""Dates and citations of a document's pages taken from one scan of its whole text, where that is exactly the same.

A document's text is its pages joined by blank lines, and the index analyses both: each page for its page entry
and the whole text for the document. Scanning the whole text once and cutting its matches per page gives each page
what its own scan gives, unless a match of the whole text reaches across a page's edge. Then (and only then) the
page is scanned on its own. Why that is exact:
- both scans read the same characters inside the page; before the page the whole text has a line break, which
  every lookbehind of the patterns treats as it treats the start of a text, and after it a line break, which every
  lookahead treats as the end of a text (none looks for a line break or uses anchors; the one that reads on, "art"
  before white space and a number, is followed by the pattern reading those same characters);
- so a try at one place of the page ends the same way in both, unless it goes on past the page's end, and a try
  that goes on past the end and succeeds is a match reaching across the edge;
- a match never starts or ends on white space, so one that holds a separating line break holds the page's edge;
- the one lookback outside the patterns (a numbered part, "versie 1.2.3.a", looks 20 characters back) can see the
  page before only when the page starts with a compact citation after nothing but white space: such pages are
  scanned on their own.
Every raw match counts, also one that is then dropped (no real date, a numbered part), as it moves the scan on.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from .citations import citation_matches
from .citeterms import citations_in
from .dates import date_matches, dates_in


def scan_document(content: str, pages: list[str]) -> int:
    """Scan a document's text (its pages' texts in order, joined by line breaks) for dates and citations once;
    remember the results for it and for each page whose share is exact (dates_in, citations_in); return how many
    pages got both. Pages that cannot be found in order in the text are left to their own scans."""
    dates = list(date_matches(content))
    cites = list(citation_matches(content))
    found_dates = {id(content): (content, [(s, e, iso) for s, e, iso in dates if iso])}
    found_cites = {id(content): (content, [c for _s, _e, c in cites if c is not None])}
    date_starts, cite_starts = [s for s, _e, _iso in dates], [s for s, _e, _c in cites]
    done, pos = 0, 0
    for text in pages:
        start = _locate(content, text, pos)
        if start is None:
            break
        end = pos = start + len(text)
        if _reaches_across(dates, date_starts, start) or _reaches_across(dates, date_starts, end):
            continue
        first, last = bisect_left(date_starts, start), bisect_left(date_starts, end)
        found_dates[id(text)] = (text, [(s - start, e - start, iso) for s, e, iso in dates[first:last] if iso])
        if _reaches_across(cites, cite_starts, start) or _reaches_across(cites, cite_starts, end) or \
                (start > 0 and text.lstrip()[:1].isdigit()):
            continue
        first, last = bisect_left(cite_starts, start), bisect_left(cite_starts, end)
        found_cites[id(text)] = (text, [replace(c, start=c.start - start, end=c.end - start)
                                        for _s, _e, c in cites[first:last] if c is not None])
        done += 1
    dates_in.primed, citations_in.primed = found_dates, found_cites
    return done


def forget() -> None:
    """Drop the remembered results (they hold the texts)."""
    dates_in.primed, citations_in.primed = {}, {}


def _locate(content: str, text: str, pos: int) -> int | None:
    """Return where a page's text stands in the document's text from pos on: after nothing but line breaks (pages
    without text leave more), at the start or after a line break, and followed by a line break or the end."""
    if not text:
        return None
    start = pos
    while True:
        if (start == 0 or content[start - 1] == "\n") and content.startswith(text, start):
            end = start + len(text)
            return start if end == len(content) or content[end] == "\n" else None
        if content[start:start + 1] != "\n":
            return None
        start += 1


def _reaches_across(matches: list, starts: list[int], edge: int) -> bool:
    """Tell whether a match (start, end, ...) begins before the edge and ends after it."""
    n = bisect_left(starts, edge) - 1
    return n >= 0 and matches[n][1] > edge
