"""Read and validate corpus/catalogue.yaml into Record objects, with errors that name file, line and field."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

CATALOGUE_FILE = "catalogue.yaml"
PDF_DIR = "pdf"
REQUIRED = ("id", "title", "summary", "date")
KNOWN_FIELDS = frozenset(
    "id title title_derived summary date author doctype section pages pdf source_url access language vervangt "
    "former_ids".split()
)
ACCESS_VALUES = ("public", "members")
LANGUAGES = ("nl", "en")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser where PyYAML was built with it
    """SafeLoader that keeps dates as text, so a bad date becomes our message, not a crash in PyYAML."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class CatalogueError(ValueError):
    """The catalogue cannot be used; the message names the file, line and field (in Dutch)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Record:
    """One document of the knowledge base, as the catalogue (or a PDF's own metadata) describes it."""

    id: str
    title: str
    summary: str = ""
    date: dt.date | None = None
    author: str = ""
    doctype: str = ""
    section: str = ""
    pages: int | None = None
    pdf: str | None = None
    source_url: str | None = None
    access: str = "public"
    language: str = "nl"
    title_derived: bool = False
    order: int = 0
    in_catalogue: bool = True
    replaces: tuple[str, ...] = ()  # `vervangt:` the ids of older documents this one replaces
    superseded_by: str = ""         # the id of the newer document that replaces this one
    # For values read from the document itself (no record): (field, source) pairs, sources as in indexer.derive.
    derived: tuple[tuple[str, str], ...] = ()
    former_ids: tuple[str, ...] = ()  # old ids whose URLs keep answering (a permanent redirect)


@dataclass
class Catalogue:
    """The theme metadata plus all records, in listing order."""

    theme: dict = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    path: Path | None = None
    unlisted_access: str = "members"  # access of PDFs no record names (indexer.index.access)


def load_catalogue(corpus_dir: str | Path) -> Catalogue:
    """Load the catalogue of a corpus folder, raising CatalogueError listing every problem found."""
    path = Path(corpus_dir) / CATALOGUE_FILE
    if not path.is_file():
        raise CatalogueError([f"{path}: catalogusbestand ontbreekt"])
    text = path.read_text(encoding="utf-8")
    try:
        root_node, data = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        where = f", regel {mark.line + 1}" if mark else ""
        if context and mark and context.line != mark.line:
            where += f" (begonnen op regel {context.line + 1})"
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError([f"{path}{where}: YAML-syntaxfout: {problem}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise CatalogueError([f"{path}, regel 1: de catalogus moet een lijst 'documents' bevatten"])

    doc_nodes = _value_node(root_node, "documents").value
    pdf_dir = Path(corpus_dir) / PDF_DIR
    problems: list[str] = []
    records: list[Record] = []
    seen: dict[str, int] = {}
    lines: dict[str, str] = {}  # id -> where its `vervangt` stands, for messages
    for order, (raw, node) in enumerate(zip(data["documents"], doc_nodes)):
        line = node.start_mark.line + 1

        def where(fieldname: str | None = None) -> str:
            key_line = _key_line(node, fieldname) if fieldname else None
            return f"{path}, regel {key_line or line}" + (f", veld '{fieldname}'" if fieldname else "")

        if not isinstance(raw, dict):
            problems.append(f"{where()}: een document moet velden hebben (id, title, summary, date)")
            continue
        for name in sorted(set(raw) - KNOWN_FIELDS):
            problems.append(f"{where(name)}: onbekend veld")
        missing = [f for f in REQUIRED if raw.get(f) in (None, "")]
        for name in missing:
            problems.append(f"{where()}, veld '{name}': verplicht veld ontbreekt")
        if missing:
            continue
        doc_id = str(raw["id"])
        if not ID_RE.match(doc_id):
            problems.append(f"{where('id')}: '{doc_id}' is geen geldige id (kleine letters, cijfers en '-')")
        if doc_id in seen:
            problems.append(f"{where('id')}: id '{doc_id}' komt al voor op regel {seen[doc_id]}")
        seen.setdefault(doc_id, line)
        date = _parse_date(raw["date"])
        if date is None:
            problems.append(f"{where('date')}: ongeldige datum '{raw['date']}' (verwacht JJJJ-MM-DD)")
        pages = raw.get("pages")
        if pages is not None and (not isinstance(pages, int) or isinstance(pages, bool) or pages < 1):
            problems.append(f"{where('pages')}: '{pages}' is geen positief aantal pagina's")
            pages = None
        access = raw.get("access") or "public"
        if access not in ACCESS_VALUES:
            problems.append(f"{where('access')}: '{access}' moet 'public' of 'members' zijn")
        language = raw.get("language") or "nl"
        if language not in LANGUAGES:
            problems.append(f"{where('language')}: taal '{language}' wordt niet ondersteund (nl of en)")
        pdf = raw.get("pdf")
        if pdf is not None:
            pdf = str(pdf)
            if Path(pdf).name != pdf or not pdf.lower().endswith(".pdf"):
                problems.append(f"{where('pdf')}: '{pdf}' moet een bestandsnaam in {pdf_dir} zijn")
            elif not (pdf_dir / pdf).is_file():
                problems.append(f"{where('pdf')}: bestand {pdf_dir / pdf} bestaat niet")
        replaces = raw.get("vervangt") or []
        replaces = [replaces] if isinstance(replaces, str) else replaces
        if not isinstance(replaces, list) or not all(isinstance(r, str) for r in replaces):
            problems.append(f"{where('vervangt')}: geef de id van het vervangen document, of een lijst van ids")
            replaces = []
        former = raw.get("former_ids") or []
        former = [former] if isinstance(former, str) else former
        if not isinstance(former, list) or not all(isinstance(f, str) and ID_RE.match(f) for f in former):
            problems.append(f"{where('former_ids')}: verwacht een lijst van eerdere id's (kleine letters, cijfers en '-')")
            former = []
        records.append(Record(
            id=doc_id, title=str(raw["title"]).strip(), summary=str(raw["summary"]).strip(), date=date,
            author=str(raw.get("author") or ""), doctype=str(raw.get("doctype") or ""),
            section=str(raw.get("section") or ""), pages=pages, pdf=pdf,
            source_url=raw.get("source_url"), access=access, language=language,
            title_derived=bool(raw.get("title_derived", False)), order=order, replaces=tuple(replaces),
            former_ids=tuple(former),
        ))
        lines[doc_id] = where("vervangt")
    records = link_replacements(records, lines, problems)
    unlisted = data.get("unlisted_access") or "members"
    if unlisted not in ACCESS_VALUES:
        line = _key_line(root_node, "unlisted_access") or 1
        problems.append(f"{path}, regel {line}, veld 'unlisted_access': '{unlisted}' moet 'public' of 'members' zijn")
    if problems:
        raise CatalogueError(problems)
    theme = data.get("theme") or {}
    return Catalogue(theme=theme if isinstance(theme, dict) else {}, records=records, path=path,
                     unlisted_access=unlisted)


def link_replacements(records: list[Record], where: dict[str, str], problems: list[str]) -> list[Record]:
    """Mark each replaced record with its successor; report unknown ids, double successors and cycles (Dutch)."""
    by_id = {r.id: r for r in records}
    successor: dict[str, str] = {}
    for r in records:
        for old in r.replaces:
            if old not in by_id or old == r.id:
                problems.append(f"{where[r.id]}: '{old}' is geen ander document in de catalogus")
            elif old in successor:
                problems.append(f"{where[r.id]}: '{old}' wordt al vervangen door '{successor[old]}'")
            else:
                successor[old] = r.id
    for start in successor:
        chain, current = [start], successor[start]
        while current in successor and current not in chain:
            chain.append(current)
            current = successor[current]
        if current in chain:
            problems.append(f"{where[start]}: vervangen in een kring: {' -> '.join(chain + [current])}")
            break
    return [replace(r, superseded_by=successor[r.id]) if r.id in successor else r for r in records]


def unlisted_pdfs(corpus_dir: str | Path, catalogue: Catalogue) -> list[Path]:
    """Return the PDFs in corpus/pdf that no catalogue record names, sorted by name."""
    named = {r.pdf for r in catalogue.records if r.pdf}
    pdf_dir = Path(corpus_dir) / PDF_DIR
    if not pdf_dir.is_dir():
        return []
    # The name first: a stat of every catalogued PDF took 1 ms of an update, twice.
    return sorted(p for p in pdf_dir.iterdir()
                  if p.name not in named and p.suffix.lower() == ".pdf" and p.is_file())


def _parse(text: str):
    """Return the YAML's root node (for line numbers) and its data, parsed once."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def slug(text: str) -> str:
    """Make a stable id from a file name: lowercase ASCII letters, digits and dashes."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "document"


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _value_node(mapping_node, key: str):
    for k, v in mapping_node.value:
        if k.value == key:
            return v
    raise KeyError(key)


def _key_line(mapping_node, key: str) -> int | None:
    if not isinstance(mapping_node, yaml.MappingNode):
        return None
    for k, _ in mapping_node.value:
        if k.value == key:
            return k.start_mark.line + 1
    return None
