"""What the query service returns: plain dataclasses, rendered by the web app, the API and the CLI."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..derive import describe_sources


@dataclass
class SearchRequest:
    """What the user asked for: query text, filters, sort and paging."""

    q: str = ""
    page: int = 1
    per_page: int = 10
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevantie"
    current_only: bool = False  # leave out documents a newer one replaces ("Alleen actuele documenten")


@dataclass
class PageHit:
    """A matching PDF page: its number, section title where known, and an HTML snippet with <mark>."""

    page: int
    snippet: str
    section: str | None = None


@dataclass
class Document:
    """A document's metadata as stored in the index."""

    id: str
    title: str
    summary: str
    date: str
    author: str
    doctype: str
    section: str
    pages: int | None
    pdf: str | None
    source_url: str | None
    title_derived: bool
    access: str
    language: str = "nl"
    superseded_by: str = ""  # the id of the newer document that replaces this one
    derived: dict = field(default_factory=dict)  # {field: source} for values read from the document itself

    @property
    def derived_note(self) -> str:
        """Say in Dutch which values were read from the document itself, and from where ("" when none)."""
        return describe_sources(self.derived)

    @property
    def year(self) -> str:
        """Return the year of the date, or an empty string."""
        return self.date[:4]


@dataclass
class Hit:
    """One result: a document, its score, a snippet and its best matching pages."""

    document: Document
    score: float
    snippet: str
    pages: list[PageHit] = field(default_factory=list)


@dataclass
class FacetValue:
    """One value of a facet with how many results have it, and whether it is selected."""

    value: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    """A facet (document type, author, year, section) with its values."""

    name: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchResults:
    """The answer to a SearchRequest."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: list[Facet]
    took_ms: float
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)
    superseded: int = 0  # results that a newer document replaces (left out with current_only)

    @property
    def page_count(self) -> int:
        """Return the number of result pages."""
        return max(1, -(-self.total // self.request.per_page))


def document_from_fields(fields: dict) -> Document:
    """Return the Document of an index entry's stored fields."""
    return Document(
        id=fields["id"], title=fields.get("title", ""), summary=fields.get("summary", ""),
        date=fields.get("date", ""), author=fields.get("author", ""), doctype=fields.get("doctype", ""),
        section=fields.get("section", ""), pages=fields.get("pages"), pdf=fields.get("pdf"),
        source_url=fields.get("source_url"), title_derived=bool(fields.get("title_derived")),
        access=fields.get("access", "public"), language=fields.get("language", "nl"),
        superseded_by=fields.get("superseded_by") or "",
        derived=dict(fields.get("derived") or {}),
    )


@dataclass
class SimilarDocument:
    """A document that resembles another one, with the words they share most."""

    document: Document
    score: float
    shared_terms: list[str] = field(default_factory=list)


@dataclass
class Suggestion:
    """One completion: a document title (kind 'titel', with its id) or a frequent word (kind 'woord')."""

    text: str
    kind: str
    doc_id: str | None = None
    count: int = 0
