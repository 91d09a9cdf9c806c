"""The maintainer's report after build and update: counts first, the file-by-file details only on request."""
from __future__ import annotations

from collections import Counter

import click

from .common import plural

PDFS, PAGES = "PDF's", "pagina's"
SHOWN_SKIPPED = 10  # skipped files are named by default (each needs action), up to this many


def echo_report(report, *, verbose: bool) -> None:
    """Print a short, true summary of a build or update; with verbose every file and document it concerns."""
    verb = "bijgewerkt" if report.mode == "update" else "gebouwd"
    ocr = f", waarvan {report.ocr_pages} met OCR gelezen" if report.ocr_pages else ""
    click.echo(f"Index {verb}: {plural(report.documents, 'document', 'documenten')} "
               f"({report.public_documents} openbaar), {plural(report.pdfs, 'PDF', PDFS)}, "
               f"{plural(report.pages, 'pagina', PAGES)}{ocr} in {report.seconds:.1f} s -> {report.generation}")
    if report.mode == "update":
        click.echo(f"  toegevoegd: {len(report.added)}, vervangen: {len(report.replaced)}, "
                   f"verwijderd: {len(report.removed)}; {plural(report.extracted, 'PDF', PDFS)} opnieuw gelezen")
    skipped = {s.file for s in report.skipped}
    unlisted = [name for name in report.unlisted if name not in skipped]  # a skipped file is not indexed
    if unlisted:
        click.echo(f"  niet in de catalogus, toch geïndexeerd: {plural(len(unlisted), 'PDF', PDFS)} "
                   "(records voorstellen: kennisbank catalogus voorstel)")
    if report.skipped:
        reasons = Counter(s.reason.split(" (")[0] for s in report.skipped)
        click.echo(f"  overgeslagen: {plural(len(report.skipped), 'PDF', PDFS)} ("
                   + "; ".join(f"{n} × {reason}" for reason, n in reasons.most_common()) + ")", err=True)
    if verbose:
        for label, ids in (("toegevoegd", report.added), ("vervangen", report.replaced),
                           ("verwijderd", report.removed)):
            for doc_id in ids:
                click.echo(f"  {label}: {doc_id}")
        for name in unlisted:
            click.echo(f"  niet in de catalogus: {name}")
        for name, pages in sorted(report.ocr.items()):
            click.echo(f"  met OCR gelezen: {name}: {page_list(pages)}")
    shown = report.skipped if verbose else report.skipped[:SHOWN_SKIPPED]
    for s in shown:
        click.echo(f"  overgeslagen: {s.file}: {s.reason}", err=True)
    if len(shown) < len(report.skipped):
        click.echo(f"  … en nog {len(report.skipped) - len(shown)} (--verbose noemt ze allemaal)", err=True)
    if not verbose and (unlisted or report.ocr or report.added or report.replaced or report.removed):
        click.echo("  Details per bestand en document: --verbose (of kennisbank stats).")


def page_list(pages: list[int]) -> str:
    """Return page numbers as ranges: "p. 1-3, 7"."""
    ranges, start = [], None
    for i, n in enumerate(pages):
        if start is None:
            start = n
        if i + 1 == len(pages) or pages[i + 1] != n + 1:
            ranges.append(f"{start}-{n}" if n != start else str(n))
            start = None
    return "p. " + ", ".join(ranges)
