"""Build both indexes (public and all) of a corpus into a new generation and switch to it when complete."""
from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from . import store
from .analysis import ANALYSIS_VERSION
from .catalogue import PDF_DIR, Catalogue, Record, load_catalogue, slug, unlisted_pdfs
from .extract import ExtractedPDF, ExtractionError
from .extract_cache import CACHE_DIRNAME
from .schema import SCHEMA_VERSION, build_schema
from .settings import from_env
from .workers import ExtractOptions, extract_many

UNLISTED_SECTION = "Overige documenten"


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


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_up_to_date(corpus_dir: str | Path, index_dir: str | Path) -> bool:
    """Tell whether the current generation was built from exactly this corpus and code version."""
    try:
        manifest = store.read_manifest(store.current_generation(index_dir))
    except (store.IndexMissing, OSError, ValueError):
        return False
    return manifest.get("fingerprint") == fingerprint(corpus_dir)


def extract_all(paths: list[Path], progress: Progress | None = None, *, cache_dir: Path | None = None,
                options: ExtractOptions | None = None) -> dict[Path, ExtractedPDF | ExtractionError]:
    """Extract every PDF in parallel worker processes (cached by content), collecting its pages or why it failed."""
    options = options or ExtractOptions.from_settings(from_env())
    return extract_many(paths, options, progress=progress, cache_dir=cache_dir)


def build_index(corpus_dir: str | Path, index_dir: str | Path, *, if_needed: bool = False,
                progress: Progress | None = None, on_start: Callable[[int], None] | None = None,
                lock_timeout: float = 0.0) -> BuildReport:
    """Build a new generation from the corpus and switch to it; the old one serves until the switch."""
    started = time.monotonic()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    catalogue = load_catalogue(corpus_dir)  # raises CatalogueError before anything is touched
    with store.build_lock(index_dir, timeout=lock_timeout):
        print_ = fingerprint(corpus_dir)
        if if_needed and is_up_to_date(corpus_dir, index_dir):
            gen = store.current_generation(index_dir)
            report = BuildReport(**{k: v for k, v in store.read_manifest(gen)["report"].items() if k != "skipped"})
            report.skipped = [Skipped(**s) for s in store.read_manifest(gen)["report"]["skipped"]]
            report.unchanged, report.generation, report.seconds = True, gen.name, time.monotonic() - started
            return report
        store.cleanup(index_dir)
        pdf_dir = corpus_dir / PDF_DIR
        listed = [pdf_dir / r.pdf for r in catalogue.records if r.pdf]
        extra = unlisted_pdfs(corpus_dir, catalogue)
        if on_start:
            on_start(len(listed) + len(extra))
        extracted = extract_all(listed + extra, progress, cache_dir=index_dir / CACHE_DIRNAME)
        records = list(catalogue.records) + _unlisted_records(extra, extracted, catalogue)

        report = BuildReport(unlisted=[p.name for p in extra])
        report.skipped += [Skipped(p.name, str(extracted[p])) for p in extra
                           if isinstance(extracted[p], ExtractionError)]
        build_dir = store.new_build_dir(index_dir)
        writers = {}
        for name in store.INDEX_NAMES:
            (build_dir / name).mkdir()
            writers[name] = whoosh_index.create_in(str(build_dir / name), build_schema()).writer()
        try:
            for record in records:
                result = extracted.get(pdf_dir / record.pdf) if record.pdf else None
                if isinstance(result, ExtractionError):
                    report.skipped.append(Skipped(record.pdf, str(result)))
                    result = None
                pdf_ok = result is not None
                if pdf_ok:
                    report.pdfs += 1
                    report.pages += len(result.pages)
                entries = list(document_entries(record, result if pdf_ok else None))
                targets = ["all"] + (["public"] if record.access == "public" else [])
                for name in targets:
                    for entry in entries:
                        writers[name].add_document(**entry)
                report.documents += 1
                report.public_documents += record.access == "public"
            for w in writers.values():
                w.commit()
        except BaseException:
            for w in writers.values():
                try:
                    w.cancel()
                except Exception:
                    pass
            raise
        report.seconds = round(time.monotonic() - started, 2)
        manifest = {
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "fingerprint": print_, "analysis_version": ANALYSIS_VERSION, "schema_version": SCHEMA_VERSION,
            "theme": catalogue.theme, "report": report.to_dict(),
        }
        gen = store.publish(index_dir, build_dir, manifest)
        report.generation = gen.name
        store.cleanup(index_dir)
        return report


def document_entries(record: Record, pdf: ExtractedPDF | None):
    """Yield the index entries of one document: its 'doc' entry, then one entry per PDF page with text."""
    pages = pdf.pages if pdf else []
    yield dict(
        uid=f"doc:{record.id}", kind="doc", id=record.id, title=record.title, summary=record.summary,
        content="\n\n".join(p.text for p in pages),
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
