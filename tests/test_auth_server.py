"""A login over a real waitress server holds across requests, threads and a restart of the server."""
from __future__ import annotations

import http.cookiejar
import re
import urllib.request
from contextlib import contextmanager
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest

from indexer.index.build import build_index
from tests.members import MEMBER, MEMBERS_CATALOGUE, MEMBERS_DOC, PASSWORD, add_member
from tests.servers import waitress_server


@pytest.fixture
def site(tmp_path):
    """Corpus with a members-only document, its index, and an instance folder with one member (no secret key)."""
    (tmp_path / "corpus" / "pdf").mkdir(parents=True)
    (tmp_path / "corpus" / "catalogue.yaml").write_text(MEMBERS_CATALOGUE, encoding="utf-8")
    build_index(tmp_path / "corpus", tmp_path / "index")
    add_member(tmp_path / "instance")
    return tmp_path


@contextmanager
def serve(site):
    """Run `waitress-serve --call search_app:create_app` as `make run` does, with settings from the environment."""
    with waitress_server({"KENNISBANK_CORPUS": str(site / "corpus"), "KENNISBANK_INDEX": str(site / "index"),
                          "KENNISBANK_INSTANCE": str(site / "instance")}, inherit_settings=False) as base:
        yield base


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status(opener, url, data=None) -> tuple[int, str]:
    try:
        with opener.open(url, data=data, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def test_login_holds_across_requests_and_a_restart(site):
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    with serve(site) as base:
        assert status(browser, f"{base}/documenten/{MEMBERS_DOC}")[0] == 404
        assert not (site / "instance" / "secret_key").exists()
        _, form = status(browser, f"{base}/inloggen")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        data = urlencode({"csrf_token": token, "gebruikersnaam": MEMBER, "wachtwoord": PASSWORD}).encode()
        code, _ = status(browser, f"{base}/inloggen", data)
        assert code == 303
        for _ in range(8):  # several requests, served by different threads
            assert status(browser, f"{base}/documenten/{MEMBERS_DOC}")[0] == 200
    assert (site / "instance" / "secret_key").is_file()
    with serve(site) as base:  # a restart keeps the key, so the member stays logged in
        code, html = status(browser, f"{base}/?q=verslag")
        assert code == 200 and MEMBERS_DOC in html
