"""Members-only documents never leak to anonymous visitors, through any surface; members do see them.

A canary document (access: members, with a PDF) holds words found nowhere else. Each surface is one line of
SURFACES: an anonymous visitor must not see any canary marker they did not type themselves, and a logged-in
member must (the positive control that proves the line really reaches the canary). Surfaces that other
branches add (autocomplete, feeds, OpenSearch, more-like-this) are found in app.url_map by name; their lines
are skipped only while no such route exists. Two sweeps add every GET route of the app, so a new route is
tested even before anyone writes its line.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import unquote_plus, urlencode

import pytest
import yaml

from indexer.analysis import dutch_analyzer
from indexer.cli import main
from indexer.index import store
from indexer.index.build import build_index
from indexer.index.pipeline import write_score_tables
from indexer.search.pagerender import PAGE_CACHE_DIRNAME
from search_app import create_app
from tests.conftest import CATALOGUE, FILLER, write_corpus
from tests.members import add_member, login
from tests.pdfs import make_pdf

CANARY_ID = "kanarie-ledendossier"
CANARY_PDF = "kanarie-geheim.pdf"
TITLE_WORD, SUMMARY_WORD, PAGE_WORD = "zwanenveerkwast", "pelikaanoverleg", "flamingoprotocol"
AUTHOR, SECTION = "Bureau IJsvogelzang", "Kolibriedossiers"
PUBLIC_TWIN = "rapport-online-ordeverstoringen"  # the public document the canary is written to resemble

# What must never reach an anonymous visitor. Markers are word starts that survive Dutch stemming, so they
# also catch index terms (spelling suggestions, autocomplete) and not only displayed text.
MARKERS = (CANARY_ID, "kanarie-geheim", "zwanenveer", "pelikaanover", "flamingoproto", "ijsvogelzang", "kolibrie")

CANARY_RECORD = {
    "id": CANARY_ID,
    "title": f"{TITLE_WORD.capitalize()} en de aanpak van online aangejaagde ordeverstoringen",
    "summary": f"Vertrouwelijk verslag van het {SUMMARY_WORD} over online aangejaagde ordeverstoringen "
               "door gemeenten.",
    "date": "2025-10-01",  # the newest document, so it heads every "newest first" list and feed
    "author": AUTHOR,
    "doctype": "Rapport",  # shared with a public document: its facet count must not grow for visitors
    "section": SECTION,
    "pdf": CANARY_PDF,
    "access": "members",
}


def canary_pdf_pages() -> list[str]:
    """The canary's pages: the public twin's chapters plus the canary words, so more-like-this would pick it."""
    return [
        f"Inleiding. {TITLE_WORD} {SUMMARY_WORD}. " + FILLER * 3,
        f"Hoofdstuk 1. De rol van de burgemeester bij online oproepen. Het {PAGE_WORD} geldt. " + FILLER * 3,
        "Hoofdstuk 2. Het overleg van de gemeenten in de regio. " + FILLER * 2,
        "Hoofdstuk 3. Conclusies over handhaving. " + FILLER * 3,
    ]


def forbidden(typed: str) -> list[str]:
    """Markers the visitor did not type: echoing your own query back is not a leak."""
    typed = unquote_plus(typed).lower()
    return [m for m in MARKERS if m not in typed]


def leaked(body: str, typed: str) -> list[str]:
    """Return the canary markers in a response body that the visitor did not type."""
    low = body.lower()
    return [m for m in forbidden(typed) if m in low]


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def leak_corpus(tmp_path_factory):
    """The test corpus plus the canary, built; and the same corpus without it, built separately."""
    root = tmp_path_factory.mktemp("leaks")
    plain_index = root / "plain-index"
    build_index(write_corpus(root / "plain"), plain_index)

    corpus = write_corpus(root / "corpus")
    catalogue = yaml.safe_load(CATALOGUE)
    catalogue["documents"].append(CANARY_RECORD)
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False),
                                           encoding="utf-8")
    make_pdf(corpus / "pdf" / CANARY_PDF, canary_pdf_pages(), title=f"{TITLE_WORD} kanarie-geheim")
    index = root / "index"
    report = build_index(corpus, index)
    assert report.documents == report.public_documents + 1
    return corpus, index, plain_index


@pytest.fixture(scope="module")
def leak_app(leak_corpus, tmp_path_factory):
    """The app over the canary corpus, with one member account."""
    corpus, index, _ = leak_corpus
    instance = tmp_path_factory.mktemp("leak-instance")
    add_member(instance)
    return create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                       "INSTANCE_DIR": str(instance), "SECRET_KEY": "leak-test-key"})


@pytest.fixture
def anon(leak_app):
    """An anonymous visitor."""
    return leak_app.test_client()


@pytest.fixture(scope="module")
def leak_member(leak_app):
    """A logged-in member (one login for the module; no test logs out)."""
    client = leak_app.test_client()
    assert login(client).status_code == 303
    return client


# ---------------------------------------------------------------- the table of surfaces

def spelling_suggests(client) -> bool:
    """True once "Bedoelde u" exists: a typo of a public word gets a suggestion."""
    return bool(client.get("/api/search?q=polarisatei").get_json().get("suggestion"))


@dataclass(frozen=True)
class Surface:
    """One place a document could show: a fixed URL, or a route found by name once some branch adds it."""

    name: str
    url: str = ""               # the URL, or for a route-found surface only its query string
    route: str | None = None    # regex on url_map rules; None = a URL of the app as it is now
    member_sees: bool = True    # positive control: a member sees the canary here
    feature: Callable | None = None  # the member check waits until this says the behaviour exists
    args: dict | None = None    # values for route arguments such as <doc_id>


SUGGEST = r"suggest|autocomplet|typeahead|complete"
FEED = r"feed|atom|rss"
OPENSEARCH = r"opensearch"
SIMILAR = r"similar|related|verwant|vergelijkbaar|soortgelijk|mlt|more.?like"

SURFACES = [
    # search results, totals, facets, snippets
    Surface("results html: title word", f"/?q={TITLE_WORD}"),
    Surface("results json: title word", f"/api/search?q={TITLE_WORD}"),
    Surface("results html: summary word", f"/?q={SUMMARY_WORD}"),
    Surface("results json: page word (snippets, pages)", f"/api/search?q={PAGE_WORD}"),
    Surface("results html: page word (snippets, pages)", f"/?q={PAGE_WORD}"),
    Surface("results html: shared word (totals, facets)", "/?q=gemeente"),
    Surface("results json: shared word (totals, facets)", "/api/search?q=gemeente"),
    Surface("results json: prefix", "/api/search?q=zwanen*"),
    Surface("results json: field query", f"/api/search?q=titel:{TITLE_WORD}"),
    Surface("results json: newest first, no query", "/api/search?sort=nieuwste"),
    Surface("results html: doctype facet, newest first", "/?doctype=Rapport&sort=nieuwste"),
    Surface("results json: canary section as filter", "/api/search?" + urlencode({"section": SECTION})),
    Surface("results html: canary author as filter", "/?" + urlencode({"author": AUTHOR})),
    Surface("results json: canary year as filter", "/api/search?year=2025"),
    # "Bedoelde u": the typo drops one letter of the marker, so the visitor never typed the marker
    Surface("suggestion json: typo of title word", "/api/search?q=zwanenverkwast", feature=spelling_suggests),
    Surface("suggestion html: typo of title word", "/?q=zwanenverkwast", feature=spelling_suggests),
    Surface("suggestion json: typo of page word", "/api/search?q=flamingprotocol", feature=spelling_suggests),
    # the document itself
    Surface("document page", f"/documenten/{CANARY_ID}"),
    Surface("document page with query", f"/documenten/{CANARY_ID}?q={PAGE_WORD}"),
    Surface("PDF", f"/documenten/{CANARY_ID}/pdf"),
    Surface("PDF at a page", f"/documenten/{CANARY_ID}/pdf?page=2"),
    Surface("page view", f"/documenten/{CANARY_ID}/pagina/2"),
    Surface("page view with query (marks, matching pages)", f"/documenten/{CANARY_ID}/pagina/2?q={PAGE_WORD}"),
    Surface("page image", f"/documenten/{CANARY_ID}/pagina/2/afbeelding-750.webp", member_sees=False),
    Surface("public twin's page view with canary word", f"/documenten/{PUBLIC_TWIN}/pagina/2?q={PAGE_WORD}",
            member_sees=False),
    Surface("citation as RIS", f"/documenten/{CANARY_ID}/citaat.ris"),
    Surface("citation as BibTeX at a page", f"/documenten/{CANARY_ID}/citaat.bib?pagina=2"),
    # exports of a search: every result, not one page of them
    Surface("export csv: title word", f"/zoeken.csv?q={TITLE_WORD}"),
    Surface("export ris: page word", f"/zoeken.ris?q={PAGE_WORD}"),
    Surface("export bibtex: canary author as filter", "/zoeken.bib?" + urlencode({"author": AUTHOR})),
    Surface("export csv: everything, newest first", "/zoeken.csv?sort=nieuwste"),
    # listings and pages around it
    Surface("start page listing", "/"),
    Surface("public twin's page (more-like-this)", f"/documenten/{PUBLIC_TWIN}", member_sees=False),
    Surface("public twin's page with canary word", f"/documenten/{PUBLIC_TWIN}?q={PAGE_WORD}", member_sees=False),
    Surface("health", "/api/health", member_sees=False),
    Surface("help", "/help", member_sees=False),
    Surface("login page", "/inloggen", member_sees=False),
    # surfaces other branches add: found by route name; skipped while no such route exists
    Surface("autocomplete: title word prefix", "q=zwanenv", route=SUGGEST),
    Surface("autocomplete: page word prefix", "q=flamingopr", route=SUGGEST),
    Surface("autocomplete: summary word prefix", "q=pelikaan", route=SUGGEST),
    Surface("feed", "", route=FEED, member_sees=False),  # feed readers carry no login
    Surface("feed for a query", "q=gemeente", route=FEED, member_sees=False),
    Surface("OpenSearch description", "", route=OPENSEARCH, member_sees=False),
    Surface("OpenSearch suggestions", "q=zwanenv", route=OPENSEARCH, member_sees=False),
    Surface("more-like-this of the public twin", "", route=SIMILAR, member_sees=True,
            args={"doc_id": PUBLIC_TWIN}),
    # A member asking what resembles the canary gets public documents: nothing of the canary to see there, so only
    # the anonymous side (a 404 like any unknown id) is checked for this line.
    Surface("more-like-this of the canary", "", route=SIMILAR, member_sees=False, args={"doc_id": CANARY_ID}),
]


def urls_for(app, surface: Surface) -> list[str]:
    """Return the URLs a surface stands for; skip the test while a route-found surface has no route yet."""
    if surface.route is None:
        return [surface.url]
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods or not re.search(surface.route, rule.rule, re.I):
            continue
        values = surface.args or {}
        if set(rule.arguments) != set(values):
            continue
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, path)
        urls.append(path + (f"?{surface.url}" if surface.url else ""))
    if not urls:
        pytest.skip(f"no route matching /{surface.route}/ with arguments {sorted(surface.args or {})} yet")
    return urls


def fetch(client, url: str):
    """GET a URL and return (status, body bytes), closing the response (PDFs are streamed from a file)."""
    with client.get(url) as r:
        return r.status_code, r.get_data()


def text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_anonymous_visitor_never_sees_the_canary(leak_app, anon, surface):
    for url in urls_for(leak_app, surface):
        status, data = fetch(anon, url)
        assert status < 500, (url, status)
        assert not data.startswith(b"%PDF"), url
        assert leaked(text(data), url) == [], (url, leaked(text(data), url))


@pytest.mark.parametrize("surface", [s for s in SURFACES if s.member_sees], ids=lambda s: s.name)
def test_member_sees_the_canary(leak_app, leak_member, surface):
    if surface.feature and not surface.feature(leak_app.test_client()):
        pytest.skip(f"{surface.feature.__name__}: that behaviour does not exist yet")
    for url in urls_for(leak_app, surface):
        status, data = fetch(leak_member, url)
        assert status == 200, (url, status)
        if data.startswith(b"%PDF"):
            continue  # the canary's own PDF, served
        assert leaked(text(data), url), f"{url}: the member does not see the canary, so this line tests nothing"


# ---------------------------------------------------------------- sweeps over every route of the app

SWEEP_QUERIES = ["", "q=gemeente", "q=zwanenv", "q=zwanenverkwast", "q=flamingopr", "q=gemeente&sort=nieuwste"]


def get_routes(app, with_arguments: set[str] | None = None) -> list:
    return [r for r in app.url_map.iter_rules()
            if r.endpoint != "static" and "GET" in r.methods and set(r.arguments) == (with_arguments or set())]


def test_every_route_without_arguments_hides_the_canary(leak_app, anon):
    routes = get_routes(leak_app)
    assert {"/", "/api/search"} <= {r.rule for r in routes}
    for rule in routes:
        for qs in SWEEP_QUERIES:
            url = rule.rule + (f"?{qs}" if qs else "")
            status, data = fetch(anon, url)
            assert status < 500, (url, status)
            assert leaked(text(data), url) == [], (url, leaked(text(data), url))


def test_every_route_of_a_document_answers_404_for_the_canary(leak_app, anon, leak_member):
    """No per-document route (page, PDF, and any added later) reveals that the canary exists."""
    routes = get_routes(leak_app, {"doc_id"})
    assert len(routes) >= 2
    for rule in routes:
        canary = re.sub(r"<(?:[^:<>]+:)?doc_id>", CANARY_ID, rule.rule)
        missing = re.sub(r"<(?:[^:<>]+:)?doc_id>", "bestaat-niet-xyz", rule.rule)
        (status, data), (_, data_missing) = fetch(anon, canary), fetch(anon, missing)
        assert status == 404, (canary, status)
        assert text(data).replace(CANARY_ID, "bestaat-niet-xyz") == text(data_missing), canary
        assert fetch(leak_member, canary)[0] == 200, canary


def test_members_pages_are_never_rendered_or_cached_for_visitors(leak_corpus, leak_app, anon, leak_member):
    """A visitor's request for a members' page image is a 404 before anything renders; a member's lands apart."""
    _, index, _ = leak_corpus
    cache = index / PAGE_CACHE_DIRNAME
    urls = [f"/documenten/{CANARY_ID}/pagina/{n}/afbeelding-{w}.webp" for n in (1, 2) for w in (750, 1500)]
    for url in urls:
        assert fetch(anon, url)[0] == 404
    assert not list(cache.rglob(f"{CANARY_ID}-*"))
    with leak_member.get(urls[0]) as r:
        assert r.status_code == 200 and r.mimetype == "image/webp"
        assert "private" in r.headers["Cache-Control"] and "public" not in r.headers["Cache-Control"]
    assert [p.parent.name for p in cache.rglob(f"{CANARY_ID}-*")] == ["members"]
    # Cached now, and still a 404 for the visitor.
    assert [fetch(anon, url)[0] for url in urls] == [404] * len(urls)
    with anon.get(f"/documenten/{PUBLIC_TWIN}/pagina/1/afbeelding-750.webp") as r:
        assert r.status_code == 200 and "public" in r.headers["Cache-Control"]


# ---------------------------------------------------------------- numbers: totals, facet counts, scores

def facet(data: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in data["facets"][name]}


def test_totals_and_facet_counts_leave_the_canary_out(anon, leak_member):
    a = anon.get("/api/search?q=gemeente").get_json()
    m = leak_member.get("/api/search?q=gemeente").get_json()
    assert CANARY_ID in [h["id"] for h in m["hits"]]
    assert a["total"] == m["total"] - 1
    assert facet(a, "doctype")["Rapport"] == facet(m, "doctype")["Rapport"] - 1
    assert AUTHOR in facet(m, "author") and AUTHOR not in facet(a, "author")
    assert SECTION in facet(m, "section") and SECTION not in facet(a, "section")
    assert "2025" in facet(m, "year") and "2025" not in facet(a, "year")
    html = anon.get("/?q=gemeente").get_data(as_text=True)
    assert f"{a['total']} resultaten" in html and f"{m['total']} resultaten" not in html


@pytest.mark.parametrize("name, value", [("section", SECTION), ("author", AUTHOR), ("year", "2025")])
def test_filtering_on_canary_values_finds_nothing_for_visitors(anon, leak_member, name, value):
    qs = urlencode({name: value})
    data = anon.get(f"/api/search?{qs}").get_json()
    assert data["total"] == 0 and data["hits"] == []
    assert facet(data, name)[value] == 0  # the value you chose is shown, with nothing behind it
    assert all(v["count"] == 0 for f in data["facets"].values() for v in f if f is not data["facets"][name])
    assert leak_member.get(f"/api/search?{qs}").get_json()["total"] == 1


def test_scores_are_those_of_an_index_that_never_held_the_canary(leak_corpus, anon, tmp_path):
    """Term statistics of member documents must not shift anonymous scores (one shared index would)."""
    corpus, _, plain_index = leak_corpus
    plain = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(plain_index),
                        "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x"}).test_client()
    for q in ("gemeente", "online ordeverstoringen", "burgemeester handhaving", "polarisatie"):
        got = anon.get(f"/api/search?q={q}").get_json()
        want = plain.get(f"/api/search?q={q}").get_json()
        assert [(h["id"], h["score"]) for h in got["hits"]] == [(h["id"], h["score"]) for h in want["hits"]], q
        assert got["suggestion"] == want["suggestion"] and got["facets"] == want["facets"], q


def test_start_page_gives_visitors_only_the_count(anon, leak_member):
    html = anon.get("/").get_data(as_text=True)
    assert re.search(r"\b1\b[^<]{0,40}extra|extra[^<]{0,40}\b1\b", html), "visitors are told 1 more document exists"
    assert CANARY_ID in leak_member.get("/").get_data(as_text=True)


def test_more_like_this_on_the_public_twin_offers_the_canary_to_members_only(anon, leak_member):
    """Once document pages list similar documents, the canary (written to resemble the twin) is one of them."""
    def others(client) -> set[str]:
        html = client.get(f"/documenten/{PUBLIC_TWIN}").get_data(as_text=True)
        return set(re.findall(r'href="/documenten/([a-z0-9-]+)"', html)) - {PUBLIC_TWIN}
    if not others(anon):
        pytest.skip("document pages do not link to other documents yet (no more-like-this)")
    assert CANARY_ID not in others(anon)
    assert CANARY_ID in others(leak_member)


# ---------------------------------------------------------------- the command line

CLI_SEARCHES = [["gemeente"], ["gemeente", "--json"], [TITLE_WORD], [PAGE_WORD, "--json"], ["zwanen*"],
                ["zwanenverkwast", "--json"]]


@pytest.mark.parametrize("args", CLI_SEARCHES, ids=" ".join)
def test_cli_search_without_members_hides_the_canary(runner, leak_corpus, args):
    _, index, _ = leak_corpus
    r = runner.invoke(main, ["search", *args, "--index", str(index)])
    assert r.exit_code == 0, r.output
    assert leaked(r.output, " ".join(args)) == [], r.output


@pytest.mark.parametrize("args", [a for a in CLI_SEARCHES if a[0] != "zwanenverkwast"], ids=" ".join)
def test_cli_search_with_members_shows_the_canary(runner, leak_corpus, args):
    _, index, _ = leak_corpus
    r = runner.invoke(main, ["search", *args, "--members", "--index", str(index)])
    assert r.exit_code == 0, r.output
    assert CANARY_ID in r.output


def test_cli_json_totals_differ_by_the_canary_only(runner, leak_corpus):
    _, index, _ = leak_corpus
    public = json.loads(runner.invoke(main, ["search", "gemeente", "--json", "--index", str(index)]).output)
    everyone = json.loads(runner.invoke(main, ["search", "gemeente", "--json", "--members", "--index",
                                               str(index)]).output)
    assert public["total"] == everyone["total"] - 1


def test_cli_stats_shows_no_canary_content(runner, leak_corpus):
    # `stats` is the maintainers' tool (they edit the catalogue that lists every id), so its build report may
    # name member document ids (added/replaced/removed); it must still print none of their content.
    _, index, _ = leak_corpus
    r = runner.invoke(main, ["stats", "--json", "--index", str(index)])
    assert r.exit_code == 0 and leaked(r.output, CANARY_ID) == []


def test_public_score_tables_hold_no_member_words(leak_corpus, tmp_path):
    # Stored score tables (indexer.scoretables) name their words: the public ones must come from the public index.
    _, index, _ = leak_corpus
    gen = tmp_path / "gen"
    gen.mkdir()
    store.copy_generation(store.current_generation(index), gen)
    write_score_tables(gen, min_postings=1)  # every word gets a table
    words = {name: {key.split("\t")[1] for key in json.loads((gen / "scores" / f"{name}.json").read_text())["tables"]}
             for name in store.INDEX_NAMES}
    canary = {t.text for marker in MARKERS[2:] for t in dutch_analyzer()(marker)}
    assert canary & words["all"]  # the members' tables do hold them: the check reaches the canary
    assert not canary & words["public"]
