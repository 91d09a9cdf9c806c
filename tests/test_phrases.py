"""Phrases in a document's text: the document-level field keeps no positions, so phrases are found on its pages."""
from __future__ import annotations

import datetime as dt

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import TEXT

from indexer.analysis import dutch_analyzer
from indexer.corpus import Record
from indexer.extract import ExtractedPDF, Page
from indexer.index.plan import document_entries
from indexer.index.schema import FIELD_BOOSTS, build_schema
from indexer.search import SearchRequest, search

# Page texts per document: "openbare orde" as a phrase, its words apart, and the phrase split by a page break.
DOCUMENTS = {
    "phrase": ["Inleiding over het beleid van de gemeente.",
               "De burgemeester moet de openbare orde handhaven bij onrust in de wijk."],
    "apart": ["De orde van de vergadering was openbare informatie voor de wijk.",
              "Bewoners spraken over de orde in de wijk."],
    "page-break": ["Het gaat in dit hoofdstuk over de openbare",
                   "orde, en over wat de gemeente daarvoor doet."],
    "twice": ["De openbare orde in de binnenstad.", "Verstoring van de openbare orde door jongeren.",
              "Herstel van de openbare orde duurde dagen."],
}


def _entries():
    for n, (doc_id, pages) in enumerate(DOCUMENTS.items()):
        record = Record(id=doc_id, title=f"Rapport {n}", summary="Een rapport.", date=dt.date(2024, 1, 1 + n),
                        doctype="Rapport", pdf=f"{doc_id}.pdf", order=n)
        pdf = ExtractedPDF(pages=[Page(number=i, text=text) for i, text in enumerate(pages, start=1)])
        yield from document_entries(record, pdf)


def _index(folder, schema):
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for entry in _entries():
            writer.add_document(**entry)
    return ix


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """The four documents, indexed with the project's schema."""
    with _index(tmp_path_factory.mktemp("phrases"), build_schema()).searcher() as s:
        yield s


@pytest.fixture(scope="module")
def positional_searcher(tmp_path_factory):
    """The same documents in an index whose document text keeps positions, as before schema 3."""
    schema = build_schema()
    schema.remove("content")
    schema.add("content", TEXT(analyzer=dutch_analyzer(), field_boost=FIELD_BOOSTS["content"]))
    with _index(tmp_path_factory.mktemp("positional"), schema).searcher() as s:
        yield s


def hits(searcher, q, **kw):
    return [(h.document.id, h.score) for h in search(searcher, SearchRequest(q=q, **kw)).hits]


def test_document_text_keeps_no_positions(searcher):
    assert not searcher.schema["content"].format.supports("positions")
    assert searcher.schema["page_text"].format.supports("positions")


@pytest.mark.parametrize("q, sort", [
    ('"openbare orde"', "relevantie"),    # scored from the term tables
    ('"openbare orde"', "nieuwste"),      # through Whoosh's matchers
    ('tekst:"openbare orde"', "relevantie"),
    ('"openbare orde" NIET binnenstad', "relevantie"),
])
def test_a_phrase_matches_where_a_page_holds_it(searcher, q, sort):
    found = {doc_id for doc_id, _ in hits(searcher, q, sort=sort)}
    expected = {"phrase", "twice"} - ({"twice"} if "binnenstad" in q else set())
    assert found == expected


def test_words_that_are_apart_do_not_match_a_phrase(searcher):
    assert "apart" in {d for d, _ in hits(searcher, "openbare orde")}
    assert "apart" not in {d for d, _ in hits(searcher, '"openbare orde"')}


def test_a_phrase_across_a_page_break_is_not_found(searcher):
    # A known limit of finding phrases on pages: the words are on two pages. Both words still find it.
    assert "page-break" not in {d for d, _ in hits(searcher, '"openbare orde"')}
    assert "page-break" in {d for d, _ in hits(searcher, "openbare orde")}


@pytest.mark.parametrize("q", ['"openbare orde"', '"openbare orde" jongeren', 'tekst:"de openbare orde"'])
def test_phrase_scores_equal_those_of_an_index_with_positions(searcher, positional_searcher, q):
    ours = hits(searcher, q)
    theirs = [(d, s) for d, s in hits(positional_searcher, q) if d != "page-break"]  # the known limit above
    assert [d for d, _ in ours] == [d for d, _ in theirs]
    assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-6)
    assert ours  # the comparison is about something


def test_pages_with_the_phrase_are_listed(searcher):
    hit = search(searcher, SearchRequest(q='"openbare orde"')).hits
    pages = {h.document.id: [p.page for p in h.pages] for h in hit}
    assert pages["phrase"] == [2]
    assert sorted(pages["twice"]) == [1, 2, 3]


@pytest.fixture(scope="module")
def two_segment_searcher(tmp_path_factory):
    """The same documents written by two commits that are not merged: two segments, as Whoosh may leave them."""
    from whoosh.writing import NO_MERGE
    ix = whoosh_index.create_in(str(tmp_path_factory.mktemp("segments")), build_schema())
    entries = list(_entries())
    for part in (entries[:5], entries[5:]):
        writer = ix.writer()
        for entry in part:
            writer.add_document(**entry)
        writer.commit(mergetype=NO_MERGE)
    with ix.searcher() as s:
        assert not s.is_atomic()
        yield s


@pytest.mark.parametrize("q", ['"openbare orde"', "openbare orde", '"openbare orde" NIET binnenstad', "wijk"])
def test_an_index_of_two_segments_answers_like_one(searcher, two_segment_searcher, q):
    def answer(s):
        r = search(s, SearchRequest(q=q))
        return r.total, [(h.document.id, round(h.score, 6), sorted(p.page for p in h.pages)) for h in r.hits]
    # Bug found in review: pages of documents in the second segment were missing (segment-local ids compared).
    assert answer(two_segment_searcher) == answer(searcher)
    assert all(pages for _, _, pages in answer(two_segment_searcher)[1])


def test_a_phrase_in_an_index_without_entries_finds_nothing_instead_of_failing(tmp_path):
    """Reproduces a bug: in a folder of PDFs without records (members-only by default) the public index is empty,
    and a phrase there raised NotImplementedError (Whoosh's empty reader has no columns): a 500 for visitors."""
    from indexer.index.build import build_index
    from search_app import create_app
    from tests.pdfs import make_pdf

    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("documents: []\n", encoding="utf-8")
    make_pdf(corpus / "pdf" / "besluit.pdf", ["Besluit over de openbare orde in de wijk. " * 20])
    build_index(corpus, tmp_path / "index")
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(tmp_path / "index"),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "test"})
    response = app.test_client().get("/api/search", query_string={"q": '"openbare orde"'})
    assert response.status_code == 200 and response.get_json()["total"] == 0
