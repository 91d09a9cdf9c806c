"""Searching like a person thinks: compounds, abbreviations, query language, 'Bedoelde u', English records."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index import store
from indexer.index.build import build_index
from indexer.search import QueryError, QueryService, SearchRequest, synonyms
from tests.answers import assert_consistent
from tests.relevance.corpus import write_relevance_corpus


@pytest.fixture(scope="module")
def relevance_index(tmp_path_factory):
    """The relevance corpus (Dutch and English PDFs) built into an index."""
    root = tmp_path_factory.mktemp("relevance")
    build_index(write_relevance_corpus(root / "corpus"), root / "index")
    return root / "index"


@pytest.fixture
def relevance_searcher(relevance_index):
    with store.open_index(store.current_generation(relevance_index), "public").searcher() as s:
        yield s


# The query service as the app builds it for the bundled corpus: with its abbreviation table.
SERVICE = QueryService(Path(__file__).resolve().parents[1] / "corpus")


def run(searcher, q, **kw):
    return SERVICE.search(searcher, SearchRequest(q=q, **kw))


def ids(searcher, q, **kw):
    return [h.document.id for h in run(searcher, q, **kw).hits]


# ---------------------------------------------------------------- compounds

@pytest.mark.parametrize("q, expected", [
    ("verbod", {"internetverbod-uitvoerbaarheid", "internetverbod-burgemeester"}),
    ("verstoringen", {"apv-online-ordeverstoringen", "online-aangejaagde-ordeverstoringen-gemeenten"}),
    ("beeld", {"dtn-juni-2024"}),
    ("werkers", {"jongerenwerkers-politie-online-zuidoost"}),
    ("terrorisme", {"nationale-extremismestrategie-2024-2029"}),  # its summary says "contraterrorisme"
])
def test_a_part_finds_the_compound(bundled_searcher, q, expected):
    assert expected <= set(ids(bundled_searcher, q))


def test_a_part_highlights_the_whole_compound(bundled_searcher):
    hit = run(bundled_searcher, "verbod").hits[0]
    assert "<mark>internetverbod</mark>" in hit.snippet


def test_phrases_still_work_across_compounds(bundled_searcher):
    assert ids(bundled_searcher, '"openbare orde"')[0] == "online-handhaving-openbare-orde"
    assert ids(bundled_searcher, '"orde openbare"') == []


# ---------------------------------------------------------------- abbreviations and synonyms

@pytest.mark.parametrize("q, expected, widened_with", [
    ("NCTV", {"dtn-juni-2024", "soevereinenbeweging-fenomeenanalyse"}, "Nationaal Coördinator"),
    ("Algemene Plaatselijke Verordening", {"apv-online-ordeverstoringen"}, "APV"),
    ("auteur:NCTV", {"dtn-juni-2024", "nationale-extremismestrategie-2024-2029"}, "Nationaal Coördinator"),
])
def test_abbreviations_widen_the_query_and_say_so(bundled_searcher, q, expected, widened_with):
    results = run(bundled_searcher, q)
    assert expected <= {h.document.id for h in results.hits}
    assert any("verbreed" in n and widened_with in n for n in results.notices), results.notices


def test_full_form_in_the_text_is_found_by_the_abbreviation(relevance_searcher):
    # The PDF says "Algemene Plaatselijke Verordening", never "APV".
    assert ids(relevance_searcher, "APV")[0] == "gebiedsverbod-handreiking"
    assert ids(relevance_searcher, "Wob")[0] == "woo-openbaarmaking"


@pytest.mark.parametrize("q", ["om de burgemeester", "-APV", "APV*", "internetverbod"])
def test_ordinary_words_and_operators_are_not_widened(q):
    table = synonyms.load_table(synonyms.Path("corpus") / synonyms.FILE_NAME)
    assert synonyms.expand(q, table).widened == []


def test_a_broken_abbreviations_file_is_named_and_never_breaks_searching(tmp_path):
    (tmp_path / synonyms.FILE_NAME).write_text("groepen:\n  - [APV, Algemene\n", encoding="utf-8")
    with pytest.raises(synonyms.SynonymsError, match="afkortingen.yaml, regel"):
        synonyms.load_table(tmp_path / synonyms.FILE_NAME)
    assert synonyms.current_table(tmp_path) is synonyms.EMPTY


@pytest.mark.parametrize("text, message", [
    ("groepen: [[APV]]", "minstens twee vormen"),
    ("groepen: [[APV, 'a:b']]", "geen bruikbare vorm"),
    ("iets: anders", "groepen"),
])
def test_bad_groups_are_explained(text, message):
    with pytest.raises(synonyms.SynonymsError, match=message):
        synonyms.parse_table(text)


# ---------------------------------------------------------------- query language

@pytest.mark.parametrize("q, expected", [
    ("polarisatie OF radicalisering", {"handreiking-polarisatie", "ess-handreiking-israel-palestijnse-gebieden",
                                      "handreiking-radicalisering-extremisme"}),
    ("polarisatie OR radicalisering", {"handreiking-polarisatie", "ess-handreiking-israel-palestijnse-gebieden",
                                      "handreiking-radicalisering-extremisme"}),
    ("extremisme NIET radicalisering", {"nationale-extremismestrategie-2024-2029", "aanpak-extremisme-prioriteiten"}),
    ("extremisme NOT radicalisering", {"nationale-extremismestrategie-2024-2029", "aanpak-extremisme-prioriteiten"}),
    ("extremisme -radicalisering", {"nationale-extremismestrategie-2024-2029", "aanpak-extremisme-prioriteiten"}),
    ("type:Handboek", {"handreiking-radicalisering-extremisme", "handreiking-polarisatie"}),
    ("jaar:2023 internetverbod", {"internetverbod-uitvoerbaarheid"}),
    ("mid-term review", {"aanpak-extremisme-prioriteiten"}),  # the hyphen is part of the word, not "NOT term"
])
def test_query_language(bundled_searcher, q, expected):
    assert set(ids(bundled_searcher, q)) == expected


def test_prefix_finds_the_whole_family(bundled_searcher):
    assert {"nationale-extremismestrategie-2024-2029", "aanpak-extremisme-prioriteiten",
            "handreiking-radicalisering-extremisme"} <= set(ids(bundled_searcher, "extremis*"))


@pytest.mark.parametrize("q", ["mid-", "-", "- -", '"APV', "APV OR", "NIET APV", "OM OF", "auteur:(NCTV",
                               "titel:", "Wob)", "((APV))", '"Algemene Plaatselijke', "spelling:internet",
                               "title_en:policy", "radikalisering OF", "a-b-c-d-e-f"])
def test_more_malformed_queries_get_a_consistent_answer(bundled_searcher, q):
    assert_consistent(run(bundled_searcher, q))


@pytest.mark.parametrize("q", ["NIET OF APV", "NIET OF x", "NOT OR polarisatie", "EN NIET OF"])
def test_operator_pileups_do_not_crash_the_parser(bundled_searcher, q):
    # Reproduces a bug: whoosh's parser raised IndexError for "NIET OF x" (a 500 on the results page).
    assert_consistent(run(bundled_searcher, q))


@pytest.mark.parametrize("q", ["spelling:internetverbod", "title_en:internetverbod", "page_text_en:verbod"])
def test_new_internal_fields_cannot_be_addressed(bundled_searcher, q):
    assert run(bundled_searcher, q).total == 0


# ---------------------------------------------------------------- Bedoelde u ...?

@pytest.mark.parametrize("q, suggestion", [
    ("radikalisering", "radicalisering"),
    ("polarisatei", "polarisatie"),
    ("Internetverbot", "Internetverbod"),
    ("internetverbot burgemeester", "internetverbod burgemeester"),
])
def test_misspelt_words_get_a_suggestion_that_finds_results(bundled_searcher, q, suggestion):
    results = run(bundled_searcher, q)
    assert results.suggestion == suggestion
    assert run(bundled_searcher, suggestion).total > 0


@pytest.mark.parametrize("q", ["internetverbod", "verbod", "xylofoonmuziek", "mid-term review", "auteur:VAR",
                               "NCTV", "Wob", "extremis*", '"openbare orde"'])
def test_no_suggestion_for_known_words_or_hopeless_ones(bundled_searcher, q):
    # "mid-term review" and "auteur:VAR" made whoosh's correct_query raise TypeError; they must just work.
    assert run(bundled_searcher, q).suggestion is None


def test_suggestions_come_only_from_the_index_searched(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "catalogue.yaml").write_text(textwrap.dedent("""\
        documents:
          - id: openbaar
            title: Openbaar stuk over wijkveiligheid
            summary: Wijkveiligheid in de stad.
            date: 2024-01-01
          - id: geheim
            title: Vertrouwelijk stuk
            summary: Het vertrouwelijkheidsprotocol van de driehoek.
            date: 2024-01-02
            access: members
        """), encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    gen = store.current_generation(tmp_path / "index")
    with store.open_index(gen, "public").searcher() as public:
        assert run(public, "vertrouwelijkheidsprotokol").suggestion is None
    with store.open_index(gen, "all").searcher() as members:
        assert run(members, "vertrouwelijkheidsprotokol").suggestion == "vertrouwelijkheidsprotocol"


def test_api_returns_the_suggestion(bundled_client):
    body = bundled_client.get("/api/search?q=radikalisering").get_json()
    assert body["suggestion"] == "radicalisering"


# ---------------------------------------------------------------- English records

@pytest.mark.parametrize("q, expected", [
    ("municipality", "countering-extremism-en"),        # text says "Municipalities"
    ("radicalised", "countering-extremism-en"),          # text says "radicalisation", "radicalising"
    ("community", "disinformation-public-order-en"),     # text says "Communities"
    ("titel:policy", "countering-extremism-en"),         # title says "policies"
])
def test_english_records_are_found_by_english_word_forms(relevance_searcher, q, expected):
    assert ids(relevance_searcher, q)[0] == expected


def test_dutch_queries_still_rank_dutch_records(relevance_searcher):
    assert ids(relevance_searcher, "extremisme")[0] == "extremisten-lokale-aanpak"


def test_help_page_explains_the_query_language(client):
    page = client.get("/help").get_data(as_text=True)
    for example in ("extremis*", "auteur:NCTV", "APV", "Bedoelde u", "-terrorisme", "OF"):
        assert example in page


# ---------------------------------------------------------------- robustness

QUERY_PIECES = ["APV", "om", "OM", "Wob", "NCTV", "verbod", "internetverbot", "mid-term", '"', "(", ")", "-", "+",
                "*", "OF", "NIET", "OR", "NOT", "EN", "auteur:", "titel:", "jaar:", "2024", ":", "é", "ﬁ", "  ",
                "openbare orde", "Algemene Plaatselijke Verordening", "x", "extremis*", "?", "~", "^"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(QUERY_PIECES), max_size=8), joiner=st.sampled_from([" ", ""]))
def test_any_mix_of_operators_abbreviations_and_typos_never_crashes(bundled_searcher, pieces, joiner):
    try:
        results = run(bundled_searcher, joiner.join(pieces))
    except QueryError as exc:
        assert str(exc)  # a Dutch explanation, shown to the user as a 400
        return
    assert_consistent(results)
    if results.suggestion:  # offered only when it finds something, under the same filters
        assert results.suggestion != results.request.q and run(bundled_searcher, results.suggestion).total > 0


def test_results_page_says_how_the_query_was_widened(bundled_client):
    page = bundled_client.get("/?q=APV").get_data(as_text=True)
    assert "verbreed" in page and "Algemene Plaatselijke Verordening" in page
    assert "De APV en online aangejaagde ordeverstoringen" in page


@pytest.mark.parametrize("q", ["NIET OF APV", "mid-term review", "auteur:VAR", "radikalisering"])
def test_results_page_never_fails_on_these(bundled_client, q):
    assert bundled_client.get("/", query_string={"q": q}).status_code == 200


def test_document_pages_follow_the_widened_query(relevance_searcher):
    # The PDF says "Algemene Plaatselijke Verordening" on page 2; the visitor searched "APV".
    pages = SERVICE.document_pages(relevance_searcher, "gebiedsverbod-handreiking", "APV")
    assert [p.page for p in pages] == [2]
    assert "<mark>" in pages[0].snippet


def test_the_app_widens_with_the_table_of_its_own_corpus(tmp_path, built_corpus):
    # The web app used to read the table of $KENNISBANK_CORPUS whatever its CORPUS_DIR setting said.
    from search_app import create_app

    corpus, index, _ = built_corpus
    own = tmp_path / "corpus"
    own.mkdir()
    (own / synonyms.FILE_NAME).write_text("groepen:\n  - [KMO, kwartiermakersoverleg]\n", encoding="utf-8")
    app = create_app({"TESTING": True, "CORPUS_DIR": str(own), "INDEX_DIR": str(index)})
    data = app.test_client().get("/api/search?q=KMO").get_json()
    assert [h["id"] for h in data["hits"]] == ["rapport-online-ordeverstoringen"]
    assert any("KMO" in n for n in data["notices"])
