"""The index commands: build, update, check, stats, rollback, and search from the terminal."""
from __future__ import annotations

import html
import json
import re
import sys

import click

from ..corpus import CatalogueError
from ..extract.pdfium import page_counts
from ..index import store
from ..index.access import published_members_pdfs
from ..index.build import build_index
from ..index.check import check_corpus, index_stats
from ..index.update import update_index
from ..search import QueryError, QueryService, SearchRequest, results_to_dict
from .common import EXIT_SKIPPED, DutchError, corpus_option, folder, index_option, json_option, os_reason, plural
from .report import echo_report, page_list

PDFS, PAGES = "PDF's", "pagina's"
verbose_option = click.option("--verbose", is_flag=True,
                              help="Noem elk bestand en document: niet in de catalogus, met OCR gelezen, gewijzigd.")
wait_option = click.option("--wait", type=float, default=0.0, show_default=True,
                           help="Seconden wachten als een andere build bezig is.")


@click.command()
@corpus_option
@index_option
@click.option("--if-needed", is_flag=True, help="Alleen bouwen als corpus of programmaversie veranderd is.")
@wait_option
@json_option
@verbose_option
def build(corpus, index_dir, if_needed, wait, as_json, verbose):
    """Bouw de index uit de catalogus en de PDF's en schakel erop over.

    De draaiende app blijft de oude index gebruiken tot de nieuwe af is.
    Afsluitcode: 0 = gebouwd, 3 = gebouwd maar PDF's overgeslagen, 1 = mislukt.

    Voorbeeld:

        kennisbank build --if-needed
    """
    _run_build(build_index, corpus, index_dir, as_json, verbose, if_needed=if_needed, lock_timeout=wait)


@click.command()
@corpus_option
@index_option
@wait_option
@json_option
@verbose_option
def update(corpus, index_dir, wait, as_json, verbose):
    """Verwerk alleen wat veranderd is (toegevoegde, gewijzigde of verwijderde documenten) in een nieuwe generatie.

    Alleen gewijzigde PDF's worden opnieuw gelezen; de huidige generatie blijft onaangeroerd in gebruik tot de
    overstap. Zonder index, of na een programma-update die het indexformaat verandert, is dit een volledige
    build. Afsluitcode als bij build.

    Voorbeeld:

        kennisbank update
    """
    _run_build(update_index, corpus, index_dir, as_json, verbose, lock_timeout=wait)


def _run_build(function, corpus, index_dir, as_json, verbose, **options):
    """Run build_index or update_index with a progress bar, turning domain errors into Dutch messages."""
    corpus, index_dir = folder(corpus, "CORPUS_DIR"), folder(index_dir, "INDEX_DIR")
    bar = None

    weights: dict[str, int] = {}

    def on_start(paths):
        nonlocal bar
        # Only the PDFs about to be read: an update that reads none shows no bar (and opens no PDF to count pages).
        if paths and not as_json:
            # The estimate weighs pages, not files: one 300-page report takes as long as a hundred letters.
            weights.update(page_counts(paths))
            length = sum(max(1, weights.get(path.name, 1)) for path in paths)
            bar = click.progressbar(length=length, label="PDF's uitlezen (voortgang in pagina's)", file=sys.stderr,
                                    show_pos=True, item_show_func=lambda x: x)
            bar.__enter__()

    def progress(name):
        if bar:
            bar.update(max(1, weights.get(name, 1)), name)

    try:
        report = function(corpus, index_dir, progress=progress, on_start=on_start, **options)
    except CatalogueError as exc:
        raise DutchError("de catalogus is niet in orde; de bestaande index blijft in gebruik.\n"
                         + "\n".join(f"  - {p}" for p in exc.problems))
    except store.BuildLocked as exc:
        raise DutchError(str(exc))
    except OSError as exc:
        # The index folder, not exc.filename: copying a full disk's error may name the (intact) source file.
        raise DutchError(f"bouwen mislukt: {os_reason(exc)} (indexmap {index_dir}); "
                         "de bestaande index blijft in gebruik.")
    finally:
        if bar:
            bar.__exit__(None, None, None)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    elif report.unchanged:
        click.echo(f"Index is actueel ({plural(report.documents, 'document', 'documenten')}, "
                   f"generatie {report.generation}); niets te doen.")
    else:
        echo_report(report, verbose=verbose)
    if report.skipped and not report.unchanged:
        sys.exit(EXIT_SKIPPED)


@click.command()
@click.argument("query", nargs=-1, required=True)
@corpus_option
@index_option
@click.option("--members", is_flag=True, help="Zoek ook in documenten die alleen voor leden zijn.")
@click.option("--page", type=int, default=1, show_default=True, help="Resultaatpagina.")
@click.option("--per-page", type=int, default=10, show_default=True, help="Resultaten per pagina.")
@click.option("--json", "as_json", is_flag=True, help="Schrijf dezelfde structuur als /api/search.")
def search(query, corpus, index_dir, members, page, per_page, as_json):
    """Doorzoek de index vanaf de terminal.

    Voorbeeld:

        kennisbank search internetverbod --json
    """
    service = QueryService(folder(corpus, "CORPUS_DIR"))
    try:
        gen = store.current_generation(folder(index_dir, "INDEX_DIR"))
        ix = store.open_index(gen, "all" if members else "public")
    except store.IndexMissing as exc:
        raise DutchError(f"{exc}. Bouw eerst de index: kennisbank build")
    with ix.searcher() as searcher:
        try:
            results = service.search(searcher, SearchRequest(q=" ".join(query), page=page, per_page=per_page))
        except QueryError as exc:
            raise DutchError(str(exc))
    if as_json:
        click.echo(json.dumps(results_to_dict(results), indent=2, ensure_ascii=False))
        return
    click.echo(f"{plural(results.total, 'resultaat', 'resultaten')} voor '{results.request.q}' "
               f"({results.took_ms:.0f} ms)")
    for notice in results.notices:
        click.echo(notice)
    for n, hit in enumerate(results.hits, start=(page - 1) * per_page + 1):
        d = hit.document
        click.echo(f"\n{n}. {d.title}  [{d.id}]")
        facts = [d.author, d.date, d.doctype, f"score {hit.score:.2f}"]
        click.echo("   " + " · ".join(f for f in facts if f))
        if hit.pages:
            click.echo("   pagina's: " + ", ".join(f"p. {p.page}" for p in hit.pages))
        click.echo("   " + _plain(hit.snippet))


def _plain(snippet: str) -> str:
    return " ".join(html.unescape(re.sub(r"</?mark>", "*", snippet)).split())


@click.command()
@corpus_option
def check(corpus):
    """Controleer de catalogus en de PDF's zonder te bouwen.

    Noemt PDF's die in geen catalogusrecord staan (die worden ook geïndexeerd) en PDF's die onleesbaar zijn.

    Voorbeeld:

        kennisbank check
    """
    try:
        result = check_corpus(folder(corpus, "CORPUS_DIR"))
    except CatalogueError as exc:
        raise DutchError("de catalogus is niet in orde:\n" + "\n".join(f"  - {p}" for p in exc.problems))
    click.echo(f"Catalogus in orde: {plural(result.records, 'document', 'documenten')}, "
               f"{plural(result.pdfs, 'PDF', PDFS)}.")
    for name in result.unlisted:
        click.echo(f"  niet in de catalogus (wordt toch geïndexeerd): {name}")
    for name, reason in result.unreadable:
        click.echo(f"  onleesbaar: {name}: {reason}", err=True)
    if result.unreadable:
        sys.exit(EXIT_SKIPPED)


@click.command()
@index_option
@json_option
def stats(index_dir, as_json):
    """Beschrijf de index: generaties, documenten, pagina's, grootte, bouwtijd en overgeslagen bestanden.

    Voorbeeld:

        kennisbank stats
    """
    try:
        info = index_stats(folder(index_dir, "INDEX_DIR"))
    except store.IndexMissing as exc:
        raise DutchError(f"{exc}. Bouw eerst de index: kennisbank build")
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    r = info["report"]
    click.echo(f"Huidige generatie: {info['generation']} (gebouwd {info['built_at']}, {r['seconds']} s)")
    click.echo(f"Documenten: {r['documents']} ({r['public_documents']} openbaar), PDF's: {r['pdfs']}, "
               f"pagina's: {r['pages']}")
    for name, size in info["sizes"].items():
        tables = info["score_tables"][name]
        stored = (f", scoretabellen van {tables['words']} veelvoorkomende woorden ({tables['bytes'] / 1024:.0f} KiB)"
                  if tables["words"] else "")
        click.echo(f"Index '{name}': {size / 1024:.0f} KiB{stored}")
    ocr = r.get("ocr") or {}
    if ocr:
        click.echo(f"Met OCR gelezen: {plural(r.get('ocr_pages', 0), 'pagina', PAGES)} in "
                   f"{plural(len(ocr), 'PDF', PDFS)}:")
        for name, pages in sorted(ocr.items()):
            click.echo(f"  {name}: {page_list(pages)}")
    unlisted = [name for name in r.get("unlisted", []) if name not in {s["file"] for s in r["skipped"]}]
    if unlisted:
        click.echo(f"Niet in de catalogus: {plural(len(unlisted), 'PDF', PDFS)} "
                   "(kennisbank catalogus voorstel stelt records voor)")
    for s in r["skipped"]:
        click.echo(f"Overgeslagen: {s['file']}: {s['reason']}")
    kept = info["kept"]
    if any(kept.values()):
        # What a rebuild reads instead of doing again; deleting it is safe, but then the next build does that work.
        click.echo(f"Bewaard voor de volgende build: tekst van de PDF's {kept['text'] / 1024:.0f} KiB, analyse van "
                   f"{plural(kept['analysis_files'], 'document', 'documenten')} {kept['analysis'] / 1024:.0f} KiB, "
                   f"geanalyseerde woorden {kept['words'] / 1024:.0f} KiB")
    click.echo("Generaties (nieuwste onderaan):")
    for g in info["generations"]:
        mark = "*" if g["current"] else " "
        how = {"update": "bijgewerkt", "build": "gebouwd"}.get(g["mode"], g["mode"] or "gebouwd")
        click.echo(f" {mark} {g['name']}  {how} {g['built_at'] or '?'} in {g['seconds']} s, "
                   f"{g['documents']} documenten, {g['size'] / 1024:.0f} KiB")


@click.command()
@index_option
def rollback(index_dir):
    """Schakel terug naar de vorige indexgeneratie.

    Voorbeeld:

        kennisbank rollback
    """
    index_dir = folder(index_dir, "INDEX_DIR")
    try:
        with store.build_lock(index_dir):
            gen = store.rollback(index_dir, refuse=_publishes_members_pdfs)
    except (store.IndexMissing, store.BuildLocked) as exc:
        raise DutchError(str(exc))
    click.echo(f"Teruggezet naar generatie {gen.name}.")


def _publishes_members_pdfs(gen) -> str | None:
    """Say why a generation must not serve again: it publishes a copy of a members-only PDF."""
    leaked = published_members_pdfs(gen)
    if not leaked:
        return None
    return (f"generatie {gen.name} maakt {plural(len(leaked), 'PDF', PDFS)} openbaar met dezelfde inhoud als "
            f"een PDF alleen voor leden ({', '.join(leaked[:5])}); terugzetten geweigerd. Verwijder zulke "
            "generaties met: kennisbank prune")


@click.command()
@index_option
@click.option("--keep", type=click.IntRange(min=1), default=store.KEEP_GENERATIONS, show_default=True,
              help="Hoeveel van de nieuwste generaties blijven staan (de huidige altijd).")
def prune(index_dir, keep):
    """Verwijder oude indexgeneraties en afgebroken builds.

    Voorbeeld:

        kennisbank prune --keep 1
    """
    index_dir = folder(index_dir, "INDEX_DIR")
    try:
        with store.build_lock(index_dir):
            removed = [name for name in store.cleanup(index_dir, keep) if name.startswith(store.GEN_PREFIX)]
    except store.BuildLocked as exc:
        raise DutchError(str(exc))
    click.echo(f"{plural(len(removed), 'generatie', 'generaties')} verwijderd."
               + (f" ({', '.join(removed)})" if removed else ""))
