"""Dates as terms: "2 maart 2021", "02-03-2021" and "2021-03-02" find that day and only that day (issue 14)."""
from __future__ import annotations

import pytest
import yaml

from indexer.analysis import dutch_analyzer, normalise_dates
from indexer.analysis.dates import find_dates
from indexer.index import store
from indexer.index.build import build_index
from indexer.search import QueryService, SearchRequest, search
from search_app import create_app
from tests.pdfs import write_letters

DOCUMENTS = {
    "brief-2-maart": ["Den Haag, 2 maart 2021. Geachte heer, hierbij ontvangt u het besluit op uw verzoek.",
                      "Bijlage: de inventarislijst."],
    "brief-26-maart": ["Den Haag, 26 maart 2021. Geachte mevrouw, hierbij ontvangt u het besluit."],
    "brief-3-februari": ["Dit is de brief van 3 februari 2021, over de plannen voor maart 2021."],
    "mail-iso": ["Verzonden 2021-03-02 10:14. Onderwerp: afspraak over het besluit."],
    "brief-2-april": ["Utrecht, 2 april 2021. Het besluit volgt in maart 2022."],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("dates")
    corpus = write_letters(root / "corpus", DOCUMENTS)
    build_index(corpus, root / "index")
    return corpus, root / "index"


@pytest.fixture
def found(corpus):
    corpus_dir, index = corpus
    service = QueryService(corpus_dir)
    with store.open_index(store.current_generation(index), "public").searcher() as searcher:
        yield lambda q: {h.document.id for h in service.search(searcher, SearchRequest(q=q)).hits}


@pytest.mark.parametrize("q", ["2 maart 2021", "02-03-2021", "2021-03-02", "2/3/2021", "2 mrt. 2021", "02.03.2021",
                               "2 MAART 2021"])
def test_every_spelling_of_a_day_finds_that_day_only(found, q):
    # Before: "2 maart 2021" searched "maart" and "2021" ("2" was dropped), so the letter of 26 maart 2021 and any
    # text with "maart 2021" matched as well as the letter of that day.
    assert found(q) == {"brief-2-maart", "mail-iso"}


def test_month_and_year_still_find_every_day_of_that_month(found):
    assert found("maart 2021") >= {"brief-2-maart", "brief-26-maart", "brief-3-februari"}
    assert found('"maart 2021"') == {"brief-2-maart", "brief-26-maart", "brief-3-februari"}


def test_a_date_inside_a_phrase_and_beside_other_words(found):
    assert found('"2 maart 2021 geachte heer"') == {"brief-2-maart"}
    assert found("2 maart 2021 afspraak") == {"mail-iso"}
    assert found("3 februari 2021") == {"brief-3-februari"}


def test_the_date_is_marked_whole_on_the_page(corpus, tmp_path):
    corpus_dir, index = corpus
    client = create_app({"TESTING": True, "CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index),
                         "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"}).test_client()
    page = client.get("/?q=02-03-2021").get_data(as_text=True)
    assert "2 resultaten" in page
    assert "<mark>2 maart 2021</mark>" in page
    assert "niet gezocht" not in page  # the "2" of the date is part of the date term, not an ignored word


@pytest.mark.parametrize("text, dates", [
    ("op 2 maart 2021 en 2021-03-02", ["2021-03-02", "2021-03-02"]),
    ("op 31-02-2021 of 13/13/2020", []),               # not calendar dates
    ("artikel 10.2.e en 1.2.2021", ["2021-02-01"]),
    ("paragraaf 2.3.4 en 10 mei 20", []),              # no four-digit year
    ("Datum 26 JAN 2021 en 1 sept 2019", ["2021-01-26", "2019-09-01"]),
    ("kenmerk 2020-0000164964 en 1-2-2021-3", []),     # inside a longer number
])
def test_find_dates(text, dates):
    assert [iso for _, _, iso in find_dates(text)] == dates


def test_index_keeps_the_words_and_adds_the_date_a_query_asks_for_the_date_alone():
    analyzer = dutch_analyzer()
    indexed = [t.text for t in analyzer("besluit van 2 maart 2021")]
    assert indexed == ["besluit", "2021-03-02", "maart", "2021", "2021-03-02"]
    assert [t.text for t in analyzer("2 maart 2021", mode="query")] == ["2021-03-02"]
    assert normalise_dates('titel:besluit "op 2 maart 2021"') == 'titel:besluit "op 2021-03-02"'


def test_analyzer_with_the_date_tokenizer_pickles_by_its_stable_path():
    import pickle

    data = pickle.dumps(dutch_analyzer())
    assert b"indexer.analysis" in data and b"DateTokenizer" in data
    assert pickle.loads(data) == dutch_analyzer()


def test_help_page_explains_dates_and_words_not_searched(corpus, tmp_path):
    corpus_dir, index = corpus
    client = create_app({"TESTING": True, "CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index),
                         "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"}).test_client()
    page = client.get("/help").get_data(as_text=True)
    assert "<code>2 maart 2021</code></td><td>precies die dag" in page
    assert "worden niet gezocht" in page


def test_the_document_of_that_day_ranks_above_documents_that_mention_it(tmp_path):
    # From the real judged set: "19 oktober 2020" found three letters mentioning that day above the decision
    # dated that day (whose letter text the OCR read without the date).
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    records = [
        {"id": "vermeldt", "title": "Besluit over een verzoek", "date": "2020-11-13",
         "summary": "Uw verzoek van 19 oktober 2020 is ontvangen. Op 19 oktober 2020 is besloten; 19 oktober 2020."},
        {"id": "van-die-dag", "title": "Besluit over de demonstratie", "date": "2020-10-19",
         "summary": "Het besluit over de demonstratie."},
    ]
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump({"documents": records}), encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    with store.open_index(store.current_generation(tmp_path / "index"), "public").searcher() as s:
        assert [h.document.id for h in search(s, SearchRequest(q="19 oktober 2020")).hits] == ["van-die-dag", "vermeldt"]
        assert [h.document.id for h in search(s, SearchRequest(q="verzoek")).hits] == ["vermeldt"]  # no date: no day
