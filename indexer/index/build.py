"""`kennisbank build`: write both indexes (public and all) of a corpus into a new generation and switch to it."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Callable

from ..corpus import Catalogue, load_catalogue
from . import store
from .analysed import AnalysedCache
from .parallel import Task, index_jobs, link_index, update_pieces, write_indexes
from .pipeline import (Progress, extract_corpus, fingerprint_with_cache, locked, step, unchanged_report,
                       write_generation)
from .plan import BuildReport, PlannedDocument, manifest_for, plan_documents
from .segments import full_runs, layout, update_runs
from .valuekeys import forget
from .wordmemo import WordMemo


def is_up_to_date(corpus_dir: str | Path, index_dir: str | Path) -> bool:
    """Tell whether the current generation was built from exactly this corpus with every stamp of this code."""
    try:
        manifest = store.read_manifest(store.current_generation(index_dir))
    except (store.IndexMissing, OSError, ValueError):
        return False
    return manifest.get("fingerprint") == fingerprint_with_cache(Path(corpus_dir), Path(index_dir))[0]


def build_index(corpus_dir: str | Path, index_dir: str | Path, *, if_needed: bool = False,
                progress: Progress | None = None, on_start: Callable[[list[Path]], None] | None = None,
                lock_timeout: float = 0.0) -> BuildReport:
    """Build a new generation from the corpus and switch to it; the old one serves until the switch."""
    started = time.monotonic()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    catalogue = load_catalogue(corpus_dir)  # raises CatalogueError before anything is touched
    with locked(index_dir, lock_timeout):
        if if_needed and is_up_to_date(corpus_dir, index_dir):
            return unchanged_report(index_dir, started)
        return full_build(corpus_dir, index_dir, catalogue, started, progress=progress, on_start=on_start)


def full_build(corpus_dir: Path, index_dir: Path, catalogue: Catalogue, started: float, *,
               progress: Progress | None = None, on_start: Callable[[list[Path]], None] | None = None) -> BuildReport:
    """Extract every PDF and write both indexes from scratch into a new generation (caller holds the lock)."""
    # The fingerprint before reading, so a corpus changed meanwhile is rebuilt next time.
    print_, cache = fingerprint_with_cache(corpus_dir, index_dir)
    with step("cleanup") as info:
        info["removed"] = len(store.cleanup(index_dir))
    extracted, hashes = extract_corpus(corpus_dir, index_dir, catalogue, progress=progress, on_start=on_start,
                                       prune=True, cache=cache)
    with step("plan") as info:
        plan = plan_documents(corpus_dir, catalogue, extracted, hashes)
        info["planned"] = len(plan.docs)
    report = plan.report
    report.extracted, report.added = len(extracted) - cache.hits, list(plan.docs)

    layouts: dict = {}
    analysed = AnalysedCache.of_index(index_dir)  # what earlier builds made of each document
    # and the words they analysed (ignored where analysis changed since), unless every document was analysed
    # before: then reading the file took 10 ms of a 0.57 s rebuild of the 71 bench PDFs for no word looked up.
    memo = WordMemo.unread(index_dir) if analysed.knows(plan.docs) else WordMemo.load(index_dir)

    def manifest() -> dict:
        report.seconds = round(time.monotonic() - started, 2)
        return {**manifest_for(print_, catalogue, plan, hashes, report), "segments": layouts}

    report.generation = write_generation(index_dir, lambda build_dir: layouts.update(
        write_documents(build_dir, plan.docs, memo=memo, cache=analysed)), manifest, documents=len(plan.docs)).name
    memo.save()  # only after the switch: a failed build leaves the previous memo
    keep_analysed(analysed, plan.docs)
    return report


def keep_analysed(cache: AnalysedCache, docs: dict[str, PlannedDocument]) -> None:
    """Drop the kept analysis of every document the new generation does not hold (indexer.index.analysed)."""
    cache.prune({(name, doc_id) for doc_id, doc in docs.items() for name in doc.targets})


def write_documents(build_dir: Path, docs: dict[str, PlannedDocument], jobs: int | None = None,
                    previous: tuple[Path, dict] | None = None, memo: WordMemo | None = None,
                    cache: AnalysedCache | None = None) -> dict[str, list[dict]]:
    """Write both indexes (public and all) of these planned documents, in their order, into a build folder.

    Each index is a few segments of contiguous documents (indexer.index.segments), written by `jobs` worker
    processes at most (default KENNISBANK_INDEX_JOBS; 0 = every core) and never merged. With `previous`, a
    generation and its manifest's segment layouts, the segments whose documents are unchanged are linked from
    it and only the others written. The analyzers start from `memo`'s words and add those they meet to it;
    documents analysed before are taken from `cache` (indexer.index.analysed), and the others' analysis kept there.
    Returns the layouts for the new manifest ({} where one plain writer wrote).
    """
    jobs = index_jobs() if jobs is None else jobs
    old_gen, old_layouts = previous or (None, {})
    # Without member documents both indexes hold the same entries: write "all" once and link its files,
    # instead of analysing every page twice.
    same = all(doc.targets == ["all", "public"] and not doc.only_in for doc in docs.values())
    names = ["all"] if same else list(store.INDEX_NAMES)
    tasks = []
    # One step for analysing and committing: with worker processes the two are no longer apart.
    with step("commit") as info:
        for name in names:
            chosen = [(doc_id, doc) for doc_id, doc in docs.items() if name in doc.targets]
            keys = [(doc_id, doc.digest) for doc_id, doc in chosen]
            old = old_layouts.get(name) if old_gen is not None and (old_gen / name).is_dir() else None
            if old is not None:
                # Entries only of documents in segments written anew: an update takes the others over unread
                # (PlannedDocument.load, indexer.index.reuse).
                runs = update_runs(keys, [doc for _doc_id, doc in chosen], old, pieces=update_pieces(jobs),
                                   sizes=[doc.chars_for(name) for _doc_id, doc in chosen])
                for run in runs:
                    run.docs = [doc.entries_for(name) for doc in run.docs] if run.keep is None else []
                    run.keys = [(doc_id, docs[doc_id].digest) for doc_id, _digest in run.keys]
            else:
                runs = full_runs(keys, [doc.entries_for(name) for _doc_id, doc in chosen])
            tasks.append(Task(build_dir / name, runs, old_gen / name if old is not None else None))
        cpu = Counter()
        try:
            ids, info["processes"] = write_indexes(tasks, jobs, memo, cpu, cache)
        finally:
            forget()  # the texts' keys, remembered since planning (plan.entries_digest) for the writers to reuse
        info["segments"] = sum(len(task.runs) for task in tasks)
        info["written"] = sum(len(task.new) for task in tasks)
        if cache is not None:  # documents written from their kept analysis (indexer.index.analysed)
            info["remembered"] = cache.hits
        # CPU seconds over every process that wrote a segment: the article facet, analysing and gathering the
        # entries, and writing Whoosh's files (what a build costs even when every word's analysis is remembered).
        # In milliseconds: a build of a few PDFs analysed them in under 5 ms, which two decimals logged as 0.00.
        info.update({f"{kind}_cpu": f"{seconds:.3f}" for kind, seconds in sorted(cpu.items())})
    layouts = {name: layout(task.runs, segment_ids) for name, task, segment_ids in zip(names, tasks, ids)
               if segment_ids or not task.runs}
    if same:
        link_index(build_dir / "all", build_dir / "public")
        if "all" in layouts:
            layouts["public"] = layouts["all"]
    return layouts
