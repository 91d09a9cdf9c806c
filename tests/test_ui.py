"""The search experience as HTML and JSON: facets, sorting, paging, document page, suggestions, feeds, OpenAPI."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from indexer.index.build import build_index
from indexer.search import SORTS, SearchRequest, build_vocabulary, search, similar_documents
from search_app import create_app
from tests.members import add_member, login
from tests.ui_corpus import MEMBERS_ONLY_ID, MEMBERS_ONLY_WORD, write_ui_corpus

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="session")
def ui_index(tmp_path_factory):
    """The UI corpus (12 public documents, 1 for members) and its built index."""
    root = tmp_path_factory.mktemp("ui")
    corpus = write_ui_corpus(root / "corpus")
    build_index(corpus, root / "index")
    return corpus, root / "index"


@pytest.fixture
def ui_app(ui_index, tmp_path):
    corpus, index = ui_index
    return create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                       "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test",
                       "SERVER_NAME": "kennisbank.test", "BASE_URL": "http://kennisbank.test"})


@pytest.fixture
def visitor(ui_app):
    """An anonymous visitor."""
    return ui_app.test_client()


@pytest.fixture
def member(ui_app):
    """A member logged in through the real login form, who may see members-only documents."""
    add_member(ui_app.config["INSTANCE_DIR"])
    c = ui_app.test_client()
    assert login(c).status_code == 303  # redirected after a successful login
    return c


def html(client, url) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.get_data(as_text=True)


def hit_ids(page: str) -> list[str]:
    return re.findall(r'<li class="hit">\s*<h2><a href="/documenten/([\w-]+)', page)


# ---------------------------------------------------------------- results page

def test_facets_show_counts_and_link_to_filtered_urls(visitor):
    page = html(visitor, "/?q=polarisatie")
    assert "11 resultaten" in page
    assert re.search(r'href="/\?q=polarisatie&amp;doctype=Rapport"><span class="facet-value">Rapport</span> '
                     r'<span class="count">6</span>', page)
    filtered = html(visitor, "/?q=polarisatie&doctype=Rapport")
    assert "6 resultaten" in filtered
    assert 'class="facet-link selected" aria-current="true" href="/?q=polarisatie"' in filtered
    assert "Documenttype: Rapport" in filtered  # the chip that removes the filter


def test_sort_links_order_by_date(visitor):
    page = html(visitor, "/?q=polarisatie&sort=nieuwste&per_page=20")
    dates = re.findall(r'<time datetime="([\d-]+)"', page)
    assert len(dates) == 11 and dates == sorted(dates, reverse=True)
    assert re.search(r'class="current" aria-current="true" href="[^"]*sort=nieuwste', page)
    oldest = re.findall(r'<time datetime="([\d-]+)"', html(visitor, "/?q=polarisatie&sort=oudste&per_page=20"))
    assert oldest == sorted(dates)


def test_paging_keeps_query_and_filters(visitor):
    first = html(visitor, "/?q=polarisatie&per_page=4&author=NCTV&author=VAR")
    assert 'rel="next" href="/?q=polarisatie&amp;per_page=4&amp;author=NCTV&amp;author=VAR&amp;page=2"' in first
    second = html(visitor, "/?q=polarisatie&per_page=4&author=NCTV&author=VAR&page=2")
    assert '<ol class="hits" start="5">' in second
    assert len(hit_ids(second)) == 2 and set(hit_ids(first)).isdisjoint(hit_ids(second))
    assert 'aria-current="page"' in second


@pytest.mark.parametrize("current, last, expected", [
    (1, 1, [1]), (1, 3, [1, 2, 3]), (1, 20, [1, 2, 3, None, 20]), (10, 20, [1, None, 8, 9, 10, 11, 12, None, 20]),
    (20, 20, [1, None, 18, 19, 20]),
])
def test_page_number_window(current, last, expected):
    from search_app.views import _page_numbers
    assert _page_numbers(current, last) == expected


def test_date_range_filters_and_is_removable(visitor):
    page = html(visitor, "/?q=polarisatie&from=2023&to=2023-12-31")
    assert {d[:4] for d in re.findall(r'<time datetime="([\d-]+)"', page)} == {"2023"}
    assert "Vanaf: 2023" in page and "Tot en met: 2023-12-31" in page
    assert 'value="2023"' in page  # the date field keeps what was typed


def test_each_document_once_with_its_best_pages_linked(visitor):
    page = html(visitor, "/?q=internetverbod")
    ranked = [h["id"] for h in visitor.get("/api/search?q=internetverbod").get_json()["hits"]]
    assert sorted(ranked) == ["internetverbod-deel-1", "internetverbod-deel-2"]
    assert hit_ids(page) == ranked  # each once, in the ranking order the API reports
    assert 'href="/documenten/internetverbod-deel-2/pdf#page=2"' in page
    assert "<mark>internetverbod</mark>" in page


def test_did_you_mean_and_notices_are_shown(ui_app, ui_index):
    """The suggestion field is filled by the query service; the page must show it as a link."""
    from flask import render_template

    from indexer.index import store
    _, index = ui_index
    with store.open_index(store.current_generation(index), "public").searcher() as s:
        results = search(s, SearchRequest(q="polarsatie"))
    results.suggestion = "polarisatie"
    results.notices.append("Een melding voor de bezoeker.")
    with ui_app.test_request_context("/?q=polarsatie"):
        from search_app import views
        out = render_template("results.html", results=results, q="polarsatie", error=None, facets=(),
                              sorts=SORTS, sort_labels=views.SORT_LABELS, page_url=views._page_url,
                              active_filters=[], page_numbers=[1], feed_url="/zoeken.atom?q=polarsatie")
    assert 'Bedoelde u: <a href="/?q=polarisatie">polarisatie</a>?' in out
    assert "Een melding voor de bezoeker." in out


def test_no_results_page_offers_ways_out(visitor):
    page = html(visitor, "/?q=xylofoonmuziek&doctype=Rapport")
    assert "Geen resultaten" in page and "zoek zonder filters" in page and "zoektips" in page


# ---------------------------------------------------------------- document page

def test_document_page_has_similar_documents_citation_and_pages(visitor):
    page = html(visitor, "/documenten/polarisatie-monitor-2022?q=polarisatie")
    similar = re.search(r'<aside class="similar".*?</aside>', page, re.S).group(0)
    assert "Monitor polarisatie 2021" in similar  # the near-twin comes first
    assert similar.index("Monitor polarisatie 2021") < similar.index("</li>")
    assert "NCTV (2022). Monitor polarisatie 2022. Kennisbank Zoeken. " \
           "http://kennisbank.test/documenten/polarisatie-monitor-2022" in page
    assert 'href="/documenten/polarisatie-monitor-2022/pdf#page=2"' in page


def test_citation_of_a_page(visitor):
    page = html(visitor, "/documenten/polarisatie-monitor-2022?q=cijfers&pagina=2")
    assert "NCTV (2022). Monitor polarisatie 2022 (p. 2). Kennisbank Zoeken." in page


def test_similar_documents_only_among_visible_ones(visitor, member, ui_index):
    assert MEMBERS_ONLY_ID not in html(visitor, "/documenten/extremisme-strategie")
    assert visitor.get(f"/api/documenten/{MEMBERS_ONLY_ID}/vergelijkbaar").status_code == 404
    anon = visitor.get("/api/documenten/extremisme-strategie/vergelijkbaar").get_json()
    assert anon["similar"] and MEMBERS_ONLY_ID not in {s["id"] for s in anon["similar"]}
    # The same question from a member may include the members-only document: the filter is the index, not luck.
    _, index = ui_index
    from indexer.index import store
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        assert MEMBERS_ONLY_ID in {d.document.id for d in similar_documents(s, "extremisme-strategie", limit=20)}
    assert member.get(f"/api/documenten/{MEMBERS_ONLY_ID}/vergelijkbaar").status_code == 200


# ---------------------------------------------------------------- suggestions

def test_suggest_words_and_titles(visitor):
    data = visitor.get("/api/suggest?q=pola").get_json()
    kinds = [s["kind"] for s in data["suggestions"]]
    assert data["suggestions"][0] == {"text": "polarisatie", "kind": "woord", "url": "/?q=polarisatie"}
    assert "titel" in kinds
    titles = [s for s in data["suggestions"] if s["kind"] == "titel"]
    assert all("olarisatie" in s["text"] and s["url"].startswith("/documenten/") for s in titles)
    assert visitor.get("/api/suggest?q=burgemeester inter").get_json()["suggestions"][0]["text"] == \
        "burgemeester internetverbod"


@pytest.mark.parametrize("q", ["", "p", "zzzzzz", "<script>", "a" * 500, "%00"])
def test_suggest_odd_input_is_harmless(visitor, q):
    r = visitor.get("/api/suggest", query_string={"q": q})
    assert r.status_code == 200 and isinstance(r.get_json()["suggestions"], list)


def test_suggest_never_leaks_members_only_words(visitor, member):
    prefix = MEMBERS_ONLY_WORD[:6]
    assert visitor.get(f"/api/suggest?q={prefix}").get_json()["suggestions"] == []
    assert visitor.get("/api/suggest?q=vertrouw").get_json()["suggestions"] == []
    texts = [s["text"] for s in member.get(f"/api/suggest?q={prefix}").get_json()["suggestions"]]
    assert MEMBERS_ONLY_WORD in texts


def test_suggest_opensearch_format(visitor):
    data = visitor.get("/api/suggest?q=inter&format=opensearch").get_json()
    assert data[0] == "inter" and data[1][0] == "internetverbod"


def test_vocabulary_counts_documents_not_occurrences(ui_index):
    from indexer.index import store
    _, index = ui_index
    with store.open_index(store.current_generation(index), "public").searcher() as s:
        words = {w: n for w, _, n in build_vocabulary(s).words}
    assert words["polarisatie"] == 11 and words["internetverbod"] == 2


# ---------------------------------------------------------------- feeds, OpenSearch, OpenAPI

def test_atom_feed_lists_newest_matching_documents(visitor):
    r = visitor.get("/zoeken.atom?q=polarisatie&doctype=Rapport")
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    feed = ET.fromstring(r.data)
    entries = feed.findall(f"{ATOM}entry")
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert len(entries) == 6 and updated == sorted(updated, reverse=True)
    assert "polarisatie" in feed.find(f"{ATOM}title").text
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert all(i.startswith("http://kennisbank.test/documenten/") for i in ids)
    assert not any(MEMBERS_ONLY_ID in i for i in ids)
    assert 'type="application/atom+xml"' in html(visitor, "/?q=polarisatie")  # discoverable from the results


def test_atom_feed_bad_date_is_400(visitor):
    assert visitor.get("/zoeken.atom?q=x&from=gisteren").status_code == 400


def test_opensearch_description(visitor):
    r = visitor.get("/opensearch.xml")
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    root = ET.fromstring(r.data)
    templates = {u.get("type"): u.get("template") for u in root.findall(f"{ns}Url")}
    assert templates["text/html"] == "http://kennisbank.test/?q={searchTerms}"
    assert "/api/suggest?format=opensearch&q={searchTerms}" in templates["application/x-suggestions+json"]
    assert 'rel="search" type="application/opensearchdescription+xml"' in html(visitor, "/")


def test_openapi_documents_every_api_route_and_the_search_shape(ui_app, visitor):
    spec = visitor.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in ui_app.url_map.iter_rules()
              if rule.rule.startswith("/api/")}
    assert routes == set(spec["paths"])
    params = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "page", "per_page", "sort", "doctype", "author", "year", "section", "from", "to"} <= params
    sort = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "sort")
    assert sort["schema"]["enum"] == list(SORTS)
    live = visitor.get("/api/search?q=polarisatie").get_json()
    schemas = spec["components"]["schemas"]
    assert set(live) == set(schemas["SearchResults"]["properties"])
    assert set(live["hits"][0]) == set(schemas["Hit"]["properties"])
    assert set(live["hits"][0]["pages"][0]) == set(schemas["PageHit"]["properties"])
    assert set(live["facets"]) == set(schemas["SearchResults"]["properties"]["facets"]["properties"])
    suggest = visitor.get("/api/suggest?q=pola").get_json()
    assert set(suggest["suggestions"][0]) == set(schemas["Suggestion"]["properties"])


def test_api_search_keeps_its_keys(visitor):
    data = visitor.get("/api/search?q=polarisatie&doctype=Rapport&from=2020").get_json()
    assert list(data)[:5] == ["query", "total", "page", "per_page", "took_ms"]
    assert data["filters"] == {"doctype": ["Rapport"]} and data["total"] == 5


# ---------------------------------------------------------------- no inline code, nothing from other sites

PAGES = ["/", "/?q=polarisatie", "/?q=xylofoon", "/?q=ab*", "/documenten/polarisatie-wijk?q=polarisatie",
         "/help", "/documenten/bestaat-niet"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style_and_no_foreign_assets(visitor, url):
    page = visitor.get(url).get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\sstyle=", page) and "<style" not in page
    assert not re.search(r"\son\w+=", page)  # no inline event handlers
    assets = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"([^\"]*)\"", page)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets


def test_static_assets_are_local(ui_app):
    static = Path(ui_app.static_folder)
    for f in static.iterdir():
        if f.suffix in (".css", ".js"):
            text = f.read_text(encoding="utf-8")
            assert not re.search(r"https?://|@import|url\(\s*['\"]?//", text), f.name
