"""Draft catalogue records for PDFs without one, with the metadata read from the documents filled in."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import settings
from ..corpus import Catalogue, load_catalogue, unlisted_pdfs
from ..derive import SOURCES
from ..extract import CACHE_DIRNAME, ExtractedPDF, ExtractOptions, extract_many
from .plan import unlisted_records

FIELDS = ("id", "title", "summary", "date", "author", "doctype", "section", "pdf", "access")
REQUIRED_HINT = {"date": "niet gevonden: vul de datum in (JJJJ-MM-DD)", "summary": "niet gevonden: schrijf een samenvatting"}


@dataclass
class Proposal:
    """Draft records as YAML text, and the PDFs that could not be read (name, reason)."""

    text: str
    count: int
    unreadable: list[tuple[str, str]]


def propose(corpus_dir: str | Path, index_dir: str | Path | None = None) -> Proposal:
    """Read every PDF without a record (from the extraction cache where a build left it) and draft its record."""
    catalogue = load_catalogue(corpus_dir)
    paths = unlisted_pdfs(corpus_dir, catalogue)
    cache = Path(index_dir) / CACHE_DIRNAME if index_dir else None
    extracted = extract_many(paths, ExtractOptions.from_settings(settings.from_env()), cache_dir=cache, prune=False)
    records = unlisted_records(paths, extracted, catalogue)
    unreadable = [(p.name, str(r)) for p, r in extracted.items() if not isinstance(r, ExtractedPDF)]
    return Proposal(draft_yaml(records, catalogue), len(records), unreadable)


def draft_yaml(records, catalogue: Catalogue) -> str:
    """Return records as a YAML list for catalogue.yaml, each derived value followed by where it came from."""
    out = ["# Voorstel voor catalogusrecords, afgeleid uit de PDF's zelf. Controleer elk veld, pas aan waar nodig",
           "# en voeg de records toe onder 'documents:' in catalogue.yaml. De id's zijn die van de documenten nu,",
           "# dus bestaande links blijven werken.", ""]
    for record in records:
        sources = dict(record.derived)
        values = {"id": record.id, "title": record.title, "summary": record.summary,
                  "date": record.date.isoformat() if record.date else None, "author": record.author,
                  "doctype": record.doctype, "section": record.section, "pdf": record.pdf, "access": "public"}
        first = True
        for name in FIELDS:
            value = values[name]
            if value in ("", None) and name not in REQUIRED_HINT:
                continue
            line = yaml.safe_dump({name: value}, allow_unicode=True, width=10_000, sort_keys=False).strip()
            if value in ("", None):
                line = f"{name}:"
            comment = (REQUIRED_HINT[name] if value in ("", None) else
                       f"uit {SOURCES[sources[name]]}" if name in sources else
                       "controleer: 'members' als alleen leden het mogen zien" if name == "access" else "")
            prefix = "- " if first else "  "
            out.append(f"{prefix}{line}" + (f"  # {comment}" if comment else ""))
            first = False
        out.append("")
    return "\n".join(out)
