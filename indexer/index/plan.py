"""What a build writes, decided before any index is touched: records, their index entries, digests, the report."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from ..analysis import citation_tally, facet_values
from ..corpus import PDF_DIR, Catalogue, Record, slug, unlisted_pdfs
from ..derive import derive
from ..extract import ExtractedPDF, ExtractionError
from ..extract.pagekind import prose_percent
from . import versions
from .access import unlisted_access
from .segments import entry_chars
from .valuekeys import LONG, value_key

UNLISTED_SECTION = "Overige documenten"
# Listing order of PDFs without a record: after every catalogued document, and the same for all of them, so that
# adding a record or a file changes no other document's index entries (ties are listed by id).
UNLISTED_ORDER = 1_000_000


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
    ocr_pages: int = 0  # pages whose text Tesseract read
    ocr: dict[str, list[int]] = field(default_factory=dict)  # PDF file name -> the page numbers read by OCR

    def to_dict(self) -> dict:
        """Return the report as plain data (for the manifest and --json)."""
        return asdict(self)


def pdf_paths(corpus_dir: Path, catalogue: Catalogue) -> list[Path]:
    """Return the PDFs a build reads: those the catalogue names, then those it does not."""
    listed = [corpus_dir / PDF_DIR / r.pdf for r in catalogue.records if r.pdf]
    return listed + unlisted_pdfs(corpus_dir, catalogue)


@dataclass
class PlannedDocument:
    """One document as it will be indexed: which indexes, its entries, and a digest of both.

    `only_in` holds fields of the document entry for one index alone: a public document replaced by a
    members-only one is marked replaced in the members' index only (the public one must not name that id).
    An update takes a document whose inputs are unchanged over from the previous manifest (indexer.index.reuse):
    its `entries` are None until a segment written anew needs them, then `load` plans it again.
    """

    targets: list[str]
    entries: list[dict] | None
    digest: str
    only_in: dict[str, dict] = field(default_factory=dict)
    inputs: str = ""  # what the entries are made of (inputs_key)
    facts: dict = field(default_factory=dict)  # what the report counts of it (see plan_record)
    chars: dict[str, int] = field(default_factory=dict)  # entry_chars per index, as they are needed
    load: Callable[[], PlannedDocument] | None = field(default=None, repr=False)

    def entries_for(self, name: str) -> list[dict]:
        """Return the entries to write into one index."""
        if self.entries is None:
            fresh = self.load()
            self.entries, self.digest = fresh.entries, fresh.digest
        extra = self.only_in.get(name)
        return [{**self.entries[0], **extra}, *self.entries[1:]] if extra else self.entries

    def chars_for(self, name: str) -> int:
        """Return how much text the document's entries in one index hold (segments.entry_chars)."""
        if name not in self.chars:
            self.chars[name] = entry_chars(self.entries_for(name))
        return self.chars[name]

    def manifest_entry(self) -> dict:
        """Return what the manifest keeps of the document: digest and targets, and what an update needs to take
        it over without reading it (indexer.index.reuse)."""
        return {"digest": self.digest, "targets": self.targets, "inputs": self.inputs, **self.facts,
                "chars": {name: self.chars_for(name) for name in self.targets},
                **({"only_in": self.only_in} if self.only_in else {})}


@dataclass
class Plan:
    """Everything a build writes, computed before any index is touched."""

    docs: dict[str, PlannedDocument]
    report: BuildReport


def plan_documents(corpus_dir: Path, catalogue: Catalogue, extracted, hashes: dict[Path, str],
                   reuse=None) -> Plan:
    """Turn catalogue records and extraction results into index entries per document, and the build report.

    `extracted` maps PDF paths to results (.get() is all that is asked of it), `hashes` to their SHA-256 (each
    document's inputs_key, kept in the manifest, has it). With `reuse` (an update's
    reuse.Reuse), a document whose inputs are the ones it was planned from last time is taken over from the previous
    manifest, not read nor planned; its entries are made only if a segment written anew holds it.
    """
    pdf_dir = corpus_dir / PDF_DIR
    extra = unlisted_pdfs(corpus_dir, catalogue)
    known = reuse.known if reuse else None
    unlisted = unlisted_ids(extra, extracted, catalogue, known)
    report = BuildReport(unlisted=[p.name for p in extra])
    report.skipped += [Skipped(p.name, str(extracted.get(p))) for p in extra if not (known and known(p))
                       and isinstance(extracted.get(p), ExtractionError)]
    docs: dict[str, PlannedDocument] = {}
    access = {r.id: r.access for r in [*catalogue.records, *unlisted]}
    for item in [*catalogue.records, *unlisted]:
        path = pdf_dir / item.pdf if item.pdf else None
        superseded = access.get(item.superseded_by) if item.superseded_by else None
        inputs = inputs_key(item, hashes.get(path) if path else None, superseded)

        def fresh(item=item, path=path, superseded=superseded, inputs=inputs, skipped=None) -> PlannedDocument:
            result = extracted.get(path) if path else None
            failed = isinstance(result, ExtractionError)
            if failed:
                if skipped is not None:
                    skipped.append(Skipped(item.pdf, str(result)))
                result = None
            # (A PDF without a record fails here only when its cached text was lost and reading it failed now:
            # described by its name until the next update, which skips it as a full build does.)
            record = describe(item, result) if isinstance(item, UnlistedPDF) else item
            return plan_record(record, result, superseded, inputs, failed)
        doc = (reuse.document(item.id, inputs, fresh) if reuse else None) or fresh(skipped=report.skipped)
        docs[item.id] = doc
        facts = doc.facts
        if facts["pdf"]:
            report.pdfs += 1
            report.pages += facts["pages"]
            if facts["ocr"]:
                report.ocr[facts["pdf"]] = facts["ocr"]
                report.ocr_pages += len(facts["ocr"])
        report.documents += 1
        report.public_documents += "public" in doc.targets
    return Plan(docs, report)


def inputs_key(item: Record | UnlistedPDF, sha: str | None, superseded_access: str | None) -> str:
    """Hash what one document's entries are made of besides code and settings (the manifest's stamps): its record,
    or for a PDF without one its id and access (its record is made from its text); its PDF's bytes; and whether
    the document replacing it is public (PlannedDocument.only_in). indexer.index.reuse compares them."""
    described = {"unlisted": True, "id": item.id, "pdf": item.pdf, "access": item.access} \
        if isinstance(item, UnlistedPDF) else vars(item)
    return hashlib.sha256(json.dumps([described, sha, superseded_access], sort_keys=True, default=str).encode()
                          ).hexdigest()


# What the report counts of a document, kept in the manifest for an update to take it over (plan_record).
FACTS = ("pdf", "pages", "ocr", "unread", "failed")


def plan_record(record: Record, result: ExtractedPDF | None, superseded_access: str | None, inputs: str = "",
                failed: bool = False) -> PlannedDocument:
    """Plan one document from its record, its PDF's text (None without one, or when it could not be read:
    `failed`) and the access of the document that replaces it, if any."""
    only_in = {}
    if record.superseded_by and record.access == "public" and superseded_access != "public":
        only_in = {"all": {"superseded_by": record.superseded_by}}
        record = replace(record, superseded_by="")
    entries = list(document_entries(record, result))
    targets = ["all"] + (["public"] if record.access == "public" else [])
    # What the report counts, and whether reading the PDF again could give more (reuse.Reuse takes over only
    # documents for which it could not): a failed read, or scanned pages left without text.
    facts = dict(zip(FACTS, (record.pdf if result else "", len(result.pages) if result else 0,
                             [page.number for page in result.pages if page.ocr] if result else [],
                             bool(result and result.needs_ocr), failed)))
    return PlannedDocument(targets, entries, entries_digest(targets, entries, only_in), only_in, inputs, facts)


def entries_digest(targets: list[str], entries: list[dict], only_in: dict) -> str:
    """Return a document's digest: equal for equal targets and entries, with each long text by its value key.

    A long text (a page's, the content) is hashed by valuekeys.value_key, which remembers the key: the writer keys
    the same texts to find their analysis (indexer.index.analysed), in the worker processes that inherit the keys.
    As JSON the texts took 19 of the 28 ms planning the 71 bench PDFs (each escaped to ASCII, then hashed).
    """
    def keyed(entry: dict) -> dict:
        return {name: {"blake2b": value_key(value).hex()} if type(value) is str and len(value) >= LONG else value
                for name, value in entry.items()}
    text = json.dumps([targets, [keyed(e) for e in entries], only_in], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def manifest_for(print_: str, catalogue: Catalogue, plan: Plan, hashes: dict[Path, str],
                 report: BuildReport) -> dict:
    """Return the manifest of a new generation: versions, fingerprint, report and per-document digests."""
    return {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "fingerprint": print_, "stamps": versions.stamps(), "theme": catalogue.theme, "report": report.to_dict(),
        "documents": {doc_id: d.manifest_entry() for doc_id, d in plan.docs.items()},
        "pdfs": {p.name: sha for p, sha in hashes.items()},
    }


def document_entries(record: Record, pdf: ExtractedPDF | None):
    """Yield the index entries of one document: its 'doc' entry, then one entry per PDF page with text."""
    pages = pdf.pages if pdf else []
    content = "\n\n".join(p.text for p in pages)
    english = record.language == "en"
    yield dict(
        uid=f"doc:{record.id}", kind="doc", id=record.id, title=record.title, summary=record.summary, content=content,
        **(dict(title_en=record.title, summary_en=record.summary, content_en=content) if english else {}),
        date=record.date.isoformat() if record.date else "", year=str(record.date.year) if record.date else "",
        day=record.date.isoformat() if record.date else "",
        author=record.author, doctype=record.doctype, section=record.section,
        author_text=record.author, doctype_text=record.doctype, access=record.access, language=record.language,
        pages=record.pages or (len(pages) or None), pdf=record.pdf if pdf else None,
        source_url=record.source_url, title_derived=record.title_derived, order=record.order,
        # Only replaced documents get the field: an empty ID would index an empty term on every document.
        **({"superseded_by": record.superseded_by} if record.superseded_by else {}),
        derived=dict(record.derived), aliases=" ".join(former_ids(record)),
    )
    for page in pages:
        if page.text:
            yield dict(uid=f"page:{record.id}:{page.number}", kind="page", id=record.id, page=page.number,
                       page_text=page.text, page_section=page.section, ocr=page.ocr,
                       page_prose=page.prose if page.prose is not None else prose_percent(page.text),
                       **(dict(page_text_en=page.text) if english else {}),
                       access=record.access, language=record.language)


ARTICLE_SOURCES = ("title", "summary", "content")  # the texts of a document entry its article facet is made of


def add_articles(entry: dict, tallies: list | None = None) -> None:
    """Give a document entry its facet field of legal citations, unless it cites none (no empty term); `tallies`
    are its ARTICLE_SOURCES' citation_tally where they are at hand (indexer.index.analysed keeps them).

    Added only to the entries a build writes: the citations are a function of the title, summary and content the
    digest covers already, and an update that keeps most segments need not look for them in every document.
    """
    if tallies is None:
        tallies = [citation_tally(entry.get(name) or "") for name in ARTICLE_SOURCES]
    values = facet_values(tallies)
    if values:
        entry["article"] = ",".join(values)


def former_ids(record: Record) -> list[str]:
    """Ids a document answered to before: those its record lists, and the id its PDF had without a record."""
    ids = set(record.former_ids)
    if record.pdf and record.in_catalogue:
        ids.add(slug(Path(record.pdf).stem))
    return sorted(ids - {record.id})


@dataclass
class UnlistedPDF:
    """A PDF without a record, before its record is made from its text (describe): its id and access are known."""

    path: Path
    id: str
    access: str
    superseded_by: str = ""

    @property
    def pdf(self) -> str:
        return self.path.name


def unlisted_ids(paths: list[Path], extracted, catalogue: Catalogue,
                 known: Callable[[Path], bool] | None = None) -> list[UnlistedPDF]:
    """Give each PDF without a record that has text an id (its file name's, numbered past any taken) and its
    access; `known` PDFs are taken to have text without asking `extracted` (an update's, read before)."""
    taken = {r.id for r in catalogue.records}
    found = []
    for path in paths:
        if not (known and known(path)) and not isinstance(extracted.get(path), ExtractedPDF):
            continue  # reported as skipped by the build; without text there is nothing to describe
        doc_id = base = slug(path.stem)
        i = 2
        while doc_id in taken:
            doc_id, i = f"{base}-{i}", i + 1
        taken.add(doc_id)
        found.append(UnlistedPDF(path, doc_id, unlisted_access(path, catalogue)))
    return found


def describe(pdf: UnlistedPDF, result: ExtractedPDF | None) -> Record:
    """Describe a PDF that no record names from the document itself (indexer.derive), noting each source."""
    result = result or ExtractedPDF(pages=[])
    found = derive([p.text for p in result.pages], cover=[tuple(c) for c in result.cover],
                   meta_title=result.title, meta_date=result.date, file_stem=pdf.path.stem)
    return Record(
        id=pdf.id, title=found.title, summary=found.summary, date=found.date, author=found.author,
        doctype=found.doctype, section=UNLISTED_SECTION, pdf=pdf.pdf, pages=len(result.pages),
        order=UNLISTED_ORDER, in_catalogue=False, derived=tuple(sorted(found.sources.items())), access=pdf.access,
    )


def unlisted_records(paths: list[Path], extracted: dict, catalogue: Catalogue) -> list[Record]:
    """Describe the PDFs that no record names and that have text, from the documents themselves."""
    return [describe(pdf, extracted[pdf.path]) for pdf in unlisted_ids(paths, extracted, catalogue)]
