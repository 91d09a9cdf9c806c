"""Logging in and out in a real Chromium: the form works under the page's CSP and the login holds."""
from __future__ import annotations

import pytest

from tests.members import MEMBER, MEMBERS_DOC, PASSWORD
from tests.test_auth_server import serve, site  # noqa: F401  (site is a fixture)

pytestmark = pytest.mark.browser


# `page` comes from tests/browser/conftest.py: one shared Playwright session (two sync sessions in one
# process clash), and it fails the test on any console or Content-Security-Policy error.
def test_member_logs_in_and_out_in_a_browser(site, page):  # noqa: F811
    with serve(site) as base:
        page.goto(f"{base}/documenten/{MEMBERS_DOC}")
        assert "Pagina niet gevonden" in page.content()
        page.click("text=Inloggen")
        page.fill("#gebruikersnaam", MEMBER)
        page.fill("#wachtwoord", "fout wachtwoord")
        page.click("main button[type=submit]")
        assert page.locator("[role=alert]").inner_text() == "Gebruikersnaam of wachtwoord onjuist."
        assert page.input_value("#gebruikersnaam") == MEMBER
        page.fill("#wachtwoord", PASSWORD)
        page.click("main button[type=submit]")
        # back where the visitor started, now allowed in
        assert page.url == f"{base}/documenten/{MEMBERS_DOC}"
        assert page.locator("h1").inner_text() == "Ledenverslag"
        cookie = next(c for c in page.context.cookies() if c["name"] == "session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        page.goto(f"{base}/?q=verslag")
        assert page.locator(f'a[href^="/documenten/{MEMBERS_DOC}"]').count() >= 1
        page.click(".site-nav button[type=submit]")  # Uitloggen
        page.goto(f"{base}/documenten/{MEMBERS_DOC}")
        assert "Pagina niet gevonden" in page.content()
        # Let the browser finish its own requests (favicon) before the server stops: a flaky
        # ERR_EMPTY_RESPONSE at teardown was seen once when it did not.
        page.wait_for_load_state("networkidle")
