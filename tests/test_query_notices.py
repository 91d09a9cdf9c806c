"""Nothing silently dropped or contradicted: hyphenated words widen like others, ignored words are named, a widening
that found nothing says so, and authors and organisations are searched as free text (issue 14)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from indexer.index import store
from indexer.index.build import build_index
from indexer.index.schema import build_schema
from indexer.search import QueryService, SearchRequest
from indexer.search.notices import ignored_notice, ignored_words
from search_app import create_app
from tests.pdfs import make_pdf

REPO = Path(__file__).resolve().parent.parent

DOCUMENTS = [
    dict(id="schade-rellen", title="Schade na de rellen", author="Willem Bantema",
         summary="Hoe de gemeente ondernemers een schadevergoeding betaalt na ongeregeldheden.",
         text="De schadevergoeding wordt binnen zes weken betaald aan ondernemers in het centrum."),
    dict(id="wob-camera", title="Besluit over cameratoezicht", author="Gemeente Utrecht",
         summary="Het besluit op een Wob-verzoek over camera's in de binnenstad.",
         text="Op het Wob-verzoek is besloten dat de beelden deels openbaar worden."),
    dict(id="dreiging-juni", title="Dreigingsniveau juni", author="Nationaal Coördinator Terrorismebestrijding en Veiligheid",
         summary="Het dreigingsniveau blijft substantieel; jihadisme en extreemrechts zijn de grootste dreiging.",
         text="Het dreigingsniveau blijft substantieel."),
    dict(id="soevereinen", title="Fenomeenanalyse soevereinen", author="NCTV",
         summary="Personen die zichzelf soeverein verklaren en de overheid niet erkennen.",
         text="Soevereinen erkennen de overheid niet."),
    dict(id="samenwerking-nctv", title="Samenwerking tussen gemeenten en de NCTV", author="VNG",
         summary="Hoe gemeenten informatie delen bij dreiging.", text="Gemeenten delen informatie bij dreiging."),
    dict(id="onrust-utrecht", title="Onrust in Utrecht", author="VNG", summary="Spanningen in de wijken.",
         text="Spanningen in de wijken nemen toe."),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("notices")
    corpus = root / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    records = []
    for doc in DOCUMENTS:
        make_pdf(corpus / "pdf" / f"{doc['id']}.pdf", [doc["text"]])
        records.append({k: v for k, v in doc.items() if k != "text"} | {"date": "2023-05-01", "pdf": f"{doc['id']}.pdf"})
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump({"documents": records}, allow_unicode=True), encoding="utf-8")
    shutil.copy(REPO / "corpus" / "afkortingen.yaml", corpus / "afkortingen.yaml")  # the maintainers' table
    build_index(corpus, root / "index")
    return corpus, root / "index"


@pytest.fixture
def search(corpus):
    corpus_dir, index = corpus
    service = QueryService(corpus_dir)
    with store.open_index(store.current_generation(index), "public").searcher() as searcher:
        yield lambda q, **kw: service.search(searcher, SearchRequest(q=q, **kw))


@pytest.fixture
def client(corpus, tmp_path):
    corpus_dir, index = corpus
    return create_app({"TESTING": True, "CORPUS_DIR": str(corpus_dir), "INDEX_DIR": str(index),
                       "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"}).test_client()


def ids(results):
    return [h.document.id for h in results.hits]


# ---------------------------------------------------------------- a hyphenated word (the "wob-verzoek" bug)

def test_a_hyphenated_word_widens_to_any_word_like_the_same_query_without_hyphen(search):
    # Bug: "schadevergoeding wob-verzoek" gave 0 results (the "-" made the query count as one with operators, so
    # it was never widened), while "schadevergoeding wob verzoek" found documents.
    hyphen, spaced = search("schadevergoeding wob-verzoek"), search("schadevergoeding wob verzoek")
    assert set(ids(hyphen)) == {"schade-rellen", "wob-camera"}
    assert set(ids(spaced)) >= {"schade-rellen", "wob-camera"}
    assert any("Geen documenten bevatten alle zoekwoorden" in n for n in hyphen.notices)


def test_a_leading_minus_still_excludes(search):
    assert "wob-camera" not in ids(search("besluit -camera"))


def test_results_page_for_the_hyphenated_query_shows_results_not_geen_resultaten(client):
    page = client.get("/?q=schadevergoeding+wob-verzoek").get_data(as_text=True)
    assert "2 resultaten" in page and "Geen resultaten" not in page
    assert "Schade na de rellen" in page and "Besluit over cameratoezicht" in page


def test_a_widening_that_found_nothing_does_not_read_as_a_success(search, client):
    # Bug: "Geen resultaten" next to "Zoekopdracht verbreed met afkortingen ..." on the same page.
    results = search("Wob", filters={"year": ["1999"]})
    assert results.total == 0
    assert not any(n.startswith("Zoekopdracht verbreed") for n in results.notices)
    assert any("Wob ook als" in n and "is niets gevonden" in n for n in results.notices), results.notices
    page = client.get("/?q=Wob&year=1999").get_data(as_text=True)
    assert "Geen resultaten" in page and "Zoekopdracht verbreed" not in page and "is niets gevonden" in page
    found = search("Wob")
    assert found.total >= 1 and any(n.startswith("Zoekopdracht verbreed") for n in found.notices)


# ---------------------------------------------------------------- words that are not searched are named

ANALYZER = build_schema()["content"].analyzer


@pytest.mark.parametrize("q, ignored", [
    ("artikel 10 lid 2 sub e", ["2", "e"]),
    ("de schadevergoeding", ["de"]),
    ("schadevergoeding wob-verzoek", []),
    ("extremis* NIET e", ["e"]),
    ('"de rellen" OF a', ["de", "a"]),
    ("titel:de 2021", ["de"]),
    ("art.10", []),
])
def test_ignored_words_are_the_typed_words_analysis_drops(q, ignored):
    assert ignored_words(q, ANALYZER) == ignored


def test_ignored_notice_is_dutch_singular_and_plural():
    assert ignored_notice([]) is None
    assert ignored_notice(["de"]).startswith("Het woord “de” is niet gezocht")
    assert ignored_notice(["2", "e"]).startswith("De woorden “2” en “e” zijn niet gezocht")
    assert ignored_notice(["de", "2", "e"]).startswith("De woorden “de”, “2” en “e” zijn niet gezocht")


def test_search_and_results_page_name_the_ignored_words(search, client):
    assert any("“e” is niet gezocht" in n for n in search("schadevergoeding e").notices)
    assert not any("niet gezocht" in n for n in search("schadevergoeding").notices)
    page = client.get("/?q=schadevergoeding+2+e").get_data(as_text=True)
    assert "De woorden “2” en “e” zijn niet gezocht" in page
    assert "1 resultaat" in page


# ---------------------------------------------------------------- authors and organisations as free text

@pytest.mark.parametrize("q", ["NCTV", "Nationaal Coördinator Terrorismebestrijding",
                               "Nationaal Coördinator Terrorismebestrijding en Veiligheid"])
def test_an_organisation_finds_what_it_wrote(search, q):
    # Before: only the document naming the NCTV in its title or summary was found, not the two it wrote.
    assert {"dreiging-juni", "soevereinen"} <= set(ids(search(q)))


def test_a_title_counts_more_than_the_author(search):
    assert ids(search("Utrecht")) == ["onrust-utrecht", "wob-camera"]  # the title, then the author Gemeente Utrecht


def test_a_person_is_found_by_name_and_the_author_field_still_works(search):
    assert ids(search("Bantema")) == ["schade-rellen"]
    assert set(ids(search("auteur:NCTV"))) == {"dreiging-juni", "soevereinen"}
