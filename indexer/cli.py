"""The `kennisbank` command: a thin click layer over the indexer's functions."""
from __future__ import annotations

import contextlib
import errno
import json
import logging
import sys
from pathlib import Path

import click

from . import store
from .build import build_index
from .catalogue import CatalogueError
from .settings import from_env

EXIT_SKIPPED = 3


def _settings() -> dict:
    return from_env()


corpus_option = click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
                             help="Corpusmap (standaard $KENNISBANK_CORPUS of corpus/).")
index_option = click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                            help="Indexmap (standaard $KENNISBANK_INDEX of var/index/).")


def _paths(corpus, index_dir):
    s = _settings()
    return Path(corpus or s["CORPUS_DIR"]), Path(index_dir or s["INDEX_DIR"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Schrijf per bouwstap een logregel naar stderr.")
def main(verbose):
    """Kennisbank Zoeken: bouw, controleer en doorzoek de index van de kennisbank.

    Example:

        kennisbank -v build && kennisbank search internetverbod
    """
    if verbose:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s %(message)s")


wait_option = click.option("--wait", type=float, default=0.0, show_default=True,
                           help="Seconden wachten als een andere build bezig is.")
json_option = click.option("--json", "as_json", is_flag=True, help="Schrijf het verslag als JSON.")


@main.command()
@corpus_option
@index_option
@click.option("--if-needed", is_flag=True, help="Alleen bouwen als corpus of programmaversie veranderd is.")
@wait_option
@json_option
def build(corpus, index_dir, if_needed, wait, as_json):
    """Build the index from the catalogue and PDFs, then switch to it.

    The running app keeps serving the old index until the new one is complete.
    Exit status: 0 = built, 3 = built but some PDFs were skipped, 1 = failed.

    Example:

        kennisbank build --if-needed
    """
    _run_build(build_index, corpus, index_dir, as_json, if_needed=if_needed, lock_timeout=wait)


@main.command()
@corpus_option
@index_option
@wait_option
@json_option
def update(corpus, index_dir, wait, as_json):
    """Apply only what changed (added, changed or removed documents and PDFs) in a new generation.

    Only changed PDFs are read again; the current generation keeps serving, untouched, until the switch.
    Without an index, or after a program update that changes the index format, this is a full build.
    Exit status as for build.

    Example:

        kennisbank update
    """
    from .update import update_index

    _run_build(update_index, corpus, index_dir, as_json, lock_timeout=wait)


def _run_build(function, corpus, index_dir, as_json, **options):
    """Run build_index or update_index with a progress bar, turning domain errors into Dutch messages."""
    corpus, index_dir = _paths(corpus, index_dir)
    bar = None

    def on_start(total):
        nonlocal bar
        if total and not as_json:
            bar = click.progressbar(length=total, label="PDF's uitlezen", file=sys.stderr,
                                    show_pos=True, item_show_func=lambda x: x)
            bar.__enter__()

    def progress(name):
        if bar:
            bar.update(1, name)

    try:
        report = function(corpus, index_dir, progress=progress, on_start=on_start, **options)
    except CatalogueError as exc:
        raise click.ClickException("de catalogus is niet in orde; de bestaande index blijft in gebruik.\n"
                                   + "\n".join(f"  - {p}" for p in exc.problems))
    except store.BuildLocked as exc:
        raise click.ClickException(str(exc))
    except OSError as exc:
        # The index folder, not exc.filename: copying a full disk's error may name the (intact) source file.
        raise click.ClickException(f"bouwen mislukt: {os_reason(exc)} (indexmap {index_dir}); "
                                   "de bestaande index blijft in gebruik.")
    finally:
        if bar:
            bar.__exit__(None, None, None)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    elif report.unchanged:
        click.echo(f"Index is actueel ({report.documents} documenten, generatie {report.generation}); niets te doen.")
    else:
        verb = "bijgewerkt" if report.mode == "update" else "gebouwd"
        click.echo(f"Index {verb}: {report.documents} documenten ({report.public_documents} openbaar), "
                   f"{report.pdfs} PDF's, {report.pages} pagina's in {report.seconds:.1f} s "
                   f"-> {report.generation}")
        if report.mode == "update":
            click.echo(f"  toegevoegd: {len(report.added)}, vervangen: {len(report.replaced)}, "
                       f"verwijderd: {len(report.removed)}; {report.extracted} PDF's opnieuw gelezen")
            for label, ids in (("toegevoegd", report.added), ("vervangen", report.replaced),
                               ("verwijderd", report.removed)):
                for doc_id in ids:
                    click.echo(f"  {label}: {doc_id}")
        for name in report.unlisted:
            click.echo(f"  niet in de catalogus, toch geïndexeerd: {name}")
        for s in report.skipped:
            click.echo(f"  overgeslagen: {s.file}: {s.reason}", err=True)
    if report.skipped and not report.unchanged:
        sys.exit(EXIT_SKIPPED)


OS_REASONS = {
    errno.ENOSPC: "de schijf is vol", errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EACCES: "geen schrijfrechten op de indexmap", errno.EPERM: "geen schrijfrechten op de indexmap",
    errno.EROFS: "de indexmap staat op een alleen-lezen bestandssysteem",
    errno.EFBIG: "een bestand wordt te groot voor het bestandssysteem",
    errno.ENOTDIR: "een deel van het pad is geen map",
}


def os_reason(exc: OSError) -> str:
    """Return a Dutch reason for an operating-system error (full disk, no write permission, ...)."""
    return OS_REASONS.get(exc.errno, exc.strerror or str(exc))


@main.command()
@click.argument("query", nargs=-1, required=True)
@index_option
@click.option("--members", is_flag=True, help="Zoek ook in documenten die alleen voor leden zijn.")
@click.option("--page", type=int, default=1, show_default=True, help="Resultaatpagina.")
@click.option("--per-page", type=int, default=10, show_default=True, help="Resultaten per pagina.")
@click.option("--json", "as_json", is_flag=True, help="Schrijf dezelfde structuur als /api/search.")
def search(query, index_dir, members, page, per_page, as_json):
    """Search the index from the terminal.

    Example:

        kennisbank search internetverbod --json
    """
    from .search import QueryError, SearchRequest, search as run_search
    from .serialize import results_to_dict

    _, index_dir = _paths(None, index_dir)
    try:
        gen = store.current_generation(index_dir)
        ix = store.open_index(gen, "all" if members else "public")
    except store.IndexMissing as exc:
        raise click.ClickException(f"{exc}. Bouw eerst de index: kennisbank build")
    with ix.searcher() as searcher:
        try:
            results = run_search(searcher, SearchRequest(q=" ".join(query), page=page, per_page=per_page))
        except QueryError as exc:
            raise click.ClickException(str(exc))
    if as_json:
        click.echo(json.dumps(results_to_dict(results), indent=2, ensure_ascii=False))
        return
    click.echo(f"{results.total} resultaten voor '{results.request.q}' ({results.took_ms:.0f} ms)")
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


def _plain(html: str) -> str:
    import html as html_mod
    import re
    return " ".join(html_mod.unescape(re.sub(r"</?mark>", "*", html)).split())


@main.command()
@corpus_option
def check(corpus):
    """Validate the catalogue and the PDFs without building.

    Lists PDFs that no catalogue record names (they are indexed too) and PDFs that cannot be read.

    Example:

        kennisbank check
    """
    from .check import check_corpus

    corpus, _ = _paths(corpus, None)
    try:
        result = check_corpus(corpus)
    except CatalogueError as exc:
        raise click.ClickException("de catalogus is niet in orde:\n" + "\n".join(f"  - {p}" for p in exc.problems))
    click.echo(f"Catalogus in orde: {result.records} documenten, {result.pdfs} PDF's.")
    for name in result.unlisted:
        click.echo(f"  niet in de catalogus (wordt toch geïndexeerd): {name}")
    for name, reason in result.unreadable:
        click.echo(f"  onleesbaar: {name}: {reason}", err=True)
    if result.unreadable:
        sys.exit(EXIT_SKIPPED)


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Schrijf de gegevens als JSON.")
def stats(index_dir, as_json):
    """Describe the index: generations, documents, pages, sizes, build time and skipped files.

    Example:

        kennisbank stats
    """
    from .check import index_stats

    _, index_dir = _paths(None, index_dir)
    try:
        info = index_stats(index_dir)
    except store.IndexMissing as exc:
        raise click.ClickException(f"{exc}. Bouw eerst de index: kennisbank build")
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
    for s in r["skipped"]:
        click.echo(f"Overgeslagen: {s['file']}: {s['reason']}")
    click.echo("Generaties (nieuwste onderaan):")
    for g in info["generations"]:
        mark = "*" if g["current"] else " "
        how = {"update": "bijgewerkt", "build": "gebouwd"}.get(g["mode"], g["mode"] or "gebouwd")
        click.echo(f" {mark} {g['name']}  {how} {g['built_at'] or '?'} in {g['seconds']} s, "
                   f"{g['documents']} documenten, {g['size'] / 1024:.0f} KiB")


@main.command()
@index_option
def rollback(index_dir):
    """Switch back to the previous index generation.

    Example:

        kennisbank rollback
    """
    _, index_dir = _paths(None, index_dir)
    try:
        with store.build_lock(index_dir):
            gen = store.rollback(index_dir)
    except (store.IndexMissing, store.BuildLocked) as exc:
        raise click.ClickException(str(exc))
    click.echo(f"Teruggezet naar generatie {gen.name}.")


# ---------------------------------------------------------------- member accounts

instance_option = click.option("--instance", "instance_dir", type=click.Path(file_okay=False, path_type=Path),
                               default=None, help="Instancemap (standaard $KENNISBANK_INSTANCE of instance/).")


def _user_store(instance_dir):
    from .users import UserStore
    return UserStore(instance_dir or _settings()["INSTANCE_DIR"])


@contextlib.contextmanager
def _user_errors():
    """Turn the user store's Dutch errors into click errors at the CLI's edge."""
    from .users import UserError
    try:
        yield
    except UserError as exc:
        raise click.ClickException(str(exc)) from None


def _read_password() -> str:
    """Ask twice on a terminal; otherwise take the first line of standard input (never an argument)."""
    if sys.stdin.isatty():
        return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
    return sys.stdin.readline().rstrip("\r\n")


@main.group()
def users():
    """Manage member accounts (stored with a slow salted hash in the instance folder).

    Members who log in also see documents with `access: members`.

    Example:

        kennisbank users add jan
    """


@users.command("add")
@click.argument("name")
@instance_option
def users_add(name, instance_dir):
    """Add a member; the password comes from a prompt or standard input.

    Example:

    \b
        kennisbank users add jan
        printf '%s\\n' "$WACHTWOORD" | kennisbank users add jan
    """
    with _user_errors():
        user = _user_store(instance_dir).add(name, _read_password())
    click.echo(f"Gebruiker '{user.name}' toegevoegd.")


@users.command("passwd")
@click.argument("name")
@instance_option
def users_passwd(name, instance_dir):
    """Set a new password for a member; sessions with the old one end.

    Example:

        kennisbank users passwd jan
    """
    with _user_errors():
        user = _user_store(instance_dir).set_password(name, _read_password())
    click.echo(f"Wachtwoord van '{user.name}' gewijzigd; bestaande sessies zijn beëindigd.")


@users.command("remove")
@click.argument("name")
@instance_option
def users_remove(name, instance_dir):
    """Remove a member; their sessions end at the next request.

    Example:

        kennisbank users remove jan
    """
    with _user_errors():
        _user_store(instance_dir).remove(name)
    click.echo(f"Gebruiker '{name.strip().lower()}' verwijderd.")


@users.command("list")
@instance_option
def users_list(instance_dir):
    """List the members with when they were added and last changed.

    Example:

        kennisbank users list
    """
    with _user_errors():
        accounts = _user_store(instance_dir).all()
    if not accounts:
        click.echo("Nog geen gebruikers. Voeg er een toe met: kennisbank users add NAAM")
    for u in accounts:
        click.echo(f"{u.name}\ttoegevoegd {u.created}\tgewijzigd {u.changed}")
