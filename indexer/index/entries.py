"""A segment's entries handed to its writer in order: analysed anew or as remembered, the last with the word lists."""
from __future__ import annotations

from itertools import islice

from ..analysis.joined import scan_document
from .wordlist import SegmentWords


def feed(add, schema, entries: list[dict], known: list[dict | None] | None = None,
         made: list[dict | None] | None = None, pause=None, scan: bool = True) -> None:
    """Add a segment's entries in order with `add(n, entry, known, made)`, the last carrying the segment's word lists
    (indexer.index.wordlist); `pause()` is called after the first.

    With `made`, what analysis makes of each entry goes into made[n] (a dict per document: its entries share it)
    and what known[n] holds of it is not analysed again (indexer.index.analysed). With `scan`, the dates and
    citations of a document with nothing known and of its pages are found in one scan (scan_document_entries).
    """
    words = SegmentWords(schema)
    last = len(entries) - 1
    for n, entry in enumerate(entries):
        have = known[n] if known is not None else None
        into = made[n] if made is not None else None
        if scan and not have and entry.get("kind") == "doc":
            scan_document_entries(entries, n)
        if n == last:  # its own words are in the lists it carries
            words.add(entry, have, into)
            add(n, words.carrying(entry), have, into)
        else:
            add(n, entry, have, into)
            words.add(entry, have, into)  # after the writer took it: its content's word counts are then at hand
        if n == 0 and pause is not None:
            pause()


def scan_document_entries(entries: list[dict], n: int) -> None:
    """Before a document's entry (kind "doc") and its page entries after it: find the dates and citations of its
    text and of its pages in one scan (indexer.analysis.joined; exact), for the analysis of both."""
    doc, pages = entries[n], []
    if not isinstance(doc.get("content"), str):
        return
    for entry in islice(entries, n + 1, None):
        if entry.get("kind") != "page" or entry.get("id") != doc.get("id"):
            break
        if isinstance(entry.get("page_text"), str):
            pages.append(entry["page_text"])
    scan_document(doc["content"], pages)
