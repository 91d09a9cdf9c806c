"""A segment's entries handed to its writer in order: analysed anew or as remembered, the last with the word lists."""
from __future__ import annotations

import time
from itertools import islice

from ..analysis.joined import scan_document
from .wordlist import SegmentWords


class Kept:
    """What analysis is known and made of a segment's documents (indexer.index.analysed), entry by entry as feed
    reads it: each document's dicts for each of its entries. `finished(d)` is called once document d's last entry
    is written, so what was made of it is kept and let go then, not after the whole segment (at 2,500 documents a
    segment's made dicts held a copy of its postings until the end, and were written from cold memory)."""

    def __init__(self, docs: list[list[dict]], known: list[dict | None], made: list[dict], finished):
        self.known = [have for doc, have in zip(docs, known) for _entry in doc]
        self.made = [into for doc, into in zip(docs, made) for _entry in doc]
        self.ends, last = {}, -1  # a document's last entry -> the document's number
        for d, doc in enumerate(docs):
            last += len(doc)
            if doc:
                self.ends[last] = d
        self.finished, self.seconds = finished, 0.0  # CPU seconds spent in finished

    def entry_done(self, n: int) -> None:
        d = self.ends.get(n)
        if d is not None:
            started = time.process_time()
            self.finished(d)
            self.seconds += time.process_time() - started


def feed(add, schema, entries: list[dict], kept: Kept | None = None, pause=None, scan: bool = True) -> None:
    """Add a segment's entries in order with `add(n, entry, known, made)`, the last carrying the segment's word lists
    (indexer.index.wordlist); `pause()` is called after the first.

    With `kept`, what analysis makes of each entry goes into kept.made[n] (a dict per document: its entries share
    it), what kept.known[n] holds of it is not analysed again, and kept.entry_done(n) follows each entry. With
    `scan`, the dates and citations of a document with nothing known and of its pages are found in one scan
    (scan_document_entries).
    """
    words = SegmentWords(schema)
    last = len(entries) - 1
    for n, entry in enumerate(entries):
        have = kept.known[n] if kept is not None else None
        into = kept.made[n] if kept is not None else None
        if scan and not have and entry.get("kind") == "doc":
            scan_document_entries(entries, n)
        if n == last:  # its own words are in the lists it carries
            words.add(entry, have, into)
            add(n, words.carrying(entry), have, into)
        else:
            add(n, entry, have, into)
            words.add(entry, have, into)  # after the writer took it: its content's word counts are then at hand
        if kept is not None:
            kept.entry_done(n)
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
