"""`kennisbank update`: apply only what changed in the corpus to a copy of the current generation, then switch."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from . import store, textcache
from .analysis import ANALYSIS_VERSION
from .build import (BuildReport, Progress, _cancel, _pausing, add_documents, extract_all, file_sha256, fingerprint,
                    full_build, locked, manifest_for, pdf_paths, plan_documents, step, unchanged_report,
                    write_score_tables)
from .catalogue import load_catalogue
from .extract_cache import CACHE_DIRNAME
from .schema import SCHEMA_VERSION


def update_index(corpus_dir: str | Path, index_dir: str | Path, *, progress: Progress | None = None,
                 on_start: Callable[[int], None] | None = None, lock_timeout: float = 0.0) -> BuildReport:
    """Add, replace and remove only the documents that changed, in a new generation; the old one is untouched.

    Falls back to a full build when there is no index yet, or it was built by another analysis or schema version.
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
        if not _updatable(manifest):
            with step("update", fallback="full-build"):
                pass
            return full_build(corpus_dir, index_dir, catalogue, started, progress=progress, on_start=on_start)
        print_ = fingerprint(corpus_dir)
        if manifest.get("fingerprint") == print_:
            return unchanged_report(index_dir, started)
        with step("cleanup") as info:
            info["removed"] = len(store.cleanup(index_dir))

        paths = pdf_paths(corpus_dir, catalogue)
        with step("extract", pdfs=len(paths)) as info:
            hashes = {path: file_sha256(path) for path in paths}
            extracted, todo = {}, []
            for path in paths:
                cached = textcache.lookup(gen, hashes[path])
                if cached is None:
                    todo.append(path)
                else:
                    extracted[path] = cached
            if on_start:
                on_start(len(todo))
            # Only part of the corpus is read here: keep the extraction cache's entries of the unchanged PDFs.
            extracted.update(extract_all(todo, _pausing(progress), cache_dir=index_dir / CACHE_DIRNAME, prune=False))
            info.update(read=len(todo), reused=len(paths) - len(todo))
        plan = plan_documents(corpus_dir, catalogue, {p: extracted[p] for p in paths})
        report = plan.report
        report.mode, report.extracted = "update", len(todo)

        old = manifest["documents"]
        report.added = [i for i in plan.docs if i not in old]
        report.replaced = [i for i in plan.docs if i in old and old[i]["digest"] != plan.docs[i].digest]
        report.removed = [i for i in old if i not in plan.docs]

        build_dir = store.new_build_dir(index_dir)
        try:
            with step("copy", generation=gen.name, build_dir=build_dir.name):
                store.copy_generation(gen, build_dir)
            with step("write", added=len(report.added), replaced=len(report.replaced),
                      removed=len(report.removed)):
                writers = {name: whoosh_index.open_dir(str(build_dir / name)).writer() for name in store.INDEX_NAMES}
                try:
                    for doc_id in report.replaced + report.removed:
                        for w in writers.values():
                            w.delete_by_term("id", doc_id)  # the document and all its page entries
                    add_documents(writers, (plan.docs[i] for i in report.added + report.replaced))
                    with step("commit"):
                        for w in writers.values():
                            # Merging drops the deleted entries, which Whoosh otherwise still counts in document
                            # frequencies: counts and ranking stay exactly those of a full build.
                            w.commit(optimize=True)
                except BaseException:
                    _cancel(writers)
                    raise
                textcache.save(build_dir, {hashes[p]: extracted[p] for p in paths})
            with step("scores") as info:
                info["tables"] = write_score_tables(build_dir)  # the copied index changed: its own tables
            store.pause_point("commit")
            report.seconds = round(time.monotonic() - started, 2)
            with step("publish") as info:
                new = store.publish(index_dir, build_dir, manifest_for(print_, catalogue, plan, hashes, report))
                info["generation"] = new.name
        except BaseException as exc:
            store.discard(build_dir, exc)
            raise
        report.generation = new.name
        with step("cleanup") as info:
            info["removed"] = len(store.cleanup(index_dir))
        return report


def _updatable(manifest: dict) -> bool:
    """Tell whether a generation can be changed in place: same analysis and schema, per-document digests known."""
    return (manifest.get("analysis_version") == ANALYSIS_VERSION
            and manifest.get("schema_version") == SCHEMA_VERSION
            and isinstance(manifest.get("documents"), dict))
