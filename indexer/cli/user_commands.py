"""The member account commands: `kennisbank users add|passwd|remove|list` (passwords never as arguments)."""
from __future__ import annotations

import contextlib
import datetime as dt
import sys

import click

from ..accounts import UserError, UserStore, normalize_name
from ..saved_searches import SavedSearchStore
from ..sessions import SessionStore
from .common import DutchError, folder, instance_option


def _user_store(instance_dir) -> UserStore:
    return UserStore(folder(instance_dir, "INSTANCE_DIR"))


def _session_store(instance_dir) -> SessionStore:
    return SessionStore(folder(instance_dir, "INSTANCE_DIR"))


def _sessions_word(n: int) -> str:
    return "1 sessie" if n == 1 else f"{n} sessies"


@contextlib.contextmanager
def _user_errors():
    """Turn the user store's Dutch errors into click errors at the CLI's edge."""
    try:
        yield
    except UserError as exc:
        raise DutchError(str(exc)) from None


def _read_password() -> str:
    """Ask twice on a terminal; otherwise take the first line of standard input (never an argument)."""
    if sys.stdin.isatty():
        return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
    return sys.stdin.readline().rstrip("\r\n")


@click.group()
def users():
    """Beheer de ledenaccounts (opgeslagen met een trage, gezouten hash in de instancemap).

    Leden die inloggen zien ook documenten met `access: members`.

    Voorbeeld:

        kennisbank users add jan
    """


@users.command("add")
@click.argument("name")
@instance_option
def users_add(name, instance_dir):
    """Voeg een lid toe; het wachtwoord komt van een prompt of van standaardinvoer.

    Voorbeeld:

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
    """Geef een lid een nieuw wachtwoord; sessies met het oude wachtwoord eindigen.

    Voorbeeld:

        kennisbank users passwd jan
    """
    with _user_errors():
        user = _user_store(instance_dir).set_password(name, _read_password())
        _session_store(instance_dir).end_all(user.name)
    click.echo(f"Wachtwoord van '{user.name}' gewijzigd; bestaande sessies zijn beëindigd.")


@users.command("remove")
@click.argument("name")
@instance_option
def users_remove(name, instance_dir):
    """Verwijder een lid; zijn of haar sessies eindigen meteen.

    Voorbeeld:

        kennisbank users remove jan
    """
    with _user_errors():
        _user_store(instance_dir).remove(name)
        _session_store(instance_dir).end_all(normalize_name(name))
    # Their saved searches go too: a removed member is never mailed again.
    SavedSearchStore(folder(instance_dir, "INSTANCE_DIR")).delete_member(normalize_name(name))
    click.echo(f"Gebruiker '{name.strip().lower()}' verwijderd.")


@users.command("list")
@instance_option
def users_list(instance_dir):
    """Toon de leden, met wanneer ze zijn toegevoegd en voor het laatst gewijzigd.

    Voorbeeld:

        kennisbank users list
    """
    with _user_errors():
        accounts = _user_store(instance_dir).all()
    if not accounts:
        click.echo("Nog geen gebruikers. Voeg er een toe met: kennisbank users add NAAM")
    for u in accounts:
        click.echo(f"{u.name}\ttoegevoegd {u.created}\tgewijzigd {u.changed}")


@users.command("sessions")
@click.argument("name")
@instance_option
def users_sessions(name, instance_dir):
    """Toon de lopende sessies van een lid: sinds wanneer, laatst actief, vanaf welk adres.

    Voorbeeld:

        kennisbank users sessions jan
    """
    with _user_errors():
        name = normalize_name(name)
        found = _session_store(instance_dir).of_user(name)
    if not found:
        click.echo(f"'{name}' heeft geen lopende sessies.")
        return
    click.echo(f"'{name}' heeft {_sessions_word(len(found))}:")
    for s in found:
        click.echo(f"ingelogd {_when(s.created)}	laatst actief {_when(s.last_seen)}	adres {s.address}")


@users.command("revoke")
@click.argument("name")
@instance_option
def users_revoke(name, instance_dir):
    """Beëindig alle sessies van een lid meteen (bijvoorbeeld na een verloren laptop).

    Voorbeeld:

        kennisbank users revoke jan
    """
    with _user_errors():
        name = normalize_name(name)
        ended = _session_store(instance_dir).end_all(name)
    click.echo(f"{_sessions_word(ended).capitalize()} van '{name}' beëindigd.")


def _when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).isoformat(timespec="seconds")
