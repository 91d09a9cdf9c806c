"""How an index is cut into segments: contiguous runs of documents; an update keeps the runs that did not change."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .. import settings

log = logging.getLogger("kennisbank.build")

# A full build writes this many segments (KENNISBANK_INDEX_SEGMENTS) when there is enough text (fewer below
# MIN_SEGMENT_CHARS each): worker processes write them side by side with no merge after, and an update
# rewrites only the segments whose documents changed. Searching reads every segment's term lists, so more
# segments cost query time (bench/segment_ab.py).
SEGMENTS = 8
# (270,000 characters: 400,000 while each document entry carried a second copy of its text for the spelling field,
# schema 11; the same corpus gets the same segments. At 400,000 the 71 bench PDFs, 2.5 million characters now, got
# 6 segments and an update of one record rewrote a sixth of them: 0.29 of a warm build instead of 0.22.)
MIN_SEGMENT_CHARS = 270_000
# An update that leaves more segments than this (small ones added one update after another) rewrites the
# smallest neighbours together until it is back at this number.
MAX_SEGMENTS = 12
# An update writes the documents between kept segments in up to `pieces` runs (one per worker process) when each
# gets at least this much text: on the 71 bench PDFs a segment costs about 0.4 µs a character to write, a forked
# worker about 20 ms to start and hand its result back.
MIN_PIECE_CHARS = 100_000

Key = tuple  # (document id, digest): the same key means the same entries in an index


@dataclass
class Run:
    """Documents that form one segment: written anew (keep is None) or kept from the previous generation."""

    keys: list[Key]
    docs: list[list[dict]]  # each document's entries, in order
    chars: int
    keep: str | None = None  # the segment id kept, whose files are linked from the previous generation

    def plus(self, other: Run) -> Run:
        """Return one run written anew holding both runs' documents, this one's first."""
        return Run(self.keys + other.keys, self.docs + other.docs, self.chars + other.chars)


def entry_chars(entries: list[dict]) -> int:
    """Return how much text a list of entries holds (what analysis and writing time grow with)."""
    return sum(len(v) for e in entries for v in e.values() if isinstance(v, str))


def split(keys: list[Key], docs: list[list[dict]], sizes: list[int], count: int) -> list[Run]:
    """Split documents into at most `count` contiguous runs of about equal text, none empty.

    A run ends after the document that reaches its share of the text, or before it when that is nearer the share
    (a large document starts the next run rather than making this one much longer than the others).
    """
    total, runs, start, done = sum(sizes), [], 0, 0
    for n, size in enumerate(sizes):
        done += size
        share = total * (len(runs) + 1) / count
        if len(runs) < count - 1 and done >= share:
            end = n if n > start and share - (done - size) < done - share else n + 1
            runs.append(Run(keys[start:end], docs[start:end], sum(sizes[start:end])))
            start = end
    if start < len(docs):
        runs.append(Run(keys[start:], docs[start:], sum(sizes[start:])))
    return runs


def index_segments() -> int:
    """Return KENNISBANK_INDEX_SEGMENTS, or SEGMENTS when it is not set; a value that is no whole number > 0
    warns in Dutch and gives SEGMENTS."""
    raw = settings.get("INDEX_SEGMENTS").strip()
    if not raw:
        return SEGMENTS
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    log.warning("KENNISBANK_INDEX_SEGMENTS=%r is geen geheel getal groter dan 0: %d segmenten", raw, SEGMENTS)
    return SEGMENTS


def segment_count(total_chars: int, most: int | None = None) -> int:
    """Return how many segments a full build writes for this much text (at most `most`, default
    index_segments())."""
    return max(1, min(most or index_segments(), total_chars // MIN_SEGMENT_CHARS))


def full_runs(keys: list[Key], docs: list[list[dict]], most: int | None = None) -> list[Run]:
    """Cut every document into new runs, as a full build writes them."""
    sizes = [entry_chars(entries) for entries in docs]
    return split(keys, docs, sizes, segment_count(sum(sizes), most))


def update_runs(keys: list[Key], docs: list, previous: list[dict], most: int | None = None,
                pieces: int = 1, sizes: list[int] | None = None) -> list[Run]:
    """Cut documents into runs, keeping each previous segment whose documents stand here unchanged, in order.

    `previous` is the layout a generation's manifest records: [{"segment": id, "docs": [[id, digest], ...]}].
    Documents between kept segments (changed, added, or beside a removed one) are written anew, in runs of at
    most a full build's segment size, and in at least `pieces` runs (the worker processes that can write them
    side by side) where each gets MIN_PIECE_CHARS; then the smallest neighbours are joined until at most
    MAX_SEGMENTS remain. A part of the corpus that changes again and again so gets smaller segments, which the
    next update rewrites sooner; a full build makes the segments even again.

    With `sizes` (each document's entry_chars), `docs` may stand for the documents in any way (ids, say): the
    runs hold them as given, and only those of runs written anew need become entries.
    """
    sizes = [entry_chars(entries) for entries in docs] if sizes is None else sizes
    target = max(MIN_SEGMENT_CHARS, sum(sizes) // (most or index_segments()))
    starts = {tuple(seg["docs"][0]): seg for seg in previous if seg["docs"]}
    runs: list[Run] = []
    pending = 0  # first document not yet in a run
    i = 0

    def flush(end: int) -> None:
        if end > pending:
            chars = sum(sizes[pending:end])
            count = max(-(-chars // target), min(pieces, chars // MIN_PIECE_CHARS))
            runs.extend(split(keys[pending:end], docs[pending:end], sizes[pending:end], count))

    while i < len(keys):
        seg = starts.get(tuple(keys[i]))
        length = len(seg["docs"]) if seg else 0
        if seg and [tuple(k) for k in seg["docs"]] == [tuple(k) for k in keys[i:i + length]]:
            flush(i)
            runs.append(Run(keys[i:i + length], docs[i:i + length], sum(sizes[i:i + length]), seg["segment"]))
            del starts[tuple(keys[i])]
            i += length
            pending = i
        else:
            i += 1
    flush(len(keys))
    return bounded(runs)


def bounded(runs: list[Run], most: int | None = None) -> list[Run]:
    """Join the adjacent pair of runs with the least text, again and again, until at most `most` remain
    (default MAX_SEGMENTS)."""
    runs, most = list(runs), most or MAX_SEGMENTS
    while len(runs) > most:
        n = min(range(len(runs) - 1), key=lambda k: runs[k].chars + runs[k + 1].chars)
        runs[n:n + 2] = [runs[n].plus(runs[n + 1])]
    return runs


def layout(runs: list[Run], segment_ids: list[str]) -> list[dict]:
    """Return what the manifest records of an index's segments: each one's id and its documents' keys."""
    return [{"segment": sid, "docs": [list(k) for k in run.keys]} for run, sid in zip(runs, segment_ids)]

