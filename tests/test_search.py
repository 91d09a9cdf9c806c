"""The query service over the bundled corpus and the test corpus: ranking, pages, word forms, bad input."""
from __future__ import annotations

import pytest

from indexer.index import store
from indexer.search import QueryError, SearchRequest, search
from indexer.search.pages import page_query
from tests.answers import assert_consistent
from indexer.search.query import index_languages, parse_query
from indexer.search.ranking import plain_terms
from tests.conftest import PAGE3_WORD


@pytest.fixture
def test_searcher(built_corpus):
    """A searcher on the public index of the test corpus."""
    _, index, _ = built_corpus
    with store.open_index(store.current_generation(index), "public").searcher() as s:
        yield s


def ids(searcher, q, **kw):
    return [h.document.id for h in search(searcher, SearchRequest(q=q, **kw)).hits]


@pytest.mark.parametrize("q, first_two", [
    ("internetverbod", {"internetverbod-uitvoerbaarheid", "internetverbod-burgemeester"}),
    ("polarisatie", {"handreiking-polarisatie", "ess-handreiking-israel-palestijnse-gebieden"}),
    ("handreikingen polarisatie", {"handreiking-polarisatie", "ess-handreiking-israel-palestijnse-gebieden"}),
])
def test_bundled_ranking_puts_the_right_documents_first(bundled_searcher, q, first_two):
    assert set(ids(bundled_searcher, q)[:2]) == first_two


@pytest.mark.parametrize("q, expected", [
    ("gemeente", "online-aangejaagde-ordeverstoringen-gemeenten"),   # summary says "gemeenten"
    ("handreikingen", "handreiking-polarisatie"),                    # title says "handreiking"
    ("coordinator", "dtn-juni-2024"),                                # summary says "Coördinator"
    ("Israel", "ess-handreiking-israel-palestijnse-gebieden"),
])
def test_word_forms_and_accents_are_found(bundled_searcher, q, expected):
    assert expected in ids(bundled_searcher, q)


def test_title_outranks_summary(bundled_searcher):
    # "Dreigingsbeeld" is in the title of the DTN, and nowhere else.
    assert ids(bundled_searcher, "dreigingsbeeld")[0] == "dtn-juni-2024"


def test_page3_word_is_reported_on_page_3(test_searcher):
    results = search(test_searcher, SearchRequest(q=PAGE3_WORD))
    assert [h.document.id for h in results.hits] == ["rapport-online-ordeverstoringen"]
    pages = results.hits[0].pages
    assert [p.page for p in pages] == [3]
    assert f"<mark>{PAGE3_WORD}</mark>" in pages[0].snippet
    assert f"<mark>{PAGE3_WORD}</mark>" in results.hits[0].snippet


def test_best_pages_are_listed_for_a_common_word(test_searcher):
    hit = search(test_searcher, SearchRequest(q="burgemeester")).hits[0]
    assert hit.pages[0].page == 2


def test_all_words_then_any_word_with_a_notice(bundled_searcher):
    results = search(bundled_searcher, SearchRequest(q="internetverbod xylofoonmuziek"))
    assert results.total >= 2
    assert results.notices and "een of meer" in results.notices[0]


def test_facets_count_and_filter(bundled_searcher):
    results = search(bundled_searcher, SearchRequest(q="gemeenten"))
    doctype = {f.name: f for f in results.facets}["doctype"]
    counts = {v.value: v.count for v in doctype.values}
    assert counts.get("Handboek") == 2
    filtered = search(bundled_searcher, SearchRequest(q="gemeenten", filters={"doctype": ["Handboek"]}))
    assert filtered.total == 2
    assert {h.document.doctype for h in filtered.hits} == {"Handboek"}


def test_sort_newest_first(bundled_searcher):
    results = search(bundled_searcher, SearchRequest(q="extremisme", sort="nieuwste"))
    dates = [h.document.date for h in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_paging(bundled_searcher):
    all_ids = ids(bundled_searcher, "gemeenten", per_page=100)
    assert ids(bundled_searcher, "gemeenten", per_page=2, page=2) == all_ids[2:4]


@pytest.mark.parametrize("q", ['"openbare orde', "(polarisatie", "polarisatie)", "AND", "OR NOT", "NIET",
                               "auteur:", ":", "titel:(", "uid:doc:dtn-juni-2024", "kind:page", "\x00\x01",
                               "\u202epolarisatie", "😀", "*", "a" * 999, "-", '"', "^2", "~"])
def test_malformed_queries_get_a_consistent_answer(bundled_searcher, q):
    assert_consistent(search(bundled_searcher, SearchRequest(q=q)))


def test_internal_fields_cannot_be_addressed(bundled_searcher):
    # "kind:page" would otherwise match every page entry; it must be treated as plain words.
    assert search(bundled_searcher, SearchRequest(q="kind:page")).total == 0


def test_dutch_field_names_work(bundled_searcher):
    assert ids(bundled_searcher, "auteur:VAR") and all(
        h.document.author == "VAR" for h in search(bundled_searcher, SearchRequest(q="auteur:VAR")).hits)
    assert set(ids(bundled_searcher, "jaar:2022")) == {
        "online-aangejaagde-ordeverstoringen-gemeenten", "online-handhaving-openbare-orde", "internetverbod-burgemeester"}


@pytest.mark.parametrize("request_kwargs, message", [
    ({"q": "x" * 1001}, "te lang"),
    ({"q": "ab*"}, "drie letters"),
    ({"q": "x", "page": 0}, "paginanummer"),
    ({"q": "x", "per_page": 1000}, "per pagina"),
    ({"q": "x", "sort": "random"}, "sortering"),
    ({"q": "x", "date_from": "gisteren"}, "datum"),
])
def test_bad_requests_get_a_dutch_explanation(bundled_searcher, request_kwargs, message):
    with pytest.raises(QueryError, match=message):
        search(bundled_searcher, SearchRequest(**request_kwargs))


def test_sorted_by_date_reports_no_score(bundled_searcher):
    # Bug seen in the speed work: sorted by date, Whoosh's sort key (such as -941) was reported as the score.
    results = search(bundled_searcher, SearchRequest(q="extremisme", sort="nieuwste"))
    assert results.hits and all(h.score == 0.0 for h in results.hits)


def test_short_summary_is_marked_whole_without_repeats(bundled_searcher):
    # Bug seen in a screenshot: two overlapping fragments repeated "bekendmakingsperikelen" in one snippet.
    hits = {h.document.id: h for h in search(bundled_searcher, SearchRequest(q="internetverbod")).hits}
    snippet = hits["internetverbod-uitvoerbaarheid"].snippet
    assert snippet.count("bekendmakingsperikelen") == 1
    assert snippet.startswith("Het tweede deel") and snippet.count("<mark>internetverbod</mark>") == 3


@pytest.mark.parametrize("text", ["internetverbod", "polarisatie jongeren", "openbare-ordeverstoringen",
                                  "burgemeester APV gemeente", "policy extremism", "Coördinator terrorismebestrijding",
                                  "online aangejaagde ordeverstoringen", "mid-term review", "titel:polarisatie gemeente",
                                  "artikel 172 (Gemeentewet OR Gemw)", "wijk OF overleg", "polarisatie -jongeren"])
@pytest.mark.parametrize("any_word", [False, True])
def test_page_query_from_a_plain_query_equals_parsing_it_for_pages(bundled_searcher, text, any_word):
    schema, langs = bundled_searcher.schema, index_languages(bundled_searcher)
    derived = page_query(parse_query(text, schema, any_word=any_word, languages=langs))
    parsed = parse_query(text, schema, any_word=True, fields=("page_text",), languages=langs)
    if derived is None:  # allowed only where the query is not plain words (a phrase: "mid-term", NOT)
        assert plain_terms(parsed) is None
    else:  # a word limited to another field (titel:) is on no page either way
        assert plain_terms(derived) == [t for t in plain_terms(parsed) if t[0].startswith("page_text")]
