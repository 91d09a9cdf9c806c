"""`kennisbank build`: write both indexes (public and all) of a corpus into a new generation and switch to it."""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable

from ..corpus import Catalogue, load_catalogue
from . import store, versions
from .pipeline import Progress, add_documents, extract_corpus, locked, step, unchanged_report, write_generation, writers
from .plan import BuildReport, manifest_for, plan_documents


def is_up_to_date(corpus_dir: str | Path, index_dir: str | Path) -> bool:
    """Tell whether the current generation was built from exactly this corpus with every stamp of this code."""
    try:
        manifest = store.read_manifest(store.current_generation(index_dir))
    except (store.IndexMissing, OSError, ValueError):
        return False
    return manifest.get("fingerprint") == versions.fingerprint(corpus_dir)


def build_index(corpus_dir: str | Path, index_dir: str | Path, *, if_needed: bool = False,
                progress: Progress | None = None, on_start: Callable[[int], None] | None = None,
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
               progress: Progress | None = None, on_start: Callable[[int], None] | None = None) -> BuildReport:
    """Extract every PDF and write both indexes from scratch into a new generation (caller holds the lock)."""
    print_ = versions.fingerprint(corpus_dir)  # before reading, so a corpus changed meanwhile is rebuilt next time
    with step("cleanup") as info:
        info["removed"] = len(store.cleanup(index_dir))
    extracted, hashes, read = extract_corpus(corpus_dir, index_dir, catalogue, progress=progress,
                                             on_start=on_start, prune=True)
    plan = plan_documents(corpus_dir, catalogue, extracted)
    report = plan.report
    report.extracted, report.added = read, list(plan.docs)

    def fill(build_dir: Path) -> None:
        # Without member documents both indexes hold the same entries: write "all" once and copy its files,
        # instead of analysing every page twice.
        same = all(doc.targets == ["all", "public"] and not doc.only_in for doc in plan.docs.values())
        names = ["all"] if same else list(store.INDEX_NAMES)
        with writers({name: build_dir / name for name in names}, create=True) as open_writers:
            add_documents(open_writers, plan.docs.values())
            with step("commit"):
                for w in open_writers.values():
                    w.commit()
        if same:
            shutil.copytree(build_dir / "all", build_dir / "public")

    def manifest() -> dict:
        report.seconds = round(time.monotonic() - started, 2)
        return manifest_for(print_, catalogue, plan, hashes, report)

    report.generation = write_generation(index_dir, fill, manifest, documents=len(plan.docs)).name
    return report
