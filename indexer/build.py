"""Build both indexes (public and all) of a corpus into a new generation and switch to it when complete."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import shutil
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from . import scoretables, store, textcache
from .analysis import ANALYSIS_VERSION
from .catalogue import PDF_DIR, Catalogue, Record, load_catalogue, slug, unlisted_pdfs
from .extract import ExtractedPDF, ExtractionError
from .extract_cache import CACHE_DIRNAME, file_sha256
from .ranking import common_word_tables
from .schema import SCHEMA_VERSION, build_schema
from .settings import from_env
from .workers import ExtractOptions, extract_many

UNLISTED_SECTION = "Overige documenten"

log = logging.getLogger("kennisbank.build")


@dataclass
class Skipped:
    """A PDF that was not indexed, and why (in Dutch)."""

    file: str
    reason: str


@dataclass
class BuildReport:
    """What a build did: counts, skipped files and time taken."""

    documents: int = 0
    public_documents: int = 0
    pages: int = 0
    pdfs: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    seconds: float = 0.0
    generation: str = ""
    unchanged: bool = False
    mode: str = "build"  # "build" (everything from scratch) or "update" (only what changed)
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    extracted: int = 0  # PDFs read in this run (an update reuses the text of unchanged PDFs)

    def to_dict(self) -> dict:
        """Return the report as plain data (for the manifest and --json)."""
        return asdict(self)


Progress = Callable[[str], None]


def fingerprint(corpus_dir: str | Path) -> str:
    """Hash the catalogue, every PDF's bytes and the analysis and schema versions."""
    corpus_dir = Path(corpus_dir)
    h = hashlib.sha256(f"analysis={ANALYSIS_VERSION};schema={SCHEMA_VERSION}\n".encode())
    catalogue = corpus_dir / "catalogue.yaml"
    h.update(catalogue.read_bytes() if catalogue.is_file() else b"")
    pdf_dir = corpus_dir / PDF_DIR
    for pdf in sorted(pdf_dir.glob("*")) if pdf_dir.is_dir() else []:
        if pdf.is_file() and pdf.suffix.lower() == ".pdf":
            h.update(f"\n{pdf.name}\n".encode())
            h.update(file_sha256(pdf).encode())
    return h.hexdigest()


def is_up_to_date(corpus_dir: str | Path, index_dir: str | Path) -> bool:
    """Tell whether the current generation was built from exactly this corpus and code version."""
    try:
        manifest = store.read_manifest(store.current_generation(index_dir))
    except (store.IndexMissing, OSError, ValueError):
        return False
    return manifest.get("fingerprint") == fingerprint(corpus_dir)


def extract_all(paths: list[Path], progress: Progress | None = None, *, cache_dir: Path | None = None,
                options: ExtractOptions | None = None, prune: bool = True) -> dict[Path, ExtractedPDF | ExtractionError]:
    """Extract every PDF in parallel worker processes (cached by content), collecting its pages or why it failed."""
    options = options or ExtractOptions.from_settings(from_env())
    return extract_many(paths, options, progress=progress, cache_dir=cache_dir, prune=prune)


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


@contextlib.contextmanager
def locked(index_dir: Path, lock_timeout: float):
    """Hold the build lock, logging how long it took to get it."""
    with contextlib.ExitStack() as stack:
        with step("lock", index=str(index_dir)):
            stack.enter_context(store.build_lock(index_dir, timeout=lock_timeout))
        yield


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


def full_build(corpus_dir: Path, index_dir: Path, catalogue: Catalogue, started: float, *,
               progress: Progress | None = None, on_start: Callable[[int], None] | None = None) -> BuildReport:
    """Extract every PDF and write both indexes from scratch into a new generation (caller holds the lock)."""
    print_ = fingerprint(corpus_dir)  # before reading, so a corpus changed meanwhile is rebuilt next time
    with step("cleanup") as info:
        info["removed"] = len(store.cleanup(index_dir))
    paths = pdf_paths(corpus_dir, catalogue)
    with step("extract", pdfs=len(paths)):
        if on_start:
            on_start(len(paths))
        extracted = extract_all(paths, _pausing(progress), cache_dir=index_dir / CACHE_DIRNAME)
        hashes = {path: file_sha256(path) for path in paths}
    plan = plan_documents(corpus_dir, catalogue, extracted)
    plan.report.extracted = len(paths)
    build_dir = store.new_build_dir(index_dir)
    try:
        with step("write", documents=len(plan.docs), build_dir=build_dir.name):
            # Without member documents both indexes hold the same entries: write "all" once and copy its files,
            # instead of analysing every page twice.
            same = all(doc.targets == ["all", "public"] for doc in plan.docs.values())
            names = ["all"] if same else list(store.INDEX_NAMES)
            writers = {}
            for name in names:
                (build_dir / name).mkdir()
                writers[name] = whoosh_index.create_in(str(build_dir / name), build_schema()).writer()
            try:
                add_documents(writers, plan.docs.values())
                with step("commit"):
                    for w in writers.values():
                        w.commit()
            except BaseException:
                _cancel(writers)
                raise
            if same:
                shutil.copytree(build_dir / "all", build_dir / "public")
            textcache.save(build_dir, {hashes[p]: r for p, r in extracted.items()})
        with step("scores") as info:
            info["tables"] = write_score_tables(build_dir)
        store.pause_point("commit")
        report = plan.report
        report.seconds = round(time.monotonic() - started, 2)
        report.added = list(plan.docs)
        with step("publish") as info:
            gen = store.publish(index_dir, build_dir, manifest_for(print_, catalogue, plan, hashes, report))
            info["generation"] = gen.name
    except BaseException as exc:
        store.discard(build_dir, exc)  # give back the disk space at once; a killed build is cleaned up next time
        raise
    report.generation = gen.name
    with step("cleanup") as info:
        info["removed"] = len(store.cleanup(index_dir))
    return report


def write_score_tables(build_dir: Path, min_postings: int = scoretables.MIN_POSTINGS) -> int:
    """Store the score tables of each index's most common words (indexer.scoretables); return how many."""
    written, keys = 0, {}
    for name in store.INDEX_NAMES:
        with whoosh_index.open_dir(str(build_dir / name)).searcher() as searcher:
            key = scoretables.segment_key(searcher.reader())
            twin = next((other for other, k in keys.items() if k == key), None)
            if twin is not None:  # a copy of the other index (no member documents): the same tables
                for suffix in (".bin", ".json"):
                    target = build_dir / scoretables.FOLDER / f"{name}{suffix}"
                    target.unlink(missing_ok=True)
                    store.link_or_copy(build_dir / scoretables.FOLDER / f"{twin}{suffix}", target)
                continue
            keys[name] = key
            written += scoretables.write(build_dir / scoretables.FOLDER, name, key, common_word_tables(
                searcher, scoretables.FIELDS, min_postings), scoretables.scoring_key(searcher))
    return written


def add_documents(writers: dict, docs) -> None:
    """Add each planned document's entries to the writers of its target indexes that are open."""
    for n, doc in enumerate(docs):
        for name in doc.targets:
            if name in writers:
                for entry in doc.entries:
                    writers[name].add_document(**entry)
        if n == 0:
            store.pause_point("writing")


def pdf_paths(corpus_dir: Path, catalogue: Catalogue) -> list[Path]:
    """Return the PDFs a build reads: those the catalogue names, then those it does not."""
    listed = [corpus_dir / PDF_DIR / r.pdf for r in catalogue.records if r.pdf]
    return listed + unlisted_pdfs(corpus_dir, catalogue)


@dataclass
class PlannedDocument:
    """One document as it will be indexed: which indexes, its entries, and a digest of both."""

    targets: list[str]
    entries: list[dict]
    digest: str


@dataclass
class Plan:
    """Everything a build writes, computed before any index is touched."""

    docs: dict[str, PlannedDocument]
    report: BuildReport


def plan_documents(corpus_dir: Path, catalogue: Catalogue, extracted: dict) -> Plan:
    """Turn catalogue records and extraction results into index entries per document, and the build report."""
    pdf_dir = corpus_dir / PDF_DIR
    extra = unlisted_pdfs(corpus_dir, catalogue)
    records = list(catalogue.records) + _unlisted_records(extra, extracted, catalogue)
    report = BuildReport(unlisted=[p.name for p in extra])
    report.skipped += [Skipped(p.name, str(extracted[p])) for p in extra
                       if isinstance(extracted[p], ExtractionError)]
    docs: dict[str, PlannedDocument] = {}
    for record in records:
        result = extracted.get(pdf_dir / record.pdf) if record.pdf else None
        if isinstance(result, ExtractionError):
            report.skipped.append(Skipped(record.pdf, str(result)))
            result = None
        if result is not None:
            report.pdfs += 1
            report.pages += len(result.pages)
        entries = list(document_entries(record, result))
        targets = ["all"] + (["public"] if record.access == "public" else [])
        digest = hashlib.sha256(json.dumps([targets, entries], sort_keys=True, default=str).encode()).hexdigest()
        docs[record.id] = PlannedDocument(targets, entries, digest)
        report.documents += 1
        report.public_documents += record.access == "public"
    return Plan(docs, report)


def manifest_for(print_: str, catalogue: Catalogue, plan: Plan, hashes: dict[Path, str],
                 report: BuildReport) -> dict:
    """Return the manifest of a new generation: versions, fingerprint, report and per-document digests."""
    return {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "fingerprint": print_, "analysis_version": ANALYSIS_VERSION,
        "schema_version": SCHEMA_VERSION, "theme": catalogue.theme, "report": report.to_dict(),
        "documents": {doc_id: {"digest": d.digest, "targets": d.targets} for doc_id, d in plan.docs.items()},
        "pdfs": {p.name: sha for p, sha in hashes.items()},
    }


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


def _cancel(writers: dict) -> None:
    for w in writers.values():
        try:
            w.cancel()
        except Exception:  # a writer that failed half-way may refuse to cancel; its folder is discarded anyway
            pass


def document_entries(record: Record, pdf: ExtractedPDF | None):
    """Yield the index entries of one document: its 'doc' entry, then one entry per PDF page with text."""
    pages = pdf.pages if pdf else []
    content = "\n\n".join(p.text for p in pages)
    english = record.language == "en"
    yield dict(
        uid=f"doc:{record.id}", kind="doc", id=record.id, title=record.title, summary=record.summary,
        content=content, spelling="\n".join((record.title, record.summary, content)),
        **(dict(title_en=record.title, summary_en=record.summary, content_en=content) if english else {}),
        date=record.date.isoformat() if record.date else "", year=str(record.date.year) if record.date else "",
        author=record.author, doctype=record.doctype, section=record.section,
        author_text=record.author, doctype_text=record.doctype, access=record.access, language=record.language,
        pages=record.pages or (len(pages) or None), pdf=record.pdf if pdf else None,
        source_url=record.source_url, title_derived=record.title_derived, order=record.order,
    )
    for page in pages:
        if page.text:
            yield dict(uid=f"page:{record.id}:{page.number}", kind="page", id=record.id, page=page.number,
                       page_text=page.text, page_section=page.section, ocr=page.ocr,
                       **(dict(page_text_en=page.text) if english else {}),
                       access=record.access, language=record.language)


def _unlisted_records(paths: list[Path], extracted: dict, catalogue: Catalogue) -> list[Record]:
    """Describe PDFs that no record names, from their own metadata or else their file name."""
    taken = {r.id for r in catalogue.records}
    records = []
    for n, path in enumerate(paths):
        result = extracted.get(path)
        if not isinstance(result, ExtractedPDF):
            continue  # reported as skipped by the build; without text there is nothing to describe
        doc_id = base = slug(path.stem)
        i = 2
        while doc_id in taken:
            doc_id, i = f"{base}-{i}", i + 1
        taken.add(doc_id)
        title = result.title or path.stem.replace("_", " ").replace("-", " ").strip()
        words = result.text.split()
        summary = " ".join(words[:60]) + (" …" if len(words) > 60 else "")
        records.append(Record(
            id=doc_id, title=title, summary=summary, date=result.date, section=UNLISTED_SECTION,
            pdf=path.name, pages=len(result.pages), order=len(catalogue.records) + n, in_catalogue=False,
            title_derived=not result.title,
        ))
    return records
