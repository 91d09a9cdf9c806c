"""The web app as a visitor and a program see it: pages, JSON API, PDFs, errors."""
from __future__ import annotations

import pytest

from tests.conftest import PAGE3_WORD


def test_start_page_shows_intro_and_sections(bundled_client):
    r = bundled_client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<html lang="nl">' in html
    assert "Gemeenten, Openbaar Ministerie, politie" in html
    assert "Onderzoeksrapporten en publicaties" in html and "Praktische hulp" in html
    assert html.count('class="doc-card"') == 13


def test_results_page_ranks_and_highlights(bundled_client):
    html = bundled_client.get("/?q=internetverbod").get_data(as_text=True)
    assert "2 resultaten" in html
    first = html.index("internetverbod-uitvoerbaarheid") if "internetverbod-uitvoerbaarheid" in html else -1
    assert first > 0 and "<mark>internetverbod</mark>" in html


def test_no_results_page_helps(bundled_client):
    html = bundled_client.get("/?q=xylofoonmuziek").get_data(as_text=True)
    assert "Geen resultaten" in html and "Controleer de spelling" in html


def test_api_search_shape_and_ranking(bundled_client):
    data = bundled_client.get("/api/search?q=internetverbod").get_json()
    assert list(data)[:5] == ["query", "total", "page", "per_page", "took_ms"]
    assert [h["id"] for h in data["hits"][:2]] == ["internetverbod-uitvoerbaarheid", "internetverbod-burgemeester"] \
        or {h["id"] for h in data["hits"][:2]} == {"internetverbod-uitvoerbaarheid", "internetverbod-burgemeester"}
    hit = data["hits"][0]
    for key in ("id", "title", "summary", "date", "author", "doctype", "section", "score", "url", "pdf_url",
                "snippet", "pages"):
        assert key in hit
    assert hit["url"] == f"/documenten/{hit['id']}"
    assert hit["pdf_url"] is None  # the bundled corpus has no PDFs
    assert data["suggestion"] is None


def test_api_pages_link_into_the_pdf(client):
    data = client.get(f"/api/search?q={PAGE3_WORD}").get_json()
    hit = data["hits"][0]
    assert hit["pdf_url"] == "/documenten/rapport-online-ordeverstoringen/pdf"
    assert hit["pages"][0]["page"] == 3
    assert hit["pages"][0]["url"].endswith("/pdf#page=3")


def test_results_page_links_pages(client):
    html = client.get(f"/?q={PAGE3_WORD}").get_data(as_text=True)
    assert 'href="/documenten/rapport-online-ordeverstoringen/pdf#page=3"' in html
    assert ">p. 3" in html


def test_pdf_is_served_by_the_app(client):
    with client.get("/documenten/rapport-online-ordeverstoringen/pdf") as r:
        assert r.status_code == 200
        assert r.mimetype == "application/pdf"
        assert r.data.startswith(b"%PDF")


@pytest.mark.parametrize("path", ["/documenten/bestaat-niet", "/documenten/bestaat-niet/pdf",
                                  "/documenten/dreigingsbeeld/pdf", "/documenten/..%2f..%2fetc%2fpasswd/pdf",
                                  "/documenten/../catalogue.yaml"])
def test_missing_documents_and_path_tricks_are_404(client, path):
    assert client.get(path).status_code == 404


def test_document_page_shows_metadata_and_matching_pages(client):
    html = client.get(f"/documenten/rapport-online-ordeverstoringen?q={PAGE3_WORD}").get_data(as_text=True)
    assert "Online aangejaagde ordeverstoringen" in html
    assert "NHL Stenden" in html and "1 april 2023" in html
    assert "#page=3" in html


def test_health(client):
    data = client.get("/api/health").get_json()
    assert data["status"] == "ok" and data["documents"] == 5 and data["built_at"]


def test_missing_index_gives_a_dutch_page_and_health_says_so(tmp_path):
    from search_app import create_app
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "geen"), "CORPUS_DIR": str(tmp_path)})
    c = app.test_client()
    r = c.get("/")
    assert r.status_code == 503 and "Zoekindex niet beschikbaar" in r.get_data(as_text=True)
    r = c.get("/api/health")
    assert r.status_code == 503 and r.get_json()["status"] == "unavailable"
    assert c.get("/api/search?q=x").status_code == 503


@pytest.mark.parametrize("qs", ['q="openbare orde', "q=(((", "q=AND", "q=" + "a" * 5000, "q=%00%01%02",
                                "q=ab*", "page=abc&q=x", "page=-1&q=x", "per_page=100000&q=x",
                                "page=99999999999999999999&q=x", "sort=<script>&q=x", "from=morgen&q=x",
                                "q=auteur:", "q=%E2%80%AE", "doctype=%3Cb%3E&q=x"])
def test_malformed_requests_never_500(client, qs):
    for prefix in ("/?", "/api/search?"):
        r = client.get(prefix + qs)
        assert r.status_code in (200, 400), (prefix + qs, r.status_code)
        if r.status_code == 400 and prefix.startswith("/api"):
            assert r.get_json()["error"]


def test_query_text_is_escaped(client):
    html = client.get("/?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
