"""The steps `build` and `update` share: lock, log, extract the corpus, write a generation and publish it."""
from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import fields
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from .. import settings
from ..corpus import Catalogue
from ..extract import CACHE_DIRNAME, ExtractCache, ExtractOptions, extract_many
from ..files import link_or_copy
from . import internals, pdfstore, scoretables, store, versions
from .plan import BuildReport, Skipped, pdf_paths
from .reuse import LazyResults
from .termscores import common_word_tables

log = logging.getLogger("kennisbank.build")

Progress = Callable[[str], None]


@contextlib.contextmanager
def step(name: str, **details):
    """Log one line per build step (logger kennisbank.build): its name, details and seconds taken."""
    started = time.monotonic()
    status = "failed"
    try:
        yield details
        status = "ok"
    finally:
        text = "".join(f" {k}={v}" for k, v in details.items())
        log.info("step=%s status=%s%s seconds=%.2f", name, status, text, time.monotonic() - started)


@contextlib.contextmanager
def locked(index_dir: Path, lock_timeout: float):
    """Hold the build lock, logging how long it took to get it."""
    with contextlib.ExitStack() as stack:
        with step("lock", index=str(index_dir)):
            stack.enter_context(store.build_lock(index_dir, timeout=lock_timeout))
        yield


def unchanged_report(index_dir: Path, started: float) -> BuildReport:
    """Return the report of the current generation, marked unchanged (nothing was built)."""
    gen = store.current_generation(index_dir)
    saved = store.read_manifest(gen)["report"]
    known = {f.name for f in fields(BuildReport)}
    report = BuildReport(**{k: v for k, v in saved.items() if k in known and k != "skipped"})
    report.skipped = [Skipped(**s) for s in saved["skipped"]]
    report.unchanged, report.generation, report.seconds = True, gen.name, round(time.monotonic() - started, 2)
    log.info("step=check unchanged=true generation=%s", gen.name)
    return report


def fingerprint_with_cache(corpus_dir: Path, index_dir: Path) -> tuple[str, ExtractCache]:
    """Return the corpus's fingerprint and the index's extraction cache whose stat memo hashed its PDFs: passed on
    to extract_corpus, each PDF is hashed once (or not at all when its stat is remembered) for both."""
    cache = ExtractCache(index_dir / CACHE_DIRNAME)
    return versions.fingerprint(corpus_dir, cache.memo.sha256), cache


def extract_corpus(corpus_dir: Path, index_dir: Path, catalogue: Catalogue, *, progress: Progress | None,
                   on_start: Callable[[list[Path]], None] | None, prune: bool, cache: ExtractCache,
                   settled: Callable[[Path], bool] | None = None) -> tuple[dict, dict[Path, str]]:
    """Read every PDF of the corpus (unchanged ones from `cache`, the index's extraction cache).

    Returns the results by path and each PDF's SHA-256. With prune, cache entries of PDFs no longer in the corpus
    are dropped (a full build); `update` keeps them for a rollback. PDFs `settled` names (an update's: read in
    full before, bytes unchanged: reuse.Reuse.settled) are not read now: the results give their cached text
    when it is first asked for (reuse.LazyResults). `on_start` gets the PDFs about to be read.
    """
    paths = pdf_paths(corpus_dir, catalogue)
    todo = [path for path in paths if not settled(path)] if settled else paths
    with step("extract", pdfs=len(paths)) as info:
        if on_start:
            on_start(todo)
        options = ExtractOptions.from_settings(settings.from_env())
        extracted = extract_many(todo, options, progress=_pausing(progress), cache=cache, prune=prune)
        if settled:
            extracted = LazyResults(extracted, options, cache)
        # The bytes the extraction was keyed on: each PDF is hashed once here, not again.
        hashes = {path: cache.digests.get(path) or cache.memo.sha256(path) for path in paths}
        cache.memo.save()  # digests by stat, so the next build or update does not read unchanged PDFs to hash them
        pdfstore.keep(index_dir, hashes)  # the PDFs this generation serves, also after a rollback
        info.update(read=len(todo) - cache.hits, reused=cache.hits, unread=len(paths) - len(todo))
    return extracted, hashes


def write_generation(index_dir: Path, fill: Callable[[Path], None], manifest: Callable[[], dict],
                     **details) -> Path:
    """Let `fill` write both indexes into a new build folder, add score tables, publish it and switch to it.

    On any failure the build folder is removed at once and the current generation keeps serving.
    """
    build_dir = store.new_build_dir(index_dir)
    try:
        with step("write", build_dir=build_dir.name, **details):
            fill(build_dir)
        with step("scores") as info:
            info["tables"] = write_score_tables(build_dir)
        store.pause_point("commit")
        with step("publish") as info:
            gen = store.publish(index_dir, build_dir, manifest())
            info["generation"] = gen.name
    except BaseException as exc:
        store.discard(build_dir, exc)  # give back the disk space at once; a killed build is cleaned up next time
        raise
    with step("cleanup") as info:
        info["removed"] = len(store.cleanup(index_dir))
    return gen


def write_score_tables(build_dir: Path, min_postings: int | None = None) -> int:
    """Store the score tables of each index's words in at least min_postings entries (default
    scoretables.MIN_POSTINGS; indexer.index.scoretables); return how many."""
    min_postings = scoretables.MIN_POSTINGS if min_postings is None else min_postings
    written, keys = 0, {}
    for name in store.INDEX_NAMES:
        count = internals.entry_count(str(build_dir / name))
        if count is not None and count < min_postings:
            # No word can be in min_postings entries: no table to store, and opening the index's segments to find
            # that out took 25 ms of an update's 0.3 s on the 71 bench PDFs. Without a file, ranking computes.
            continue
        with whoosh_index.open_dir(str(build_dir / name)).searcher() as searcher:
            key = scoretables.segment_key(searcher.reader())
            twin = next((other for other, k in keys.items() if k == key), None)
            if twin is not None:  # a copy of the other index (no member documents): the same tables
                for suffix in (".bin", ".json"):
                    target = build_dir / scoretables.FOLDER / f"{name}{suffix}"
                    target.unlink(missing_ok=True)
                    link_or_copy(build_dir / scoretables.FOLDER / f"{twin}{suffix}", target)
                continue
            keys[name] = key
            written += scoretables.write(build_dir / scoretables.FOLDER, name, key, common_word_tables(
                searcher, scoretables.FIELDS, min_postings), scoretables.scoring_key(searcher))
    return written


def _pausing(progress: Progress | None) -> Progress:
    """Wrap the progress callback so a fault test can stop the build after the first PDF is read."""
    seen = []

    def wrapped(name):
        if progress:
            progress(name)
        if not seen:
            seen.append(name)
            store.pause_point("extraction")
    return wrapped
