"""The `kennisbank` command: a thin click layer; each command parses options, calls one function, prints."""
from __future__ import annotations

import logging
import sys

import click

from .. import settings
from .alert_commands import alerts
from .catalogue_commands import catalogue
from .index_commands import build, check, prune, rollback, search, stats, update
from .user_commands import users


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=settings.help_epilog())
@click.option("-v", "--verbose", is_flag=True, help="Schrijf per bouwstap een logregel naar stderr.")
def main(verbose):
    """Kennisbank Zoeken: bouw, controleer en doorzoek de index van de kennisbank.

    Voorbeeld:

        kennisbank -v build && kennisbank search internetverbod
    """
    if verbose:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s %(message)s")


for command in (build, update, search, check, stats, rollback, prune, catalogue, users, alerts):
    main.add_command(command)
