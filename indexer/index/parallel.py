"""Write a new index with every core: worker processes analyse contiguous parts, one merge keeps their order."""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from whoosh import index as whoosh_index

from .. import settings
from . import internals, store
from .schema import build_schema

log = logging.getLogger("kennisbank.build")

# MB of postings a writer sorts in memory before it spills a sorted run to disk (Whoosh's default is 128).
# Spilled runs are pickled, read back and merged posting by posting in Python: on 300 synthetic documents
# (about 3,000 pages) 128 MB took 34.6-45.2 s and 256-384 MB 18.8-22.1 s (one outlier 41 s), peak memory
# 350 vs 440 MB. 256 is also what the benchmark's plain Whoosh baseline gets.
WRITER_LIMIT_MB = 256

# Below this much text (characters over all entries) worker processes cost more to start than they save.
MIN_PARALLEL_CHARS = 2_000_000


def cores() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def index_jobs() -> int:
    """Return KENNISBANK_INDEX_JOBS (0 = every core); a value that is no whole number >= 0 warns and gives 1."""
    raw = settings.get("INDEX_JOBS")
    if raw.strip().isdigit():
        return int(raw)
    log.warning("KENNISBANK_INDEX_JOBS=%r is geen geheel getal van 0 of meer: de index wordt in één proces "
                "geschreven", raw)
    return 1


def entry_chars(entries: list[dict]) -> int:
    """Return how much text a list of entries holds (what analysis time grows with)."""
    return sum(len(v) for e in entries for v in e.values() if isinstance(v, str))


def split_parts(docs: list[list[dict]], count: int) -> list[list[dict]]:
    """Split documents (each a list of entries) into at most `count` contiguous parts of about equal text."""
    sizes = [entry_chars(entries) for entries in docs]
    total, parts, current, done = sum(sizes), [], [], 0
    for entries, size in zip(docs, sizes):
        current.extend(entries)
        done += size
        if len(parts) < count - 1 and done >= total * (len(parts) + 1) / count:
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return [p for p in parts if p]


def write_new_index(folder: Path, docs: list[list[dict]], *, jobs: int = 0, on_commit=None) -> int:
    """Create the index at folder holding every document's entries in this order; return the processes used.

    With more than one core and enough text, worker processes (started with 'spawn': the app or a test may
    hold threads) each analyse one contiguous part and the parts are merged in order, so the index is the one
    a single writer makes. Otherwise, or where Whoosh's internals differ (indexer.index.internals), one writer.
    `on_commit` wraps the final write (the build logs it as its commit step).
    """
    folder.mkdir()
    whoosh_index.create_in(str(folder), build_schema())
    jobs = jobs or cores()
    total = sum(entry_chars(entries) for entries in docs)
    parts = split_parts(docs, jobs) if jobs > 1 and total >= MIN_PARALLEL_CHARS and internals.enabled() else []
    if len(parts) < 2:
        writer = whoosh_index.open_dir(str(folder)).writer(limitmb=WRITER_LIMIT_MB)
        try:
            for n, entries in enumerate(docs):
                for entry in entries:
                    writer.add_document(**entry)
                if n == 0:
                    store.pause_point("writing")
            with on_commit() if on_commit else contextlib.nullcontext():
                writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return 1
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(parts), mp_context=context) as pool:
        written = [pool.submit(internals.write_part, str(folder), part, WRITER_LIMIT_MB) for part in parts]
        results = [f.result() for f in written]
    store.pause_point("writing")
    with on_commit() if on_commit else contextlib.nullcontext():
        internals.merge_parts(str(folder), results)
    return len(parts)

