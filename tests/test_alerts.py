"""Saved searches and e-mail alerts, against a real SMTP server on loopback (aiosmtpd) and the real app."""
from __future__ import annotations

import email
import email.policy
import re
import socket
import textwrap

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from indexer.alerts import MailSettings, send_alerts
from indexer.cli import main
from indexer.index.build import build_index
from indexer.saved_searches import SavedSearchStore
from search_app import create_app
from tests.members import MEMBER, add_member, csrf_from, login

BASE = "https://kennisbank.example"
CATALOGUE = textwrap.dedent("""\
    documents:
      - id: polarisatie-monitor
        title: Monitor polarisatie 2023
        summary: Cijfers over polarisatie in gemeenten.
        date: 2023-05-01
        author: NCTV
      - id: handreiking-demonstraties
        title: Handreiking demonstraties
        summary: Wat gemeenten doen rond demonstraties.
        date: 2024-09-01
""")
NEW_PUBLIC = textwrap.indent(textwrap.dedent("""\
      - id: polarisatie-wijk
        title: Polarisatie in de wijk
        summary: Een handreiking over polarisatie in wijken.
        date: 2025-03-01
"""), "  ")
NEW_MEMBERS = textwrap.indent(textwrap.dedent("""\
      - id: polarisatie-dreiging
        title: Dreigingsbeeld polarisatie (vertrouwelijk)
        summary: Alleen voor leden, over polarisatie en dreiging.
        date: 2025-04-01
        access: members
"""), "  ")


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    """A real SMTP server on a free loopback port; yields (inbox, port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def site(tmp_path):
    """A corpus, its index, an instance folder with one member, and the app over them."""
    corpus, index, instance = tmp_path / "corpus", tmp_path / "index", tmp_path / "instance"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    build_index(corpus, index)
    add_member(instance)
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(instance), "SECRET_KEY": "test", "SERVER_NAME": "kennisbank.example"})
    return corpus, index, instance, app


def save_search(client, q="polarisatie", name="Polarisatie"):
    return client.post("/mijn-zoekopdrachten", data={"csrf_token": csrf_from(client, f"/?q={q}"), "q": q,
                                                      "naam": name})


def publish(corpus, index, *records):
    with open(corpus / "catalogue.yaml", "a", encoding="utf-8") as f:
        f.write("".join(records))
    build_index(corpus, index)


def run(site, port, **kw):
    corpus, index, instance, _ = site
    return send_alerts(instance, index, corpus, MailSettings(host="127.0.0.1", port=port, base_url=BASE), **kw)


def member_client(app):
    client = app.test_client()
    assert login(client).status_code == 303
    return client


def test_member_saves_lists_and_deletes_a_search(site):
    client = member_client(site[3])
    assert "Bewaar deze zoekopdracht" in client.get("/?q=polarisatie").get_data(as_text=True)
    page = save_search(client).get_data(as_text=True)
    assert "Zoekopdracht &#39;Polarisatie&#39; bewaard" in page and 'href="/?q=polarisatie"' in page
    [saved] = SavedSearchStore(site[2]).of_member(MEMBER)
    assert saved.seen == ["polarisatie-monitor"]  # what it finds now is not news
    token = csrf_from(client, "/mijn-zoekopdrachten")
    assert client.post(f"/mijn-zoekopdrachten/{saved.id}/verwijderen", data={"csrf_token": token}).status_code == 200
    assert SavedSearchStore(site[2]).of_member(MEMBER) == []


def test_saved_searches_are_for_members_only_and_forms_need_their_token(site):
    anonymous = site[3].test_client()
    assert "Bewaar deze zoekopdracht" not in anonymous.get("/?q=polarisatie").get_data(as_text=True)
    r = anonymous.get("/mijn-zoekopdrachten")
    assert r.status_code == 303 and "/inloggen" in r.headers["Location"]
    assert anonymous.post("/mijn-zoekopdrachten", data={"q": "x"}).status_code == 303
    member = member_client(site[3])
    assert member.post("/mijn-zoekopdrachten", data={"q": "x"}).status_code == 400  # no CSRF token
    assert SavedSearchStore(site[2]).of_member(MEMBER) == []


def test_alert_mails_what_is_new_once_with_links_and_unsubscribe(site, smtp):
    inbox, port = smtp
    corpus, index, instance, app = site
    client = member_client(app)
    save_search(client)
    client.post("/mijn-zoekopdrachten/adres", data={"csrf_token": csrf_from(client, "/mijn-zoekopdrachten"),
                                                    "adres": "lid@gemeente.example"})
    assert run(site, port).mails == 0 and inbox.messages == []  # nothing new: nothing sent
    publish(corpus, index, NEW_PUBLIC, NEW_MEMBERS)
    report = run(site, port)
    assert (report.mails, report.documents) == (1, 2)
    [(to, mail)] = inbox.messages
    assert to == ["lid@gemeente.example"] and mail["Subject"] == "2 nieuwe documenten voor uw zoekopdracht 'Polarisatie'"
    text = mail.get_body(("plain",)).get_content()
    body = mail.get_body(("html",)).get_content()
    for doc_id, title in (("polarisatie-wijk", "Polarisatie in de wijk"),
                          ("polarisatie-dreiging", "Dreigingsbeeld polarisatie (vertrouwelijk)")):
        assert f"{BASE}/documenten/{doc_id}" in text and title in text  # members may see members' documents
        assert f'href="{BASE}/documenten/{doc_id}"' in body
    assert "Monitor polarisatie" not in text  # known when the search was saved
    unsubscribe = re.search(rf"{BASE}(/afmelden/[\w-]+)", text).group(1)
    assert mail["List-Unsubscribe"] == f"<{BASE}{unsubscribe}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert run(site, port).mails == 0 and len(inbox.messages) == 1  # no duplicates on a second run
    anonymous = app.test_client()  # the link works without logging in; looking changes nothing
    assert anonymous.get(unsubscribe).status_code == 200 and SavedSearchStore(instance).of_member(MEMBER)
    assert "U bent afgemeld" in anonymous.post(unsubscribe).get_data(as_text=True)
    assert SavedSearchStore(instance).of_member(MEMBER) == []
    assert anonymous.post(unsubscribe).status_code == 404


def test_a_removed_member_gets_nothing(site, smtp):
    inbox, port = smtp
    corpus, index, instance, app = site
    save_search(member_client(app))
    SavedSearchStore(instance).set_address(MEMBER, "lid@gemeente.example")
    r = CliRunner().invoke(main, ["users", "remove", MEMBER, "--instance", str(instance)])
    assert r.exit_code == 0, r.output
    publish(corpus, index, NEW_PUBLIC)
    assert run(site, port).mails == 0 and inbox.messages == []


def test_a_member_without_an_address_is_named_and_the_cli_reports_in_dutch(site, smtp, monkeypatch):
    inbox, port = smtp
    corpus, index, instance, app = site
    save_search(member_client(app))
    publish(corpus, index, NEW_PUBLIC)
    monkeypatch.setenv("KENNISBANK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KENNISBANK_SMTP_PORT", str(port))
    args = ["alerts", "verstuur", "--instance", str(instance), "--index", str(index), "--corpus", str(corpus)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert r.output.startswith("0 e-mails verstuurd met 0 nieuwe documenten (1 bewaarde zoekopdracht).")
    assert f"Geen e-mailadres bekend van: {MEMBER}" in r.output and inbox.messages == []
    SavedSearchStore(instance).set_address(MEMBER, "lid@gemeente.example")
    r = CliRunner().invoke(main, args)
    assert r.output.startswith("1 e-mail verstuurd met 1 nieuw document") and len(inbox.messages) == 1


def test_no_mail_server_is_a_clear_dutch_error(site, monkeypatch):
    monkeypatch.delenv("KENNISBANK_SMTP_HOST", raising=False)
    corpus, index, instance, _ = site
    r = CliRunner().invoke(main, ["alerts", "verstuur", "--instance", str(instance), "--index", str(index),
                                  "--corpus", str(corpus)])
    assert r.exit_code == 1 and "Fout: er is geen mailserver ingesteld (KENNISBANK_SMTP_HOST)." in r.output
