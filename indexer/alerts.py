"""E-mail alerts: mail each member the documents that are new for each of their saved searches (run from cron).

A member only ever gets documents that member may see at the moment of sending: a removed account gets nothing
(and its saved searches are deleted), and every search runs on the index members may see now.
"""
from __future__ import annotations

import html
import smtplib
import urllib.parse
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from .accounts import UserStore
from .index import store
from .saved_searches import SavedSearch, SavedSearchStore
from .search import Document, QueryService, SearchRequest
from .search.dates import dutch_date

ALERT_LIMIT = 50  # newest documents looked at per saved search and mail


class AlertError(Exception):
    """Alerts cannot be sent (no mail server set, or it refused); str() says why in Dutch."""


@dataclass(frozen=True)
class MailSettings:
    """How to reach the mail server and where links in mails point."""

    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    sender: str = "kennisbank@localhost"
    starttls: bool = False
    base_url: str = "http://127.0.0.1:8000"

    @classmethod
    def from_settings(cls, settings: dict) -> "MailSettings":
        """Build mail settings from the settings table (KENNISBANK_SMTP_*, KENNISBANK_BASE_URL)."""
        try:
            port = int(settings.get("SMTP_PORT") or 25)
        except ValueError:
            raise AlertError(f"KENNISBANK_SMTP_PORT '{settings.get('SMTP_PORT')}' is geen poortnummer.") from None
        return cls(host=settings.get("SMTP_HOST") or "", port=port, user=settings.get("SMTP_USER") or "",
                   password=settings.get("SMTP_PASSWORD") or "", sender=settings.get("SMTP_FROM") or cls.sender,
                   starttls=str(settings.get("SMTP_STARTTLS") or "") in ("1", "true", "ja"),
                   base_url=(settings.get("BASE_URL") or cls.base_url).rstrip("/"))


@dataclass
class AlertReport:
    """What a run did: mails sent, documents in them, and who got nothing and why."""

    mails: int = 0
    documents: int = 0
    searches: int = 0
    without_address: list[str] = field(default_factory=list)
    removed_members: list[str] = field(default_factory=list)


def send_alerts(instance_dir: str | Path, index_dir: str | Path, corpus_dir: str | Path, mail: MailSettings,
                dry_run: bool = False) -> AlertReport:
    """Mail every member the documents new for each saved search since the last mail; return what was done."""
    if not mail.host and not dry_run:
        raise AlertError("er is geen mailserver ingesteld (KENNISBANK_SMTP_HOST).")
    users, saved = UserStore(instance_dir), SavedSearchStore(instance_dir)
    try:
        ix = store.open_index(store.current_generation(index_dir), "all")  # what members may see, now
    except store.IndexMissing as exc:
        raise AlertError(f"{exc}. Bouw eerst de index: kennisbank build") from None
    service, report, outbox = QueryService(Path(corpus_dir)), AlertReport(), []
    with ix.searcher() as searcher:
        for search in saved.all():
            report.searches += 1
            if users.get(search.member) is None:  # the account was removed: nothing, ever again
                if search.member not in report.removed_members:
                    report.removed_members.append(search.member)
                    saved.delete_member(search.member)
                continue
            address = saved.address(search.member)
            docs = new_documents(service, searcher, search)
            if not docs:
                continue
            if address is None:
                if search.member not in report.without_address:
                    report.without_address.append(search.member)
                continue
            outbox.append((search, docs, compose(search, docs, address, mail)))
    if dry_run:
        report.mails, report.documents = len(outbox), sum(len(docs) for _, docs, _ in outbox)
        return report
    try:
        with _connect(mail) as smtp:
            for search, docs, message in outbox:
                smtp.send_message(message)
                saved.mark_sent(search.id, [d.id for d in docs])  # after sending: a failure mails it next time
                report.mails += 1
                report.documents += len(docs)
    except (OSError, smtplib.SMTPException) as exc:
        raise AlertError(f"de mailserver {mail.host}:{mail.port} weigerde of is onbereikbaar ({exc}); "
                         f"{report.mails} van {len(outbox)} e-mails verstuurd.") from None
    return report


def new_documents(service: QueryService, searcher, search: SavedSearch) -> list[Document]:
    """Return the documents a saved search finds now that its member has not been told about, newest first."""
    r = search.request
    request = SearchRequest(q=r.get("q", ""), filters=r.get("filters") or {}, date_from=r.get("date_from"),
                            date_to=r.get("date_to"), sort="nieuwste", per_page=ALERT_LIMIT,
                            current_only=bool(r.get("current_only")))
    seen = set(search.seen)
    return [h.document for h in service.search(searcher, request).hits if h.document.id not in seen]


def search_url(base_url: str, request: dict) -> str:
    """Return the results page of a saved search."""
    params = [("q", request.get("q", ""))] if request.get("q") else []
    params += [(name, v) for name, values in sorted((request.get("filters") or {}).items()) for v in values]
    params += [(k, request[key]) for k, key in (("from", "date_from"), ("to", "date_to")) if request.get(key)]
    params += [("actueel", "1")] if request.get("current_only") else []
    return f"{base_url}/?{urllib.parse.urlencode(params)}"


def compose(search: SavedSearch, docs: list[Document], address: str, mail: MailSettings) -> EmailMessage:
    """Return the alert mail (plain text and HTML) with a one-click unsubscribe link that needs no login."""
    unsubscribe = f"{mail.base_url}/afmelden/{search.token}"
    results = search_url(mail.base_url, search.request)
    count = f"{len(docs)} nieuw document" if len(docs) == 1 else f"{len(docs)} nieuwe documenten"
    message = EmailMessage()
    message["Subject"] = f"{count} voor uw zoekopdracht '{search.name}'"
    message["From"] = formataddr(("Kennisbank Zoeken", mail.sender))
    message["To"] = address
    message["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2] or None)
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058: mail programs unsubscribe in one click
    lines = [f"Er {'is' if len(docs) == 1 else 'zijn'} {count} voor uw bewaarde zoekopdracht '{search.name}':", ""]
    for d in docs:
        facts = ", ".join(f for f in (d.author, dutch_date(d.date), d.doctype) if f)
        lines += [f"- {d.title}" + (f" ({facts})" if facts else ""), f"  {mail.base_url}/documenten/{d.id}", ""]
    lines += [f"Alle resultaten: {results}", "",
              f"U krijgt deze e-mail omdat u deze zoekopdracht in Kennisbank Zoeken heeft bewaard. Afmelden voor "
              f"deze zoekopdracht (zonder in te loggen): {unsubscribe}"]
    message.set_content("\n".join(lines))
    items = "".join(
        f'<li><a href="{html.escape(mail.base_url)}/documenten/{html.escape(d.id)}">{html.escape(d.title)}</a>'
        + (f"<br><small>{html.escape(', '.join(f for f in (d.author, dutch_date(d.date), d.doctype) if f))}</small>"
           if (d.author or d.date or d.doctype) else "") + "</li>" for d in docs)
    message.add_alternative(
        f'<!doctype html><html lang="nl"><body style="font-family: sans-serif; max-width: 40rem">'
        f"<p>Er {'is' if len(docs) == 1 else 'zijn'} {html.escape(count)} voor uw bewaarde zoekopdracht "
        f"<strong>{html.escape(search.name)}</strong>:</p><ul>{items}</ul>"
        f'<p><a href="{html.escape(results)}">Alle resultaten bekijken</a></p>'
        f'<p style="color: #555"><small>U krijgt deze e-mail omdat u deze zoekopdracht in Kennisbank Zoeken heeft '
        f'bewaard. <a href="{html.escape(unsubscribe)}">Afmelden voor deze zoekopdracht</a> (zonder in te loggen).'
        f"</small></p></body></html>", subtype="html")
    return message


def _connect(mail: MailSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(mail.host, mail.port, timeout=30)
    try:
        if mail.starttls:
            smtp.starttls()
        if mail.user:
            smtp.login(mail.user, mail.password)
    except BaseException:
        smtp.close()
        raise
    return smtp
