"""`kennisbank catalogus voorstel`: draft catalogue records for PDFs without one, for the maintainer to review."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..corpus import CatalogueError
from ..files import atomic_write
from ..index.proposal import propose
from .common import DutchError, corpus_option, folder, index_option, os_reason, plural


@click.group(name="catalogus")
def catalogue():
    """Werk met de catalogus (corpus/catalogue.yaml)."""


@catalogue.command(name="voorstel")
@corpus_option
@index_option
@click.option("--uitvoer", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Schrijf het voorstel naar dit bestand in plaats van naar het scherm.")
def proposal(corpus, index_dir, output):
    """Stel catalogusrecords voor de PDF's zonder record voor, met titel, datum, organisatie, soort en
    samenvatting uit de documenten zelf.

    Controleer het voorstel en voeg de records toe aan catalogue.yaml; daarna kennisbank update.
    De PDF's worden uit de extractiecache van de index gelezen als een build ze al las.

    Voorbeeld:

        kennisbank catalogus voorstel --uitvoer voorstel.yaml
    """
    try:
        result = propose(folder(corpus, "CORPUS_DIR"), folder(index_dir, "INDEX_DIR"))
    except CatalogueError as exc:
        raise DutchError("de catalogus is niet in orde:\n" + "\n".join(f"  - {p}" for p in exc.problems))
    if output:
        try:
            atomic_write(output, result.text)
        except OSError as exc:
            raise DutchError(f"kan {output} niet schrijven: {os_reason(exc)}")
        click.echo(f"{plural(result.count, 'record', 'records')} voorgesteld in {output}.")
    else:
        click.echo(result.text, nl=False)
        click.echo(f"{plural(result.count, 'record', 'records')} voorgesteld.", err=True)
    for name, reason in result.unreadable:
        click.echo(f"  onleesbaar, geen voorstel: {name}: {reason}", err=True)
    if not result.count and not result.unreadable:
        click.echo("Alle PDF's staan al in de catalogus.", err=True)
    sys.exit(0)
