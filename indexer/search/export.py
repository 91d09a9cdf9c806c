"""Export and cite: documents as CSV, RIS and BibTeX, and a ready-to-copy APA-like citation (Flask-free)."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from .model import Document

FORMATS = {  # format -> (media type, file extension)
    "csv": ("text/csv; charset=utf-8", "csv"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
}
CSV_COLUMNS = ("id", "titel", "auteur", "datum", "documenttype", "rubriek", "pagina", "url", "pdf", "samenvatting")
# RIS reference types by document type; anything else is a generic government document.
RIS_TYPES = {"rapport": "RPRT", "onderzoeksrapport": "RPRT", "handboek": "BOOK", "handreiking": "RPRT",
             "beleidsstuk": "GOVDOC", "brief": "PCOMM", "besluit": "GOVDOC", "artikel": "JOUR"}
BIB_TYPES = {"rapport": "techreport", "onderzoeksrapport": "techreport", "handreiking": "techreport",
             "handboek": "book", "artikel": "article"}
PUBLISHER = "Kennisbank Zoeken"


@dataclass(frozen=True)
class Citable:
    """A document to export or cite: with its stable URL, its PDF's URL and, where known, the page meant."""

    document: Document
    url: str
    pdf_url: str | None = None
    page: int | None = None

    @property
    def page_url(self) -> str | None:
        """Return the PDF opened at the page, or the PDF, or None."""
        if self.pdf_url and self.page:
            return f"{self.pdf_url}#page={self.page}"
        return self.pdf_url


def citation(item: Citable) -> str:
    """Return an APA-like citation: Author (year). Title (p. N). Kennisbank Zoeken. URL"""
    doc = item.document
    author = doc.author or "Onbekende auteur"
    year = doc.year or "z.j."
    where = f" (p. {item.page})" if item.page else ""
    return f"{author} ({year}). {doc.title.rstrip('.')}{where}. {PUBLISHER}. {item.url}"


def to_csv(items: list[Citable]) -> str:
    """Return the items as CSV (UTF-8 with a byte order mark, so spreadsheet programs show accents right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        d = item.document
        writer.writerow([_cell(v) for v in (d.id, d.title, d.author, d.date, d.doctype, d.section,
                                            item.page or "", item.url, item.page_url or "", d.summary)])
    return "\ufeff" + out.getvalue()


def _cell(value) -> str:
    # A cell starting with = + - @ (or a tab or return) is a formula to a spreadsheet program: make it text.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_ris(items: list[Citable]) -> str:
    """Return the items as RIS records (the format reference managers such as Zotero and EndNote import)."""
    lines = []
    for item in items:
        d = item.document
        lines.append(f"TY  - {RIS_TYPES.get(d.doctype.lower(), 'GEN')}")
        lines.append(f"TI  - {_line(d.title)}")
        if d.author:
            lines.append(f"AU  - {_line(d.author)}")
        if d.date:
            lines.append(f"PY  - {d.date[:4]}")
            lines.append(f"DA  - {d.date.replace('-', '/')}")
        if d.doctype:
            lines.append(f"M3  - {_line(d.doctype)}")
        if item.page:
            lines.append(f"SP  - {item.page}")
        lines.append(f"PB  - {PUBLISHER}")
        lines.append(f"UR  - {item.url}")
        if item.page_url:
            lines.append(f"L1  - {item.page_url}")
        if d.summary:
            lines.append(f"AB  - {_line(d.summary)}")
        lines.append(f"ID  - {d.id}")
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


def _line(text: str) -> str:
    # A RIS value is one line: a line break would start a new (bogus) tag.
    return " ".join(str(text).split())


def to_bibtex(items: list[Citable]) -> str:
    """Return the items as BibTeX entries (an organisation as author is kept whole by double braces)."""
    entries, keys = [], set()
    for item in items:
        d = item.document
        key = _bib_key(d, keys)
        fields = [("title", "{" + _bib(d.title) + "}")]
        if d.author:
            fields.append(("author", "{" + _bib(d.author) + "}"))
        if d.date:
            fields.append(("year", d.date[:4]))
            if len(d.date) >= 7:
                fields.append(("month", str(int(d.date[5:7]))))
        kind = BIB_TYPES.get(d.doctype.lower(), "misc")
        fields.append(("institution" if kind == "techreport" else "publisher", _bib(d.author or PUBLISHER)))
        if d.doctype:
            fields.append(("type", _bib(d.doctype)))
        if item.page:
            fields.append(("pages", str(item.page)))
        fields.append(("url", item.page_url if item.page and item.page_url else item.url))
        fields.append(("note", _bib(f"{PUBLISHER}, {item.url}")))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib(text: str) -> str:
    """Escape text for a BibTeX value (braces and TeX's special characters; accents stay UTF-8)."""
    return "".join(_BIB_SPECIAL.get(c, c) for c in " ".join(str(text).split()))


def _bib_key(doc: Document, taken: set[str]) -> str:
    ascii_id = unicodedata.normalize("NFKD", doc.id).encode("ascii", "ignore").decode()
    key = re.sub(r"[^A-Za-z0-9]+", "", ascii_id.title()) or "document"
    key = f"{key}{doc.year}" if doc.year else key
    unique, n = key, 2
    while unique in taken:
        unique, n = f"{key}{chr(ord('a') + n - 2)}", n + 1
    taken.add(unique)
    return unique


def render(items: list[Citable], fmt: str) -> str:
    """Return the items in one of FORMATS."""
    return {"csv": to_csv, "ris": to_ris, "bib": to_bibtex}[fmt](items)
