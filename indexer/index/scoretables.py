"""Score tables of an index's most common words, written once at build time and read by the first search for them.

Ranking (indexer.search.ranking) reads a word's BM25F score in every document from its posting list, about 0.3 µs a
posting in Python: 5-8 ms for a word found in most of 20,000 documents, paid by the first search for it in each
generation. For words in at least MIN_POSTINGS documents, the build stores those scores next to the index, and
a search reads them as arrays instead. Each file names the index segments it was computed from; a file written
for other segments (or damaged) is not used, and ranking computes the scores itself as before.
"""
from __future__ import annotations

import json
import logging
import mmap
from array import array
from pathlib import Path

from ..files import atomic_write, atomic_writer

log = logging.getLogger(__name__)

FOLDER = "scores"          # inside a generation, beside the index folders: not copied by `update`
MIN_POSTINGS = 4000        # below this, computing a table takes about as long as loading it
FIELDS = ("title", "summary", "content", "title_en", "summary_en", "content_en")
VERSION = 1


def segment_key(reader) -> list:
    """Identify the index content a reader sees: its segments and their deletion counts."""
    key = []
    for r, _offset in reader.leaf_readers():
        segment = r.segment() if hasattr(r, "segment") else None
        key.append([segment.segment_id(), segment.deleted_count()] if segment is not None else ["empty"])
    return key


def scoring_key(searcher) -> list:
    """Name the weighting a searcher scores with (BM25F and its B and K1): tables are only valid for it."""
    w = searcher.weighting
    return [type(w).__name__, getattr(w, "B", None), getattr(w, "K1", None)]


def write(folder: Path, name: str, key: list, tables, scoring: list) -> int:
    """Write the (field, text, {docnum: score}) tables of one index, scored with `scoring`; return how many."""
    folder.mkdir(exist_ok=True)
    where: dict[str, list[int]] = {}
    # Written beside and renamed into place: the old file may be a hard link shared with the other index.
    with atomic_writer(folder / f"{name}.bin") as out:
        offset = 0
        for fieldname, text, table in tables:
            docnums = sorted(table)
            ids, scores = array("I", docnums), array("d", (table[d] for d in docnums))
            out.write(ids.tobytes())
            out.write(scores.tobytes())
            where[f"{fieldname}\t{text}"] = [offset, len(docnums)]
            offset += len(docnums) * (ids.itemsize + scores.itemsize)
    # The index file last: a table file without it is never read.
    atomic_write(folder / f"{name}.json", json.dumps({"version": VERSION, "key": key, "scoring": scoring,
                                                      "tables": where}))
    return len(where)


class ScoreFile:
    """The stored score tables of one index, read from a memory map."""

    def __init__(self, path: Path, tables: dict[str, list[int]]):
        with open(path, "rb") as f:  # the map stays valid after the file is closed
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if tables else None
        self._tables = tables

    def get(self, fieldname: str, text) -> dict[int, float] | None:
        """Return the stored {docnum: score} of a word, or None when the build did not store it."""
        found = self._tables.get(f"{fieldname}\t{text}")
        if found is None:
            return None
        offset, count = found
        ids, scores = array("I"), array("d")
        middle, end = offset + count * ids.itemsize, offset + count * (ids.itemsize + scores.itemsize)
        if end > len(self._map):  # a truncated file: ranking computes this table itself
            return None
        ids.frombytes(self._map[offset:middle])
        scores.frombytes(self._map[middle:end])
        return dict(zip(ids, scores))

    def __len__(self) -> int:
        return len(self._tables)


def describe(gen: Path, name: str) -> dict:
    """Return how many words of an index have stored tables, and their size in bytes (0 and 0 for none)."""
    try:
        meta = json.loads((gen / FOLDER / f"{name}.json").read_text(encoding="utf-8"))
        return {"words": len(meta["tables"]), "bytes": (gen / FOLDER / f"{name}.bin").stat().st_size}
    except (OSError, ValueError, KeyError, TypeError):
        return {"words": 0, "bytes": 0}


def open_for(searcher, index_folder: str | Path) -> ScoreFile | None:
    """Return the stored tables of the index in index_folder that a searcher reads, or None when there are none
    for its segments."""
    index_folder = Path(index_folder)
    folder, name = index_folder.parent / FOLDER, index_folder.name
    try:
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        if (meta.get("version") != VERSION or meta.get("key") != segment_key(searcher.reader())
                or meta.get("scoring") != scoring_key(searcher)):
            return None
        return ScoreFile(folder / f"{name}.bin", meta["tables"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:  # damaged: rank without them, as before
        log.warning("score tables of %s not used: %s", index_folder, exc)
        return None
