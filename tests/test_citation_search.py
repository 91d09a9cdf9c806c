"""Searching for a legal citation in generated PDFs: the query, the facet "Wetsartikel", notices and marks (issue 14)."""
from __future__ import annotations

import re

import pytest

from indexer.index import store
from indexer.index.build import build_index
from indexer.search import QueryService, SearchRequest
from search_app import create_app
from tests.pdfs import write_letters
from tests.test_pageview import covers, marks, pdfminer_word_boxes

DOCUMENTS = {
    # A Wob decision as decisions write it, with the compact form of its inventory.
    "wob-besluit": ["Besluit op uw Wob-verzoek. Op grond van artikel 10, tweede lid, aanhef en onder e, van de Wob "
                    "maak ik de namen van medewerkers niet openbaar. Ook artikel 11, eerste lid, van de Wob is "
                    "van toepassing.",
                    "Inventarislijst. Document 1: deels openbaar, 10.2.e. Document 2: deels openbaar, 10.2.e."],
    # Another ground of the same paragraph: "artikel 10" and "artikel 10 lid 2" find it, "sub e" does not.
    "wob-ander-onderdeel": ["Op grond van artikel 10, tweede lid, aanhef en onder g, van de Wob blijft "
                            "openbaarmaking achterwege wegens onevenredige benadeling."],
    # An inventory: the compact ground beside each document, many times.
    "inventaris": ["Inventarislijst. " + " ".join(f"Document {n}: deels openbaar, 10.2.e." for n in range(1, 9))],
    "gemeentewet": ["De burgemeester kan op grond van artikel 172 van de Gemeentewet bevelen geven ter "
                    "handhaving van de openbare orde."],
    "strafrecht": ["Wie een bevel niet opvolgt, overtreedt artikel 172 van het Wetboek van Strafrecht, "
                   "volgens deze fictieve brief over de openbare orde."],
    "zonder-wet": ["Het bevel is gegeven op grond van artikel 172, ter handhaving van de openbare orde."],
    "geen-artikel": ["Dit artikel gaat over een lid van de gemeenteraad en de openbare orde, zonder wetsartikel."],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("citations")
    corpus = write_letters(root / "corpus", DOCUMENTS)
    (corpus / "afkortingen.yaml").write_text("groepen:\n  - [Wob, Wet openbaarheid van bestuur, Woo]\n",
                                             encoding="utf-8")
    build_index(corpus, root / "index")
    return corpus, root / "index"


@pytest.fixture
def results(corpus):
    corpus_dir, index = corpus
    service = QueryService(corpus_dir)
    with store.open_index(store.current_generation(index), "public").searcher() as searcher:
        yield lambda q, **filters: service.search(searcher, SearchRequest(q=q, filters=filters))


def ids(found) -> list[str]:
    return [h.document.id for h in found.hits]


@pytest.mark.parametrize("q", ["artikel 10 lid 2 sub e", "art. 10, tweede lid, aanhef en onder e", "10.2.e",
                               "artikel 10, lid 2, onder e", "artikel 10 lid 2 sub e Wob",
                               "art. 10 lid 2 sub e Wet openbaarheid van bestuur"])
def test_every_form_of_the_citation_finds_the_decision_and_only_item_e(results, q):
    found = results(q)
    # The decision that cites the ground in a sentence ranks above the inventory that repeats "10.2.e".
    assert ids(found) == ["wob-besluit", "inventaris"]
    assert not any("niet gezocht" in n for n in found.notices)  # "lid", "2", "e" are part of the citation
    assert not any("verbreed" in n for n in found.notices)      # the law of a citation is not widened to Woo


def test_wider_citations_find_every_item(results):
    assert set(ids(results("artikel 10"))) == {"wob-besluit", "wob-ander-onderdeel", "inventaris"}
    assert set(ids(results("artikel 10 lid 2 Wob"))) == {"wob-besluit", "wob-ander-onderdeel", "inventaris"}
    assert ids(results("artikel 11 lid 1 Wob")) == ["wob-besluit"]


def test_a_named_law_ranks_first_and_a_citation_without_law_still_matches(results):
    found = ids(results("artikel 172 Gemeentewet"))
    assert found[0] == "gemeentewet"
    assert set(found) == {"gemeentewet", "zonder-wet", "strafrecht"}
    assert ids(results("art. 172 Sr"))[0] == "strafrecht"
    # "dit artikel" and "lid van de gemeenteraad" are words, not a citation: no facet value, no citation term.
    found = results("gemeenteraad")
    assert ids(found) == ["geen-artikel"]
    assert next(f for f in found.facets if f.name == "article").values == []


def test_facet_shows_the_citations_and_filters_on_them(results):
    found = results("openbaarmaking OF namen")
    facet = next(f for f in found.facets if f.name == "article")
    assert facet.label == "Wetsartikel"
    values = {v.value: v.count for v in facet.values}
    assert values["art. 10 lid 2 sub e Wob"] == 1 and values["art. 10 lid 2 sub g Wob"] == 1
    filtered = results("openbaarmaking OF namen", article=["art. 10 lid 2 sub e Wob"])
    assert ids(filtered) == ["wob-besluit"]
    facet = next(f for f in filtered.facets if f.name == "article")
    # The facet's own filter does not hide its other values: choosing a second one widens the results.
    assert {v.value for v in facet.values if v.selected} == {"art. 10 lid 2 sub e Wob"}
    assert "art. 10 lid 2 sub g Wob" in {v.value for v in facet.values}


@pytest.fixture
def client(corpus, tmp_path):
    corpus_dir, index = corpus
    return create_app({"TESTING": True, "CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index),
                       "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"}).test_client()


def test_results_page_and_api_show_the_facet_and_mark_the_citation(client):
    page = client.get("/?q=artikel+10+lid+2+sub+e").get_data(as_text=True)
    assert "2 resultaten" in page and "niet gezocht" not in page
    assert "Wetsartikel" in page and "art. 10 lid 2 sub e Wob" in page
    # The citation is marked as a whole, however it is written (the PDF wraps this one before "Wob").
    assert re.search(r"<mark>artikel 10, tweede lid, aanhef en onder e, van de\s+Wob</mark>", page)
    assert "<mark>10.2.e</mark>" in page
    data = client.get("/api/search?q=artikel+10+lid+2+sub+e").get_json()
    assert [h["id"] for h in data["hits"]] == ["wob-besluit", "inventaris"]
    assert {"value": "art. 10 lid 2 sub e Wob", "count": 1, "selected": False} in data["facets"]["article"]
    filtered = client.get("/api/search?q=artikel+10&article=art.+10+lid+2+sub+g+Wob").get_json()
    assert [h["id"] for h in filtered["hits"]] == ["wob-ander-onderdeel"]


def test_help_page_explains_citation_search_and_the_facet(client):
    page = client.get("/help").get_data(as_text=True)
    assert "Zoeken op wetsartikel" in page and "<code>artikel 10 lid 2 sub e</code>" in page
    assert "Wetsartikel" in page and "laws.txt" in page


def test_page_view_marks_the_citation_as_one_box_from_article_to_law(client, corpus):
    # One mark from "artikel" to "Gemeentewet", where pdfminer sees the words, and not "openbare orde" or "bevelen".
    corpus_dir, _ = corpus
    html = client.get("/documenten/gemeentewet/pagina/1?q=artikel+172+Gemeentewet").get_data(as_text=True)
    found = marks(html)
    expected = pdfminer_word_boxes(corpus_dir / "pdf" / "gemeentewet.pdf", 1, "artikel 172 van de Gemeentewet")
    assert len(found) == 1 and len(expected) == 1
    assert covers(found[0], expected[0])
