"""Legal citations as terms: the ways people write an article meet at index and query time (issue 14)."""
from __future__ import annotations

import marshal
import pickle

import pytest

from indexer.analysis import citation_tally, citation_values, dutch_analyzer, facet_values, normalise_citations
from indexer.analysis.citations import display, find_citations, law_of, laws_by_key, parse_laws

WOB_10_2_E = ("10", "2", ("e",), "wob")


@pytest.mark.parametrize("text, expected", [
    ("artikel 10 lid 2 sub e", ("10", "2", ("e",), "")),
    ("art. 10, tweede lid, aanhef en onder e", ("10", "2", ("e",), "")),
    ("artikel 10, lid 2, onder e", ("10", "2", ("e",), "")),
    ("Art. 10 lid 2 sub e Wob", WOB_10_2_E),
    ("artikel 10, tweede lid, aanhef en onder e, van de Wob", WOB_10_2_E),
    ("artikel 10, tweede lid, aanhef en sub e, Wob", WOB_10_2_E),
    ("artikel 10, tweede\nlid, onder e, van de\nWet openbaarheid van bestuur", WOB_10_2_E),  # split over lines
    ("Deels openbaar 10.2.e", ("10", "2", ("e",), "")),                  # the inventories' compact form
    ("Art. 10.2.e.", ("10", "2", ("e",), "")),
    ("5.1.2.e", ("5.1", "2", ("e",), "")),
    ("artikel 5.1 lid 2 sub e Woo", ("5.1", "2", ("e",), "woo")),
    ("artikel 5.1, tweede lid, onder e, van de Woo", ("5.1", "2", ("e",), "woo")),
    ("artikel 172 Gemeentewet", ("172", "", (), "gemeentewet")),
    ("art. 174a Gemw", ("174a", "", (), "gemeentewet")),
    ("artikel 2:2 Awb", ("2:2", "", (), "awb")),
    ("artikel 4:8 van de Algemene wet bestuursrecht", ("4:8", "", (), "awb")),
    ("artikel 141 Sr", ("141", "", (), "sr")),
    ("artikel 138 Wetboek van Strafrecht", ("138", "", (), "sr")),
    ("art 6, 5e lid, Wob)", ("6", "5", (), "wob")),
    ("artikel 6, vijfdelid, van de Wob", ("6", "5", (), "wob")),
    ("artikel 1, eerste lid, onder b en e, van de Warenwet", ("1", "1", ("b", "e"), "warenwet")),
    ("artikel 15, eerste lid, van het Warenwetbesluit hygiene van levensmiddelen",
     ("15", "1", (), "warenwetbesluithygienevanlevensmiddelen")),
    ("artikel 19.1a van de Wet milieubeheer", ("19.1a", "", (), "wetmilieubeheer")),
    ("artikel 2.57 Aanbestedingswet", ("2.57", "", (), "aanbestedingswet")),
    ("artikel 7, twaalfde lid, onderdeel 3, Opiumwet", ("7", "12", ("3",), "opiumwet")),
    ("artikel 12 bis Sv", ("12bis", "", (), "sv")),
    ("artikel 3 van de Wet veiligheidsregio's", ("3", "", (), "wetveiligheidsregios")),
])
def test_normal_form(text, expected):
    found = list(find_citations(text))
    assert len(found) == 1, found
    c = found[0]
    assert (c.article, c.lid, c.subs, c.law) == expected


@pytest.mark.parametrize("text", [
    "dit artikel is van toepassing", "een lid van de gemeenteraad", "onder e van de lijst", "lid 2 sub e",
    "1. a. b. 2.", "versie 1.2.3.a", "Document Beoordeling Wob artikel\n\n1. dieren op pd", "paragraaf 4.1.2.b", "het artikel onder a", "10.2", "bedrag 10.2.2021",
])
def test_no_false_citations(text):
    assert list(find_citations(text)) == []


@pytest.mark.parametrize("text, expected", [
    ("in artikel 3 van dit besluit", ("3", "")),    # no law: an unscoped citation, not a law called "besluit"
    ("artikel 10 onder andere", ("10", "")),        # "onder andere" is no item
    ("Artikel 10 1. Het verstrekken", ("10", "")),  # the law's own numbered paragraph is not "lid 1"
])
def test_citations_without_law_or_parts(text, expected):
    (c,) = find_citations(text)
    assert (c.article, c.lid, c.subs, c.law) == (expected[0], expected[1], (), "")


QUERY_FORMS = ["artikel 10 lid 2 sub e", "art. 10, tweede lid, aanhef en onder e", "artikel 10, lid 2, onder e",
               "10.2.e", "artikel 10 lid 2 sub e Wob", "art. 10 lid 2 sub e Wet openbaarheid van bestuur"]
INDEXED = ["Op grond van artikel 10, tweede lid, aanhef en onder e, van de Wob maak ik namen niet openbaar.",
           "Art. 10 lid 2 sub e Wob", "geweigerd: 10.2.e"]


def _terms(text: str, mode: str) -> set[str]:
    return {t.text for t in dutch_analyzer()(normalise_citations(text) if mode == "query" else text, mode=mode)}


@pytest.mark.parametrize("query", QUERY_FORMS)
@pytest.mark.parametrize("text", INDEXED)
def test_every_query_form_meets_every_written_form(query, text):
    # A query with a law asks for the law's term or the term without law: a text without law still matches.
    assert _terms(query, "query") & _terms(text, "index")


def test_levels_find_wider_citations_and_exact_items_only():
    indexed = _terms("artikel 10, tweede lid, onder g, van de Wob", "index")
    assert _terms("artikel 10", "query") <= indexed
    assert _terms("artikel 10 lid 2", "query") <= indexed
    assert not _terms("artikel 10 lid 2 sub e", "query") & indexed
    assert not _terms("artikel 10 lid 1", "query") & indexed
    assert not _terms("artikel 11", "query") & indexed


def test_a_law_in_the_query_prefers_that_law_and_still_meets_a_text_without_law():
    query = _terms("artikel 172 Gemeentewet", "query")
    assert query == {"gemeentewet§172§", "§172§"}
    assert query <= _terms("op grond van artikel 172 van de Gemeentewet", "index")
    assert query & _terms("op grond van artikel 172 kan de burgemeester", "index") == {"§172§"}
    assert query & _terms("artikel 172 Wetboek van Strafrecht", "index") == {"§172§"}


def test_query_words_of_a_citation_are_not_dropped_and_other_words_stay():
    analyzer = dutch_analyzer()
    q = normalise_citations('artikel 6 lid 2 Wob verdaging "artikel 10"')
    assert q.startswith("wetsartikel_6_2__wob verdaging")
    assert q.endswith('"artikel 10"')  # a quoted phrase keeps its words
    assert [t.text for t in analyzer(q, mode="query")] == ["wob§6§2§", "§6§2§", "verdag", "artikel", "10"]
    assert normalise_citations(q) == q  # a normalised query stays as it is


def test_citation_terms_stand_beside_the_words_so_phrases_still_match():
    tokens = [(t.text, t.pos) for t in dutch_analyzer()("op grond van artikel 10 van de Wob", positions=True)]
    words = [(text, pos) for text, pos in tokens if "§" not in text]
    assert [pos for _, pos in words] == list(range(words[0][1], words[0][1] + len(words)))
    article = dict(words)["artikel"]
    assert {pos for text, pos in tokens if "§" in text} == {article}


def test_analyzer_with_the_citation_tokenizer_pickles_by_its_stable_path():
    data = pickle.dumps(dutch_analyzer())
    assert b"indexer.analysis" in data and b"CitationTokenizer" in data and b"StackedStopFilter" in data
    assert pickle.loads(data) == dutch_analyzer()


def test_facet_values_most_frequent_first_with_the_law_the_document_names():
    text = ("Op grond van artikel 10, tweede lid, aanhef en onder e, van de Wob. " + "10.2.e " * 5
            + "Artikel 11, eerste lid, van de Wob. artikel 4:8 Awb. Artikel 3 van dit besluit. Bijlage: Artikel 10")
    values = citation_values(text)
    assert values[0] == "art. 10 lid 2 sub e Wob"  # the bare 10.2.e counts for the Wob, which the text names
    # "Artikel 10" of the annex is the Wob's too; "artikel 3 van dit besluit" names no law.
    assert set(values) == {"art. 10 lid 2 sub e Wob", "art. 11 lid 1 Wob", "art. 4:8 Awb", "art. 3", "art. 10 Wob"}
    assert citation_values(text, limit=2) == values[:2]
    assert citation_values("Geen verwijzingen naar wetten.") == []


def test_a_documents_texts_tallied_apart_give_the_facet_of_the_whole():
    # The article facet of a document is merged from its title, summary and content tallied apart (indexer.index.
    # analysed keeps each text's tally, so a changed title is read alone): a bare "10.2.e" in the content still
    # counts for the Wob the summary names.
    title, summary = "Besluit op Wob-verzoek", "Op grond van artikel 10, tweede lid, aanhef en onder e, van de Wob."
    content = "Inventaris\n" + "10.2.e\n" * 4 + "Artikel 11, eerste lid, van de Wob. artikel 4:8 Awb."
    tallies = [citation_tally(text) for text in (title, summary, content)]
    assert facet_values(tallies) == citation_values("\n".join((title, summary, content)))
    assert facet_values(tallies)[0] == "art. 10 lid 2 sub e Wob"
    assert marshal.loads(marshal.dumps(tallies)) == tallies  # as the analysis cache keeps them
    assert facet_values(tallies, limit=1) == ["art. 10 lid 2 sub e Wob"] and facet_values([]) == []


def test_display_names_the_law_as_the_data_file_does():
    assert display(("172",), "gemeentewet") == "art. 172 Gemeentewet"
    assert display(("10", "2", "e"), "wob") == "art. 10 lid 2 sub e Wob"
    assert display(("10", "", "e")) == "art. 10 sub e"


def test_laws_file_loads_and_refuses_a_form_of_two_laws():
    laws = laws_by_key()
    assert {"wob", "woo", "awb", "gemeentewet", "sr", "sv", "politiewet", "wpg", "avg", "grondwet", "opiumwet",
            "apv", "wvw", "wetveiligheidsregios"} <= set(laws)
    assert law_of("Algemene wet bestuursrecht") == "awb" and law_of("GEMW") == "gemeentewet"
    assert law_of("besluit") == ""
    with pytest.raises(ValueError, match="regel 2"):
        parse_laws("Wob | Wet openbaarheid van bestuur\nWoo | wet openbaarheid van bestuur\n")


def test_facet_leaves_out_the_article_headings_of_a_quoted_law():
    # The bench's Wob decisions quote the Wob in an annex, "Artikel 1\nIn deze wet ...": before, a third of them
    # got the facet value "art. 1", a heading they do not cite.
    text = ("Op grond van artikel 10, tweede lid, aanhef en onder e, van de Wob.\n\nBijlage\nArtikel 1\n"
            "In deze wet en de daarop berustende bepalingen wordt verstaan onder: a. document\nArtikel 2\nEen "
            "bestuursorgaan verstrekt informatie.\nZie ook artikel 3 van dit besluit.")
    assert citation_values(text) == ["art. 10 lid 2 sub e Wob", "art. 3"]
