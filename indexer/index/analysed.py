"""What analysis made of each document's entries, kept beside the index so a rebuild does not analyse them again.

Once every PDF's text comes from the extraction cache, a rebuild spent more than half its CPU analysing the text
the previous build analysed already: tokenizing, looking up each word's terms, scanning for dates and citations,
counting terms per entry. Here what analysis made of a document is kept in a file per document and index, as
{key: result}: each indexed field value's postings (its terms, their weights and encoded values, its length) under
("f", field, value_key(value)), the words of each text a spelling word list takes under ("w", list, value_key(text))
and the citations of each text the article facet is made of under ("a", value_key(text)) (indexer.index.valuekeys:
a short text is its own key, a long one a hash of it), and the facet itself under ("a", the keys of those texts). A
rebuild looks each value up and analyses only what is not there; after a changed title only the title is analysed
again. The file is sealed with a key of everything that decides what analysis makes of a value: the code and data
of the analysis package, the word list, Whoosh and Python (wordmemo.analysis_key) and the code of this package (the
schema, the postings' encoding). A missing, damaged or foreign file is ignored and the document analysed again, so
the index is the same either way (tests compare them).
Files are written in place without fsync: the seal's checksum finds a torn one, which costs only speed.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import time
from collections import Counter
from pathlib import Path

from ..analysis import citation_tally
from . import internals, wordmemo
from .entries import Kept
from .plan import ARTICLE_SOURCES, add_articles
from .segments import Run
from .valuekeys import forget, value_key
from .wordmemo import seal, unseal

log = logging.getLogger("kennisbank.build")

FOLDER = "analysed-cache"  # inside the index folder, beside the extraction cache, shared by all generations
MAGIC = b"kennisbank-analysed 2\n"  # 2: not compressed (1: zlib)
# Marshalled, as the word memo, not compressed. Pickle wrote 100 synthetic documents' files in 0.073 s against
# marshal's 0.128 s, but a warm rebuild of the 71 bench PDFs from pickled files spent 15% more CPU writing the index
# (marshal interns the terms it reads, so every term table lookup found its key by identity). zlib at level 1 kept
# a third of the bytes (1.7 of 5.4 MB for the 71 PDFs) for 51 ms more writing them and 23 ms more reading.
INDEX_CODE = Path(__file__).parent


def cache_key() -> bytes:
    """Return the key the files are sealed with: equal keys, equal analysis of equal values."""
    return _cache_key(wordmemo.ANALYSIS_DIR, INDEX_CODE)


@functools.lru_cache(maxsize=4)
def _cache_key(analysis_dir: Path, index_code: Path) -> bytes:
    h = hashlib.sha256(wordmemo.analysis_key(analysis_dir))
    for path in sorted(index_code.glob("*.py")):
        h.update(f"\n{path.name}\n".encode())
        h.update(path.read_bytes())
    return h.digest()


class AnalysedCache:
    """What analysis made of documents, a file per document and index, in one folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.hits = 0  # documents written from what was kept (counted by the process that started the writers)
        self.ready = False  # the folder was made (by this process)

    @classmethod
    def of_index(cls, index_dir: Path) -> AnalysedCache:
        """Return the cache of an index folder."""
        return cls(Path(index_dir) / FOLDER)

    def path(self, name: str, doc_id: str) -> Path:
        return self.folder / f"{name}.{hashlib.sha256(doc_id.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}"

    def get(self, name: str, doc_id: str) -> dict | None:
        """Return what analysis made of a document in one index, or None when nothing usable is kept."""
        path = self.path(name, doc_id)
        try:
            found = unseal(path.read_bytes(), MAGIC, cache_key())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, TypeError) as exc:
            log.debug("analysed document %s not used (%s): analysed again", path, exc)
            return None
        return found if isinstance(found, dict) else None

    def put(self, name: str, doc_id: str, found: dict) -> None:
        """Keep what analysis made of a document; a failure costs only speed (logged at debug).

        Written in place, not through a renamed temporary file: one process writes a document's file in a build
        (under the build lock), and a torn file fails its checksum. Creating and renaming a temporary file took
        a third of the time the files cost a first build of 300 synthetic documents."""
        path = self.path(name, doc_id)
        try:
            if not self.ready:
                self.folder.mkdir(mode=0o700, exist_ok=True)
                self.ready = True
            path.write_bytes(seal(found, MAGIC, cache_key()))
        except (OSError, ValueError) as exc:  # ValueError: a value marshal cannot write
            log.debug("analysed document %s not kept (%s)", path, exc)
            with contextlib.suppress(OSError):
                path.unlink()

    def knows(self, docs: dict) -> bool:
        """Tell whether something is kept, by this code, of every planned document (indexer.index.plan's
        PlannedDocument) in one of its indexes: a rebuild of those analyses next to nothing."""
        head = MAGIC + cache_key()

        def current(path: Path) -> bool:
            try:
                with path.open("rb") as fh:
                    return fh.read(len(head)) == head
            except OSError:
                return False
        return all(any(current(self.path(name, doc_id)) for name in doc.targets) for doc_id, doc in docs.items())

    def prune(self, keep: set[tuple[str, str]]) -> int:
        """Remove the files of documents not in `keep` ((index name, document id) pairs) and anything else in
        the folder; return how many went."""
        names = {self.path(name, doc_id).name for name, doc_id in keep}
        removed = 0
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self.folder):
                if entry.name not in names:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                        removed += 1
        return removed


def write_run(part: str, schema, run: Run, name: str, cache: AnalysedCache | None, cpu: Counter, *,
              limitmb: int, fast: bool = True, pause=None, ready: dict[int, list] | None = None):
    """Write a run's documents as one segment of index `name` (internals.write_segment); return it and how many
    documents `cache` knew. What analysis makes of each document is kept there for the next build as soon as the
    document is written (reading and writing the files adds to cpu["cache"])."""
    started = time.process_time()
    docs = run.docs
    known = [cache.get(name, doc_id) if cache is not None else None for doc_id, _digest in run.keys]
    made = [{} if cache is not None else None for _doc in docs]
    cpu["cache"] += time.process_time() - started

    def finished(d: int) -> None:
        have, into = known[d], made[d]
        # Kept again only where something was analysed anew or is no longer used (a changed title's old key).
        if into and (have is None or into.keys() != have.keys()):
            cache.put(name, run.keys[d][0], into)
        known[d] = bool(have)  # let go of both: the writer has what it needs of them
        into.clear()
    kept = Kept(docs, known, made, finished) if cache is not None else None
    try:
        with_articles(docs, cpu, ready, known, made)
        segment = internals.write_segment(part, schema, [e for doc in docs for e in doc], limitmb, pause=pause,
                                          fast=fast, cpu=cpu, kept=kept)
    finally:
        forget()
    if kept is not None:  # written while the entries were fed: its seconds are not analysis
        cpu["analysis"] -= kept.seconds
        cpu["cache"] += kept.seconds
    return segment, sum(1 for have in known if have)


def with_articles(docs: list[list[dict]], cpu: Counter, ready: dict[int, list] | None = None,
                  known: list | None = None, made: list | None = None) -> None:
    """Give each document entry its article facet (plan.add_articles) where its segment is written, adding the
    CPU seconds to cpu["articles"]: in the parent before the workers started it took 1.7 s of a 52 s build of
    5,000 synthetic documents on one core while the other waited. `ready` holds the citation tallies of entries
    done already (both indexes may share an entry); `known` and `made` hold a dict per document (write_run), where
    each text's tally is found and kept under ("a", its value key): after a changed title only the title is read
    again (the content took 37 ms of a one-record update of the bench PDFs)."""
    started = time.process_time()
    ready = {} if ready is None else ready
    for n, doc in enumerate(docs):
        first = doc[0] if doc else None
        if first is None or first.get("kind") != "doc":
            continue
        into = made[n] if made is not None else None
        keys = [value_key(first.get(name) or "") for name in ARTICLE_SOURCES]
        facet = ("a", *keys)  # the facet itself: merging the tallies took 50 ms of a warm build of the bench PDFs
        tallies = ready.get(id(first))
        if tallies is None:
            have = (known[n] if known is not None else None) or {}
            tallies = [have.get(("a", key)) for key in keys]
            if facet in have and None not in tallies:
                if have[facet]:
                    first["article"] = have[facet]
            else:
                tallies = [tally if tally is not None else citation_tally(first.get(name) or "")
                           for tally, name in zip(tallies, ARTICLE_SOURCES)]
                add_articles(first, tallies)
            ready[id(first)] = tallies
        if into is not None:
            into[facet] = first.get("article")
            into.update((("a", key), tally) for key, tally in zip(keys, tallies))
    cpu["articles"] += time.process_time() - started
