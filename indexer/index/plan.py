"""What a build writes, decided before any index is touched: records, their index entries, digests, the report."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..corpus import PDF_DIR, Catalogue, Record, slug, unlisted_pdfs
from ..extract import ExtractedPDF, ExtractionError
from . import versions
from .access import unlisted_access

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
    mode: str = "build"  # "build" (everything from scratch) or "update" (only what changed)
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    extracted: int = 0  # PDFs read in this run (an update reuses the text of unchanged PDFs)

    def to_dict(self) -> dict:
        """Return the report as plain data (for the manifest and --json)."""
        return asdict(self)


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
        "fingerprint": print_, "stamps": versions.stamps(), "theme": catalogue.theme, "report": report.to_dict(),
        "documents": {doc_id: {"digest": d.digest, "targets": d.targets} for doc_id, d in plan.docs.items()},
        "pdfs": {p.name: sha for p, sha in hashes.items()},
    }


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
            title_derived=not result.title, access=unlisted_access(path, catalogue),
        ))
    return records
