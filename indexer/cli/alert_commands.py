"""The alert command: `kennisbank alerts verstuur`, run from cron, mails members what is new for their searches."""
from __future__ import annotations

import click

from .. import settings
from ..alerts import AlertError, MailSettings, send_alerts
from .common import DutchError, corpus_option, folder, index_option, instance_option, plural


@click.group()
def alerts():
    """Meldingen van bewaarde zoekopdrachten per e-mail.

    Leden bewaren zoekopdrachten op de pagina "Mijn zoekopdrachten"; dit commando mailt hun wat er nieuw is.

    Voorbeeld:

        kennisbank alerts verstuur
    """


@alerts.command("verstuur")
@instance_option
@index_option
@corpus_option
@click.option("--proef", is_flag=True, help="Zeg wat er verstuurd zou worden, zonder te mailen.")
def alerts_send(instance_dir, index_dir, corpus, proef):
    """Mail elk lid de documenten die nieuw zijn voor zijn of haar bewaarde zoekopdrachten.

    Bedoeld voor cron, bijvoorbeeld elke ochtend om zeven uur. Elk document wordt per zoekopdracht één keer
    gemeld; een verwijderd lid krijgt niets meer. De mailserver staat in KENNISBANK_SMTP_HOST (en _PORT, _USER,
    _PASSWORD, _FROM, _STARTTLS); links wijzen naar KENNISBANK_BASE_URL.

    Voorbeeld:

    \b
        0 7 * * *  cd /srv/kennisbank && .venv/bin/kennisbank alerts verstuur
    """
    try:
        report = send_alerts(folder(instance_dir, "INSTANCE_DIR"), folder(index_dir, "INDEX_DIR"),
                             folder(corpus, "CORPUS_DIR"), MailSettings.from_settings(settings.from_env()),
                             dry_run=proef)
    except AlertError as exc:
        raise DutchError(str(exc)) from None
    verb = "zou versturen" if proef else "verstuurd"
    click.echo(f"{plural(report.mails, 'e-mail', 'e-mails')} {verb} met "
               f"{plural(report.documents, 'nieuw document', 'nieuwe documenten')} "
               f"({plural(report.searches, 'bewaarde zoekopdracht', 'bewaarde zoekopdrachten')}).")
    if report.without_address:
        click.echo("Geen e-mailadres bekend van: " + ", ".join(report.without_address) +
                   " (leden stellen het in op de pagina Mijn zoekopdrachten).")
    if report.removed_members:
        click.echo("Zoekopdrachten verwijderd van leden die niet meer bestaan: " + ", ".join(report.removed_members))
