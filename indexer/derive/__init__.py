"""Metadata read from a document itself (title, date, organisation, type, summary), each with where it came from.

Used for PDFs that no catalogue record describes, and for record fields left empty; a record always wins.
Works on plain data (page texts, first-page lines with their sizes, the PDF's own metadata), not on PDFs.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .dates import document_date
from .doctypes import document_type
from .organisations import organisation
from .summaries import summary
from .titles import cover_title, file_name_title, metadata_title, subject_line

# Bump when derived values change: part of the index fingerprint (indexer/index/versions.py STAMPS).
DERIVE_VERSION = "1"

# Where a value came from, in Dutch, for the document page ("titel afgeleid uit de onderwerpregel").
SOURCES = {
    "onderwerpregel": "de onderwerpregel van de brief", "voorblad": "het voorblad",
    "pdf-metadata": "de eigenschappen van de PDF", "bestandsnaam": "de bestandsnaam",
    "datumregel": "de datum in het document", "tekst": "de tekst van het document",
    "briefhoofd": "het briefhoofd", "webadres": "het webadres in het briefhoofd",
    "postbus": "het postbusnummer in het briefhoofd", "onderwerp": "de onderwerpregel",
    "alinea": "de eerste alinea",
}


FIELD_NAMES = {"title": "titel", "date": "datum", "author": "organisatie", "doctype": "soort", "summary": "samenvatting"}


def describe_sources(sources: dict[str, str]) -> str:
    """Say in Dutch which values were read from the document itself and from where, for the document page."""
    parts = [f"{label} uit {SOURCES.get(sources[name], sources[name])}" for name, label in FIELD_NAMES.items()
             if name in sources]  # in the order the page shows them
    if not parts:
        return ""
    return ("Dit document staat niet in de catalogus; deze gegevens zijn afgeleid: " + "; ".join(parts) + ".")


@dataclass
class Derived:
    """Metadata derived from a document, and per field the source it came from (a key of SOURCES)."""

    title: str = ""
    date: dt.date | None = None
    author: str = ""
    doctype: str = ""
    summary: str = ""
    sources: dict[str, str] = field(default_factory=dict)


def derive(pages: list[str], *, cover: list[tuple[float, str]] = (), meta_title: str | None = None,
           meta_date: dt.date | None = None, file_stem: str = "", unsure_words: set[str] = frozenset()) -> Derived:
    """Derive title, date, organisation, type and summary from a document's own pages, best source first."""
    first = pages[0] if pages else ""
    # A scan's first page may be a blank or a cover sheet: read on until a page says something.
    for text in pages[:3]:
        if len(text.split()) >= 20:
            first = text
            break
    out = Derived()
    title = subject_line(first) or subject_line("\n".join(pages[:2]))
    if title:
        out.title, out.sources["title"] = title, "onderwerpregel"
    elif cover_title(list(cover)):
        out.title, out.sources["title"] = cover_title(list(cover)), "voorblad"
    elif metadata_title(meta_title):
        out.title, out.sources["title"] = meta_title.strip(), "pdf-metadata"
    else:
        out.title, out.sources["title"] = file_name_title(file_stem), "bestandsnaam"
    date, where = document_date(first, meta_date)
    if date is None and meta_date is not None:
        date, where = meta_date, "pdf-metadata"
    if date is not None:
        out.date, out.sources["date"] = date, where
    out.author, where = organisation(first)
    if out.author:
        out.sources["author"] = where
    out.doctype, where = document_type(out.title, "\n\n".join(pages[:2]))
    if out.doctype:
        out.sources["doctype"] = where
    out.summary = summary(pages, set(unsure_words))
    if out.summary:
        out.sources["summary"] = "alinea"
    return out
