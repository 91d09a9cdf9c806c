"""Hardening: user input is escaped everywhere it is shown, security headers on every response, PDF path tricks."""
from __future__ import annotations

import os
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from tests.members import csrf_from

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "' autofocus onfocus='alert(1)",
    '" autofocus onfocus="alert(1)',
    "</title><script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
]

# Where a visitor's text comes back in a page: query, facet and other parameters, the document page, 404s.
PLACES = [
    "/?q={p}",
    "/?q=gemeente&doctype={p}",
    "/?doctype={p}",
    "/?q=gemeente&author={p}&section={p}&year={p}",
    "/?q=gemeente&sort={p}",
    "/?q=gemeente&from={p}",
    "/?q=gemeente&page={p}",
    "/documenten/rapport-online-ordeverstoringen?q={p}",
    "/documenten/{p}",
    "/inloggen?next={p}",
    "/help?q={p}",
]


class ActiveContent(HTMLParser):
    """Collect what a browser would run: inline scripts, event handler attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            self.found.append(f"<script {attrs}>")
        if tag in ("svg", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("place", PLACES)
def test_user_input_is_escaped_in_every_page(client, place, payload):
    url = place.format(p=quote(payload, safe=""))
    r = client.get(url)
    html = r.get_data(as_text=True)
    assert r.status_code in (200, 400, 404), (url, r.status_code)
    assert active_content(html) == [], url
    if not payload.startswith("javascript:"):
        assert payload not in html, url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_form_escapes_what_was_typed(app, payload):
    c = app.test_client()
    for data in ({"gebruikersnaam": payload, "wachtwoord": payload},
                 {"gebruikersnaam": "lid", "wachtwoord": "fout wachtwoord", "next": payload}):
        r = c.post("/inloggen", data={"csrf_token": csrf_from(c), **data})
        html = r.get_data(as_text=True)
        assert r.status_code == 401 and active_content(html) == []
        if not payload.startswith("javascript:"):
            assert payload not in html
    r = c.post("/inloggen", data={"gebruikersnaam": payload, "wachtwoord": "x"})  # no token: error page
    assert r.status_code == 400 and active_content(r.get_data(as_text=True)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_api_returns_user_input_only_as_json(client, payload):
    for qs in (f"q={quote(payload)}", f"q=gemeente&doctype={quote(payload)}"):
        r = client.get(f"/api/search?{qs}")
        assert r.mimetype == "application/json" and r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.get_json()  # parses: the payload is a JSON string, nothing else


# ---------------------------------------------------------------- headers

HEADER_PATHS = ["/", "/?q=gemeente", "/api/search?q=gemeente", "/api/health", "/documenten/bestaat-niet",
                "/api/bestaat-niet", "/static/style.css", "/documenten/rapport-online-ordeverstoringen/pdf",
                "/inloggen", "/help", "/?sort=fout"]


@pytest.mark.parametrize("path", HEADER_PATHS)
def test_security_headers_on_every_response(client, path):
    with client.get(path) as r:
        csp = r.headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                          "form-action 'self'", "frame-ancestors 'none'"):
            assert directive in csp, (path, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in r.headers  # only when served over HTTPS


def test_headers_also_on_a_rejected_post(client):
    r = client.post("/inloggen", data={})
    assert r.status_code == 400 and "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


# ---------------------------------------------------------------- the PDF route

PATH_TRICKS = [
    "/documenten/..%2fcatalogue.yaml/pdf",
    "/documenten/..%2f..%2f..%2fetc%2fpasswd/pdf",
    "/documenten/%2e%2e/pdf",
    "/documenten/../pdf",
    "/documenten/..%5c..%5ccatalogue.yaml/pdf",
    "/documenten/catalogue.yaml/pdf",
    "/documenten/rapport.pdf/pdf",
    "/documenten/rapport-online-ordeverstoringen%00/pdf",
    "/documenten/rapport-online-ordeverstoringen%2f..%2f..%2fcatalogue.yaml/pdf",
    "/documenten/rapport-online-ordeverstoringen/pdf/../../catalogue.yaml",
    "/documenten//etc/passwd/pdf",
    "/documenten/%2fetc%2fpasswd/pdf",
    "/documenten/kapotte-pdf/pdf",        # its PDF is damaged, so the index names none
    "/documenten/los-document/pdf/extra",
    "/documenten/rapport-online-ordeverstoringen/pdf?path=../catalogue.yaml",
]


@pytest.mark.parametrize("path", PATH_TRICKS)
def test_pdf_route_refuses_path_tricks(client, path):
    with client.get(path) as r:
        body = r.get_data()
        if "?path=" in path:  # a stray parameter is ignored: the document's own PDF
            assert r.status_code == 200 and body.startswith(b"%PDF")
            return
        assert r.status_code == 404, path
        assert b"%PDF" not in body and b"theme:" not in body and b"root:" not in body


def test_pdf_route_serves_only_files_inside_the_pdf_folder(corpus_copy, tmp_path):
    """A PDF in the corpus that is a link to a file elsewhere is not followed out of corpus/pdf/."""
    from search_app import create_app
    corpus, index = corpus_copy
    secret = tmp_path / "geheim.pdf"
    secret.write_bytes(b"%PDF-1.4 geheim buiten de corpusmap")
    original = (corpus / "pdf" / "rapport.pdf").read_bytes()
    (corpus / "pdf" / "rapport.pdf").unlink()
    os.symlink(secret, corpus / "pdf" / "rapport.pdf")
    c = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                    "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "x"}).test_client()
    with c.get("/documenten/rapport-online-ordeverstoringen/pdf") as r:
        # The generation serves the copy it was built with (index/pdf-store), never what the link points to.
        assert r.get_data() == original and b"geheim" not in r.get_data()
    with c.get("/documenten/handreiking-polarisatie/pdf") as r:
        assert r.status_code == 200
