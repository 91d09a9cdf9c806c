"""`kennisbank update`: apply only what changed in the corpus to a copy of the current generation, then switch."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from ..corpus import load_catalogue
from . import store, versions
from .analysed import AnalysedCache
from .build import full_build, keep_analysed, write_documents
from .pipeline import (Progress, extract_corpus, fingerprint_with_cache, locked, step, unchanged_report,
                       write_generation)
from .plan import BuildReport, manifest_for, plan_documents
from .reuse import Reuse
from .wordmemo import WordMemo


def update_index(corpus_dir: str | Path, index_dir: str | Path, *, progress: Progress | None = None,
                 on_start: Callable[[list[Path]], None] | None = None, lock_timeout: float = 0.0) -> BuildReport:
    """Apply what changed (added, replaced, removed documents) in a new generation; the old one is untouched.

    Only new or changed PDFs are read (the rest come from the extraction cache), and only the index segments
    that hold a changed document are written; the others are linked from the current generation, whose files
    are never changed. The result is the index a full build writes.

    Falls back to a full build when there is no index yet, or it was written in another index format
    (indexer.index.versions: schema, analysis, its data files, Whoosh).
    """
    started = time.monotonic()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    catalogue = load_catalogue(corpus_dir)  # raises CatalogueError before anything is touched
    with locked(index_dir, lock_timeout):
        try:
            gen = store.current_generation(index_dir)
            manifest = store.read_manifest(gen)
            for name in store.INDEX_NAMES:
                store.open_index(gen, name)  # a damaged generation is rebuilt from scratch, not copied
        except store.IndexMissing:
            gen, manifest = None, {}
        if not (versions.same_format(manifest) and isinstance(manifest.get("documents"), dict)):
            with step("update", fallback="full-build"):
                pass
            return full_build(corpus_dir, index_dir, catalogue, started, progress=progress, on_start=on_start)
        # PDFs whose stat is unchanged are not read to hash them (indexer.files.DigestMemo), here nor below.
        print_, cache = fingerprint_with_cache(corpus_dir, index_dir)
        cache.memo.save()
        if manifest.get("fingerprint") == print_:
            return unchanged_report(index_dir, started)
        with step("cleanup") as info:
            info["removed"] = len(store.cleanup(index_dir))
        # Only PDFs that are new, changed or extracted by other code are read: the rest come from the cache, and
        # documents whose inputs are unchanged are taken over from the current generation (indexer.index.reuse).
        reuse = Reuse.of(manifest, cache.memo.sha256)
        extracted, hashes = extract_corpus(corpus_dir, index_dir, catalogue, progress=progress, on_start=on_start,
                                           prune=False, cache=cache, settled=reuse.settled if reuse else None)
        with step("plan") as info:
            plan = plan_documents(corpus_dir, catalogue, extracted, hashes, reuse)
            info["planned"] = sum(doc.entries is not None for doc in plan.docs.values())
        report = plan.report
        report.mode = "update"
        old = manifest["documents"]
        report.added = [i for i in plan.docs if i not in old]
        report.replaced = [i for i in plan.docs if i in old and old[i]["digest"] != plan.docs[i].digest]
        report.removed = [i for i in old if i not in plan.docs]

        layouts: dict = {}

        def manifest_now() -> dict:
            report.seconds = round(time.monotonic() - started, 2)
            report.extracted = len(extracted) - cache.hits  # also those a segment written anew looked up
            return {**manifest_for(print_, catalogue, plan, hashes, report), "segments": layouts}

        # Segments whose documents are all unchanged, in the same order, are linked from the current generation
        # and only the rest is written (indexer.index.segments): no deletions, so every document frequency and
        # length total, and so every score, is the one a full build gives.
        previous = (gen, manifest.get("segments") or {})
        memo = WordMemo.load(index_dir, lazy=True)  # the words earlier builds analysed (indexer.index.wordmemo)
        analysed = AnalysedCache.of_index(index_dir)  # and the documents they analysed (indexer.index.analysed)
        report.generation = write_generation(index_dir, lambda build_dir: layouts.update(write_documents(
            build_dir, plan.docs, previous=previous, memo=memo, cache=analysed)), manifest_now,
            added=len(report.added), replaced=len(report.replaced), removed=len(report.removed)).name
        memo.save()  # only after the switch: a failed update leaves the previous memo
        keep_analysed(analysed, plan.docs)
        return report
