"""Issue 15, hardening round two: each finding of the outside attack reproduced, and now refused.

One test (or a few) per row of the issue's table; the names say which row.
"""
from __future__ import annotations

import logging
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index.build import build_index
from search_app import create_app
from tests.members import MEMBER, login
from tests.pdfs import make_pdf

MEMBERS_ID, PUBLIC_ID = "ledendossier", "openbaar-dossier"
CATALOGUE = f"""\
documents:
  - id: {PUBLIC_ID}
    title: Openbaar dossier polarisatie
    summary: Een openbaar dossier over polarisatie.
    date: 2024-01-01
    author: VAR
    doctype: Rapport
    section: Praktische hulp
    pdf: openbaar.pdf
  - id: {MEMBERS_ID}
    title: Ledendossier polarisatie
    summary: Een dossier over polarisatie alleen voor leden.
    date: 2024-02-01
    author: NCTV
    doctype: Rapport
    section: Praktische hulp
    pdf: leden.pdf
    access: members
"""


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory):
    """Two documents with PDFs, one for members only, built once."""
    root = tmp_path_factory.mktemp("hardening")
    pdf = root / "corpus" / "pdf"
    pdf.mkdir(parents=True)
    (root / "corpus" / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    make_pdf(pdf / "openbaar.pdf", ["Polarisatie in de wijk, pagina een.", "Pagina twee over dialoog."])
    make_pdf(pdf / "leden.pdf", ["Vertrouwelijk: reigerprotocol over polarisatie."])
    build_index(root / "corpus", root / "index")
    return root / "corpus", root / "index"


def make_app(corpus_index, instance, **config):
    corpus, index = corpus_index
    return create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                       "INSTANCE_DIR": str(instance), "SECRET_KEY": "hardening-test", **config})


@pytest.fixture
def app(corpus_index, instance):
    return make_app(corpus_index, instance)


@pytest.fixture
def client(app):
    return app.test_client()


# ---------------------------------------------------------------- `?pagina=²` gave a 500

def test_superscript_two_as_page_number_no_longer_gives_a_500(client):
    r = client.get(f"/documenten/{PUBLIC_ID}?pagina=%C2%B2")
    assert r.status_code == 200 and "(p. " not in r.get_data(as_text=True)
    r = client.get(f"/documenten/{PUBLIC_ID}?pagina=2")
    assert "(p. 2)" in r.get_data(as_text=True)


INTEGER_PARAMETERS = [("/", "page"), ("/", "per_page"), ("/api/search", "page"), ("/api/search", "per_page"),
                      ("/zoeken.atom", "page"), ("/zoeken.atom", "per_page"),
                      (f"/documenten/{PUBLIC_ID}", "pagina"), ("/api/suggest", "limit")]


def test_the_list_of_integer_parameters_is_complete():
    """Every int(...) or parse_int(...) of a request value in the app belongs to a parameter listed above."""
    import search_app
    from pathlib import Path
    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(search_app.__file__).parent.glob("*.py"))
    named = set(re.findall(r"""(?:_int\(args, |parse_int\(request\.args\.get\()"(\w+)\"""", source))
    assert named and named <= {name for _, name in INTEGER_PARAMETERS}
    assert not re.search(r"\bint\(request\.", source)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(INTEGER_PARAMETERS), value=st.text(max_size=30) | st.integers().map(str)
       | st.sampled_from(["²", "١٢", "1_0", " 7 ", "+3", "-0", "0x10", "9" * 5000, "1e3", "ⅷ", "𝟗"]))
def test_no_integer_parameter_of_any_route_gives_a_server_error(client, route, value):
    path, name = route
    r = client.get(f"{path}?q=polarisatie&{name}={quote(value, safe='')}")
    assert r.status_code in (200, 400), (path, name, value, r.status_code)
    if path.startswith("/api/") and r.status_code == 400:
        assert r.get_json()["error"]


# ---------------------------------------------------------------- 405 and 413 were Werkzeug's English pages

def test_method_not_allowed_is_dutch(client):
    r = client.post("/help")
    assert r.status_code == 405 and "Methode niet toegestaan" in r.get_data(as_text=True)
    assert "Method Not Allowed" not in r.get_data(as_text=True) and "GET" in r.headers["Allow"]
    r = client.delete("/api/search")
    assert r.status_code == 405 and r.get_json()["error"] == "Deze methode is hier niet toegestaan."


def test_request_too_large_is_dutch(client):
    r = client.post("/inloggen", data={"gebruikersnaam": "x" * 100_000, "wachtwoord": "y"})
    assert r.status_code == 413 and "Verzoek te groot" in r.get_data(as_text=True)
    assert "Request Entity Too Large" not in r.get_data(as_text=True)


# ---------------------------------------------------------------- %0A forged lines in the request log

def test_a_newline_in_the_path_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="kennisbank.requests"):
        client.get("/documenten/x%0AINFO:kennisbank.requests:GET%20/forged%20200%0D\u2028")
    lines = [r.getMessage() for r in caplog.records if r.name == "kennisbank.requests"]
    assert len(lines) == 1 and "\n" not in lines[0] and "\r" not in lines[0] and "\u2028" not in lines[0]
    assert "x\\x0aINFO:kennisbank.requests:GET /forged 200\\x0d\\u2028" in lines[0] and " 404 " in lines[0]


# ---------------------------------------------------------------- member content in the browser cache

def test_members_pages_and_pdfs_are_no_store(client):
    with client.get(f"/documenten/{PUBLIC_ID}/pdf") as anonymous_pdf:
        assert "max-age=3600" in anonymous_pdf.headers["Cache-Control"]  # public files may still be cached
    assert login(client).status_code == 303
    for path in (f"/documenten/{MEMBERS_ID}", f"/documenten/{MEMBERS_ID}/pdf", f"/documenten/{PUBLIC_ID}/pdf",
                 "/?q=reigerprotocol", "/api/search?q=reigerprotocol", "/"):
        with client.get(path) as r:
            assert r.status_code == 200, path
            cache = r.headers["Cache-Control"]
            assert "no-store" in cache and "private" in cache and "max-age" not in cache, (path, cache)
            assert r.headers.get("Expires") is None and "public" not in cache


# ---------------------------------------------------------------- repeated facet filters blew up the HTML

def test_repeated_long_filters_get_a_short_dutch_refusal_not_a_32_mb_page(client):
    """The attack: doctype, author, year and section each 20 times with 2,500-character values."""
    value = "polarisatie" * 228  # 2,508 characters
    params = "&".join(f"{name}={value}{i}" for name in ("doctype", "author", "year", "section") for i in range(20))
    r = client.get(f"/?q=polarisatie&{params}")
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "hoogstens" in body
    assert len(body) < 20_000 and value not in body  # the refusal does not echo the input (nor the login link)
    r = client.get(f"/api/search?q=polarisatie&{params}")
    assert r.status_code == 400 and "hoogstens" in r.get_json()["error"]


@pytest.mark.parametrize("params, message", [
    ("&".join(f"author=a{i}" for i in range(21)), "hoogstens 20 filterwaarden"),
    ("author=" + "a" * 201, "hoogstens 200 tekens"),
    ("&".join(f"author={c * 150}" for c in "abcd"), "samen mogen hoogstens 500 tekens"),
])
def test_each_cap_on_filter_values_has_its_own_dutch_message(client, params, message):
    r = client.get(f"/?q=polarisatie&{params}")
    assert r.status_code == 400 and message in r.get_data(as_text=True)


def page_size(client, length: int, junk: int = 0) -> int:
    """Bytes of a results page with 20 author filters of that length and junk parameters of 1,000 bytes."""
    params = [f"author={i:02d}{'a' * (length - 2)}" for i in range(20)] + [f"x{i}={'j' * 1000}" for i in range(junk)]
    r = client.get("/?q=polarisatie&" + "&".join(params))
    assert r.status_code == 200
    return len(r.get_data())


def test_page_size_grows_linearly_with_the_input_and_not_at_all_with_unknown_parameters(client):
    base = client.get("/?q=polarisatie").get_data()
    ten, twenty_five = page_size(client, 10) - len(base), page_size(client, 25) - len(base)
    assert twenty_five < 2.6 * ten  # 2.5 times the input, 2.5 times the page
    assert page_size(client, 25, junk=150) == page_size(client, 25)  # 150 kB of junk is not copied into links
    assert page_size(client, 25) < 250_000  # the most filters allowed (20 values, 500 characters)


# ---------------------------------------------------------------- the score-table cache kept every miss

def test_tables_of_words_in_no_document_count_and_are_evicted():
    from indexer.search.tables import TermScores
    terms = TermScores(limit=1_000, max_tables=10**9)
    for i in range(5_000):
        terms.cached(("content", f"woord{i}"), dict)  # a word in no document: a table of 0 postings
    assert terms.postings <= 1_000 and len(terms) < 200
    capped = TermScores(limit=10**9, max_tables=50)
    for i in range(5_000):
        capped.cached(("content", f"woord{i}"), dict)
    assert len(capped) == 50


def test_many_distinct_random_queries_keep_every_cache_within_its_bound(corpus_index):
    """The attack: hundreds of queries of random words grew server memory linearly (+38 MB per 300)."""
    import random
    from indexer.index import store
    from indexer.search import QueryService, SearchRequest, searcher_cache
    corpus, index = corpus_index
    service, rnd = QueryService(corpus), random.Random(15)
    with store.open_index(store.current_generation(index), "all").searcher() as searcher:
        cache = searcher_cache(searcher)
        cache.terms.max_tables = 100  # the real bound is 20,000; a small one is reached in fewer queries
        for _ in range(400):
            words = ["".join(rnd.choice("abcdefghijklmnoprstuvwz") for _ in range(rnd.randint(4, 12)))
                     for _ in range(rnd.randint(1, 8))]
            service.search(searcher, SearchRequest(q=" ".join(words) + " polarisatie"))
            service.document_pages(searcher, words[0], "polarisatie")  # an id that does not exist
        assert len(cache.terms) == 100 and cache.terms.postings <= cache.terms.limit  # was: one per word, kept
        assert set(cache._pages) <= {PUBLIC_ID, MEMBERS_ID}  # was: one entry per id asked for
        assert len(cache.blocks._maps) <= cache.blocks.limit and cache.blocks.blocks <= cache.blocks.max_blocks


# ---------------------------------------------------------------- logout did not end the session on the server

def copied_cookie(app, client):
    """A second browser holding a copy of the client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def members_pdf(client) -> int:
    with client.get(f"/documenten/{MEMBERS_ID}/pdf") as r:
        return r.status_code


def test_a_copied_cookie_is_worthless_after_logout_even_after_a_restart(corpus_index, instance, app, client):
    from tests.members import csrf_from
    login(client)
    thief = copied_cookie(app, client)
    assert members_pdf(thief) == 200  # the copy works while the member is logged in
    assert client.post("/uitloggen", data={"csrf_token": csrf_from(client, "/")}).status_code == 303
    assert members_pdf(thief) == 404 and members_pdf(client) == 404
    restarted = make_app(corpus_index, instance).test_client()
    restarted.set_cookie("session", thief.get_cookie("session").value)
    assert members_pdf(restarted) == 404


def test_the_cookie_holds_only_a_random_session_id(app, client):
    import base64
    import json
    login(client)
    payload = client.get_cookie("session").value.split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(data) <= {"sid", "csrf", "_permanent"} and MEMBER not in json.dumps(data)


def test_sessions_end_after_their_absolute_lifetime_however_active(corpus_index, instance):
    import datetime as dt
    import time
    app = make_app(corpus_index, instance, SESSION_ABSOLUTE_LIFETIME=dt.timedelta(seconds=4))
    client = app.test_client()
    started = time.monotonic()
    login(client)
    logged_in = time.monotonic()  # the session was created between started and logged_in
    assert members_pdf(client) == 200
    time.sleep(1.5)
    if time.monotonic() - started < 3.5:  # (a stalled machine could take us past the lifetime already)
        assert members_pdf(client) == 200  # active, renewed...
    time.sleep(max(0.0, logged_in + 4.2 - time.monotonic()))
    assert members_pdf(client) == 404  # ...but not beyond the absolute lifetime


def test_sessions_and_revoke_commands(app, client, instance, runner):
    from indexer.cli import main
    login(client)
    r = runner.invoke(main, ["users", "sessions", MEMBER, "--instance", str(instance)])
    assert r.exit_code == 0 and "heeft 1 sessie:" in r.output and "adres 127.0.0.1" in r.output
    r = runner.invoke(main, ["users", "revoke", MEMBER, "--instance", str(instance)])
    assert r.exit_code == 0 and "1 sessie van 'lid' beëindigd." in r.output
    assert members_pdf(client) == 404
    r = runner.invoke(main, ["users", "sessions", MEMBER, "--instance", str(instance)])
    assert "'lid' heeft geen lopende sessies." in r.output


def test_password_change_and_removal_by_the_cli_end_sessions(app, client, instance, runner):
    from indexer.cli import main
    login(client)
    r = runner.invoke(main, ["users", "passwd", MEMBER, "--instance", str(instance)], input="een ander wachtwoord\n")
    assert r.exit_code == 0 and members_pdf(client) == 404
    assert runner.invoke(main, ["users", "sessions", MEMBER, "--instance", str(instance)]).output.startswith(
        "'lid' heeft geen")


# ---------------------------------------------------------------- the login limit could be raced / used to lock out

def test_parallel_wrong_passwords_from_many_addresses_get_at_most_the_limit_checked(app):
    """The attack: 30 parallel wrong passwords for one account from 30 addresses; 8 were checked, not 5."""
    from concurrent.futures import ThreadPoolExecutor
    from tests.members import csrf_from

    def attempt(i):
        c = app.test_client()
        c.environ_base["REMOTE_ADDR"] = f"127.0.1.{i}"
        return c.post("/inloggen", data={"csrf_token": csrf_from(c), "gebruikersnaam": MEMBER,
                                         "wachtwoord": f"fout wachtwoord {i}"}).status_code
    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(attempt, range(30)))
    assert statuses.count(401) == 5 and statuses.count(429) == 25


def test_failures_from_another_address_only_slow_a_member_down(corpus_index, instance):
    """The attack: 5 failures from 127.0.0.2 kept the member out for 15 minutes; now for the delay only."""
    import time
    app = make_app(corpus_index, instance, LOGIN_ACCOUNT_DELAY=1)
    attacker, member = app.test_client(), app.test_client()
    attacker.environ_base["REMOTE_ADDR"], member.environ_base["REMOTE_ADDR"] = "127.0.0.2", "127.0.0.3"
    for _ in range(5):
        assert login(attacker, MEMBER, "fout wachtwoord").status_code == 401
    r = login(member)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) <= 1
    time.sleep(1.1)
    assert login(member).status_code == 303
    assert login(attacker, MEMBER, "fout wachtwoord").status_code == 429  # the attacker's address still waits


def test_default_delay_is_about_a_minute_and_counts_survive_a_restart(corpus_index, instance):
    app = make_app(corpus_index, instance)
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    for _ in range(5):
        login(attacker, MEMBER, "fout wachtwoord")
    restarted = make_app(corpus_index, instance).test_client()
    restarted.environ_base["REMOTE_ADDR"] = "127.0.0.3"
    r = login(restarted)
    assert r.status_code == 429 and 50 <= int(r.headers["Retry-After"]) <= 60


# ---------------------------------------------------------------- the Host header ended up in absolute links

def test_absolute_links_come_from_the_base_url_never_from_the_host_header(corpus_index, instance):
    client = make_app(corpus_index, instance, BASE_URL="https://kennisbank.example.nl/").test_client()
    evil = {"Host": "evil.example"}
    for path in ("/opensearch.xml", "/zoeken.atom?q=polarisatie", f"/documenten/{PUBLIC_ID}"):
        body = client.get(path, headers=evil).get_data(as_text=True)
        assert "evil.example" not in body, path
        assert "https://kennisbank.example.nl/" in body, path
    atom = client.get("/zoeken.atom?q=polarisatie", headers=evil).get_data(as_text=True)
    assert f"<id>https://kennisbank.example.nl/documenten/{PUBLIC_ID}</id>" in atom


def test_a_base_url_that_is_no_url_is_refused_at_start(corpus_index, instance):
    with pytest.raises(ValueError, match="KENNISBANK_BASE_URL"):
        make_app(corpus_index, instance, BASE_URL="evil.example")


# ---------------------------------------------------------------- index folders were world-readable

def test_index_and_instance_folders_are_owner_only(corpus_index, instance, app, client):
    import stat
    _, index = corpus_index
    assert stat.S_IMODE(index.stat().st_mode) == 0o700
    login(client)
    assert stat.S_IMODE((instance / "kennisbank.sqlite3").stat().st_mode) == 0o600


# ---------------------------------------------------------------- an unlisted PDF was public, even a members' copy

def unlisted_corpus(root, unlisted_access: str | None):
    """The two-document corpus plus PDFs no record names: a new note, and a copy and a link of the members' PDF."""
    pdf = root / "corpus" / "pdf"
    pdf.mkdir(parents=True)
    head = f"unlisted_access: {unlisted_access}\n" if unlisted_access else ""
    (root / "corpus" / "catalogue.yaml").write_text(head + CATALOGUE, encoding="utf-8")
    make_pdf(pdf / "openbaar.pdf", ["Polarisatie in de wijk."])
    make_pdf(pdf / "leden.pdf", ["Vertrouwelijk: reigerprotocol over polarisatie."])
    make_pdf(pdf / "losse-notitie.pdf", ["Een losse notitie over het ooievaarsoverleg."])
    (pdf / "kopie.pdf").write_bytes((pdf / "leden.pdf").read_bytes())
    (pdf / "link.pdf").symlink_to(pdf / "leden.pdf")
    return root / "corpus"


def anonymous_finds(corpus, index, instance, word) -> list[str]:
    client = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                         "INSTANCE_DIR": str(instance), "SECRET_KEY": "t"}).test_client()
    return [h["id"] for h in client.get(f"/api/search?q={word}").get_json()["hits"]]


def test_unlisted_pdfs_are_for_members_unless_the_maintainer_says_public(tmp_path, instance):
    corpus = unlisted_corpus(tmp_path, None)
    report = build_index(corpus, tmp_path / "index")
    assert report.public_documents == 1  # only the listed public one; 3 unlisted PDFs went to members
    assert anonymous_finds(corpus, tmp_path / "index", instance, "ooievaarsoverleg") == []
    assert anonymous_finds(corpus, tmp_path / "index", instance, "reigerprotocol") == []


def test_a_copy_or_link_of_a_members_pdf_is_never_public(tmp_path, instance):
    """The attack: copy or link a members PDF under another name, build: anonymous search served its content."""
    corpus = unlisted_corpus(tmp_path, "public")
    build_index(corpus, tmp_path / "index")
    assert anonymous_finds(corpus, tmp_path / "index", instance, "ooievaarsoverleg") == ["losse-notitie"]
    assert anonymous_finds(corpus, tmp_path / "index", instance, "reigerprotocol") == []
    client = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(tmp_path / "index"),
                         "INSTANCE_DIR": str(instance), "SECRET_KEY": "t"}).test_client()
    for doc_id in ("kopie", "link"):
        assert client.get(f"/documenten/{doc_id}/pdf").status_code == 404


def test_a_bad_unlisted_access_is_a_catalogue_error(tmp_path):
    from indexer.corpus import CatalogueError, load_catalogue
    corpus = unlisted_corpus(tmp_path, "iedereen")
    with pytest.raises(CatalogueError, match="regel 1, veld 'unlisted_access': 'iedereen' moet 'public' of"):
        load_catalogue(corpus)


def test_rollback_refuses_a_generation_that_published_a_members_pdf_and_prune_removes_it(tmp_path, runner):
    from indexer.cli import main
    from indexer.index import store
    corpus = unlisted_corpus(tmp_path, None)
    catalogue = corpus / "catalogue.yaml"
    listed_copy = ("  - id: openbare-kopie\n    title: Kopie\n    summary: Dezelfde PDF, openbaar.\n"
                   "    date: 2024-03-01\n    pdf: kopie.pdf\n")
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + listed_copy, encoding="utf-8")
    index = tmp_path / "index"
    build_index(corpus, index)  # the maintainer listed the copy as public: this generation publishes it
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(listed_copy, ""), encoding="utf-8")
    build_index(corpus, index)
    current = store.current_generation(index).name
    r = runner.invoke(main, ["rollback", "--index", str(index)])
    assert r.exit_code != 0 and "terugzetten geweigerd" in r.output and "kopie.pdf" in r.output
    assert store.current_generation(index).name == current
    r = runner.invoke(main, ["prune", "--keep", "1", "--index", str(index)])
    assert r.exit_code == 0 and r.output.startswith("1 generatie verwijderd.")
    assert [g.name for g in store.generations(index)] == [current]
    assert "geen eerdere generatie" in runner.invoke(main, ["rollback", "--index", str(index)]).output
