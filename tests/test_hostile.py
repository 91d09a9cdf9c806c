"""Hostile input against the query service and over HTTP (test client and a real waitress server): never a 5xx."""
from __future__ import annotations

import http.client
import json
import textwrap
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index import store
from indexer.index.build import build_index
from indexer.search import SearchRequest, SearchResults, search
from indexer.search.query import MAX_EXPANSIONS, QueryError, parse_query
from tests.answers import assert_consistent
from tests.servers import waitress_server

NASTY = [
    '"', '"ongesloten aanhalingsteken', "'", "''", "((", "))", "(polarisatie OR", "polarisatie)", "[", "]", "{", "}",
    "[a TO z]", "{a TO z}", "[* TO *]", "titel:[a TO zz]", "jaar:[2020 TO 2024]", "jaar:[9999 TO 0000]",
    "AND", "OR", "NOT", "EN", "OF", "NIET", "ANDNOT", "AND OR NOT", "NOT NOT NOT", "gemeente AND", "OR gemeente",
    "NIET gemeente", "+", "-", "+-+-", "--gemeente", "+gemeente -politie",
    "*", "**", "?", "*?*", "a*", "ab*", "*a", "*gemeente", "gem*", "gem?ente", "gem*e*n*t*e*", "NOT *", '"*"',
    "*:*", "titel:*", "tekst:a*", "x" * 10_000, "gemeente " * 400, "a " * 999,
    "\x00", "gemeente\x00polarisatie", "\x1b[31mrood\x1b[0m", "\r\n\t", "\x7f\x85\x9f",
    "\u202egemeente", "\u200fpolarisatie\u200e", "\u2066\u2067\u2068\u2069", "\ufeff", "\u200b",
    "مرحبا بالعالم", "שלום", "日本語", "🙂", "👨‍👩‍👧‍👦 gemeente", "🏳️‍🌈", "e\u0301e\u0301n", "ﬁnanciën", "Ⅻ",
    "titel:", "onbekend:waarde", "foo:bar:baz", ":", "::", "titel::", "auteur:", "type:handboek", "jaar:abc",
    "title:\"", "uid:doc:x", "access:members", "kind:page", "id:kapotte-pdf", "page_text:gemeente",
    "gemeente^10", "^", "~", "gemeente~2", "\\", "\\\\", "%", "%00", "%s%n", "{0}", "${jndi:ldap://127.0.0.1/x}",
    "<script>alert(1)</script>", "../../etc/passwd", "' OR 1=1 --", "\ud800", "a\udcff",
]
PAGING = [("page", "0"), ("page", "-1"), ("page", "abc"), ("page", "1e3"), ("page", "1.5"), ("page", " 2"),
          ("page", "99999999999999999999999999"), ("page", "1001"), ("per_page", "0"), ("per_page", "-5"),
          ("per_page", "1000000"), ("per_page", "NaN"), ("sort", "willekeurig"), ("from", "gisteren"),
          ("to", "2024-13-45"), ("from", "\x00"), ("doctype", "\u202e"), ("year", "x" * 5000)]


@pytest.fixture(scope="module")
def wide_index(tmp_path_factory):
    """An index with more distinct words starting with 'term' than a wildcard may expand to."""
    root = tmp_path_factory.mktemp("wide")
    words = " ".join(f"term{n:04d}x" for n in range(MAX_EXPANSIONS * 3))
    (root / "corpus").mkdir()
    (root / "corpus" / "catalogue.yaml").write_text(textwrap.dedent(f"""\
        documents:
          - id: veel-woorden
            title: Veel woorden
            summary: {words}
            date: 2024-01-01
        """), encoding="utf-8")
    build_index(root / "corpus", root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def members_searcher(built_corpus):
    """A searcher on the members index (all documents) of the test corpus."""
    _, index, _ = built_corpus
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        yield s


def answer(members_searcher, q, **kw):
    """Run the query service; a refusal must be a QueryError with a Dutch explanation, anything else a bug."""
    try:
        results = search(members_searcher, SearchRequest(q=q, **kw))
    except QueryError as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return None
    assert isinstance(results, SearchResults)
    assert_consistent(results)
    return results


@pytest.mark.parametrize("q", NASTY)
def test_nasty_strings_get_results_or_a_clear_refusal_from_the_query_service(members_searcher, q):
    answer(members_searcher, q)


@pytest.mark.parametrize("page,per_page", [(1, 1), (1000, 100), (0, 10), (-1, 10), (10**30, 10), (1, 0),
                                           (1, 10**9), (-10**30, -1)])
def test_paging_extremes_in_the_query_service(members_searcher, page, per_page):
    answer(members_searcher, "gemeente", page=page, per_page=per_page)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=300) | st.lists(st.sampled_from(NASTY[:80] + ["gemeente", "polarisatie", " "]),
                                          max_size=8).map(" ".join),
       page=st.integers(min_value=-5, max_value=1005), per_page=st.integers(min_value=-1, max_value=101))
def test_any_text_and_paging_never_crash_the_query_service(members_searcher, q, page, per_page):
    answer(members_searcher, q, page=page, per_page=per_page)


@pytest.mark.parametrize("q", ["term*", "ter*x", "term0*", "[a TO z]", "samenvatting:[t TO u]", "samenvatting:term*"])
def test_wildcards_and_ranges_expand_to_at_most_the_cap(wide_index, q):
    with store.open_index(store.current_generation(wide_index), "public").searcher() as s:
        parsed = parse_query(q, s.schema)
        leaves = [parsed] if not list(parsed.leaves()) else list(parsed.leaves())
        expanded = [list(leaf.expanded_terms(s.reader())) for leaf in leaves]
        assert max(len(terms) for terms in expanded) == MAX_EXPANSIONS  # the index has 3x as many
        assert [h.document.id for h in search(s, SearchRequest(q=q)).hits] == ["veel-woorden"]


# ------------------------------------------------------------------ over HTTP

def qs(**params):
    return urllib.parse.urlencode(params, encoding="utf-8", errors="surrogatepass")


HTTP_CASES = ([f"/api/search?{qs(q=q)}" for q in NASTY] + [f"/?{qs(q=q)}" for q in NASTY]
              + [f"/api/search?q=gemeente&{qs(**{k: v})}" for k, v in PAGING]
              + [f"/?q=gemeente&{qs(**{k: v})}" for k, v in PAGING]
              + ["/api/search?q=%ff%fe", "/?q=%c0%af", "/api/search?q=%00", "/?q=%e2%80%ae",
                 "/documenten/%00", "/documenten/..%2f..%2fetc%2fpasswd/pdf", f"/documenten/kapotte-pdf?{qs(q='(')}",
                 "/api/search?q=a&q=b&page=1&page=2", "/api/search?" + "doctype=x&" * 500])


def test_nasty_requests_never_give_a_server_error_in_the_app(client):
    failures = []
    for path in HTTP_CASES:  # one app for all cases keeps this fast
        r = client.get(path)
        if r.status_code >= 500:
            failures.append((path[:80], r.status_code))
        elif path.startswith("/api/") and r.status_code >= 400:
            assert r.get_json()["error"], path  # a Dutch message, as JSON
    assert failures == []


@pytest.fixture(scope="module")
def test_corpus_server(built_corpus):
    """A real waitress server over the test corpus, on a free loopback port; yields the port."""
    _, index, _ = built_corpus
    with waitress_server({"KENNISBANK_INDEX": str(index)}) as base:
        yield int(base.rsplit(":", 1)[1])


def test_nasty_requests_over_a_real_server(test_corpus_server):
    # One connection per request, with a timeout that only catches a hang (speed is measured in `make loadtest`).
    failures = []
    for path in HTTP_CASES + [f"/api/search?{qs(q=q)}" for q in ["x" * 20_000]]:
        conn = http.client.HTTPConnection("127.0.0.1", test_corpus_server, timeout=30)
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        if r.status >= 500:
            failures.append((path[:80], r.status))
        if path.startswith("/api/search") and r.status in (200, 400):
            json.loads(body)
        conn.close()
    assert failures == []


def test_too_many_wildcard_words_get_a_clear_refusal(members_searcher):
    assert answer(members_searcher, "gem* pol* bur* ove* ord*") is not None  # five is fine
    with pytest.raises(QueryError, match="hoogstens 5 zoekwoorden met"):
        search(members_searcher, SearchRequest(q="gem* pol* bur* ove* ord* pub*"))
    with pytest.raises(QueryError, match="hoogstens 5"):
        search(members_searcher, SearchRequest(q="gem* OR pol?tie OR bur* OR ove* OR ord* OR titel:[a TO m]"))
