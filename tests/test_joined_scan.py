"""A document's pages get the dates and citations their own scans give, from one scan of the document's text."""
from __future__ import annotations

import random

import pytest

from bench.corpus_gen import CorpusGenerator, dutch_vocabulary
from indexer.analysis import joined
from indexer.analysis.citations import find_citations
from indexer.analysis.citeterms import citations_in
from indexer.analysis.dates import dates_in, find_dates

# Pieces that put a date, a citation or a numbered part across a page's edge, or right at it.
PIECES = [
    "besluit van 12", "maart 2021 over", "12 maart", "2021", "op 3-4-2020", "2020-04-03", "31-02-2021", "artikel 10",
    "lid 2 sub e van de Wob", "tweede lid", "aanhef en onder e", "van de Wet open overheid", "art", "5 Awb", "art.",
    "10.2.e", "10.2.e Wob", "versie", "1.2.3.a", "paragraaf", "5.1.2.b", "Wob", "artikel 5.1, eerste lid, onder c",
    "en d", "de Woo", "gelet op", "  ", "\n", "\t", "1", "(", ")", "8 juni", "mrt. 2019", "bijlage 3", "2", "e",
]


def _pages(rng: random.Random) -> list[str]:
    pages = []
    for _ in range(rng.randint(1, 6)):
        text = "".join(rng.choice(PIECES) + rng.choice(["", " ", "\n", ", ", ". "]) for _ in range(rng.randint(0, 6)))
        pages.append(text)
    return pages


def _check(pages: list[str]) -> int:
    content = "\n\n".join(pages)
    texts = [text for text in pages if text]
    done = joined.scan_document(content, texts)
    try:
        assert dates_in(content) == list(find_dates(content))
        assert citations_in(content) == list(find_citations(content))
        for text in texts:
            assert dates_in(text) == list(find_dates(text)), (pages, text)
            assert citations_in(text) == list(find_citations(text)), (pages, text)
    finally:
        joined.forget()
    return done


def test_pages_across_whose_edges_dates_and_citations_run_get_their_own_scans():
    # Each of these reads differently in the whole text than on its pages.
    for pages in (["besluit van 12", "maart 2021 over"], ["artikel 10", "lid 2 sub e van de Wob"],
                  ["zie art", "5 Awb"], ["versie", "1.2.3.a"], ["10.2.e", "Wob"], ["12 maart", "", "2021"]):
        _check(pages)
    assert joined.scan_document("a 12\n\nmaart 2021", ["a 12", "maart 2021"]) == 0
    joined.forget()


def test_pages_with_nothing_across_their_edges_take_their_share_of_one_scan():
    pages = ["Besluit van 2 maart 2021 op grond van artikel 10, tweede lid, onder e, van de Wob.",
             "", "Zie ook art. 5.1 lid 2 Woo en 10.2.e.", "Op 3-4-2020 niets."]
    assert _check(pages) == 3
    content = "\n\n".join(pages)
    joined.scan_document(content, [p for p in pages if p])
    try:
        assert dates_in.primed[id(pages[3])][1] == [(3, 11, "2020-04-03")]
        assert dates_in(pages[3]) is dates_in.primed[id(pages[3])][1]  # the primed list, not a new scan
    finally:
        joined.forget()
    assert not dates_in.primed and not citations_in.primed


@pytest.mark.parametrize("seed", range(40))
def test_random_pages_get_what_their_own_scans_give(seed):
    rng = random.Random(seed)
    for _ in range(50):
        _check(_pages(rng))


def test_synthetic_documents_get_what_their_own_scans_give():
    for doc in CorpusGenerator(dutch_vocabulary(), seed=5).documents(20):
        _check([page.text for page in doc.pdf.pages])


def test_pages_not_found_in_order_are_left_to_their_own_scans():
    assert joined.scan_document("een\n\ntwee", ["een", "twee"]) == 2
    joined.forget()
    assert joined.scan_document("een\n\ntwee", ["twee", "een"]) == 0  # not in the text's order
    joined.forget()
    assert joined.scan_document("een twee", ["een", "twee"]) == 0  # no line break after "een"
    joined.forget()


def test_an_index_is_the_same_with_and_without_the_one_scan(corpus_copy, tmp_path, monkeypatch):
    from indexer.index import entries
    from indexer.index.build import build_index

    from .test_versions import index_content
    corpus, _ = corpus_copy
    monkeypatch.setenv("KENNISBANK_INDEX_JOBS", "1")
    build_index(corpus, tmp_path / "one-scan")
    monkeypatch.setattr(entries, "scan_document_entries", lambda entries, n: None)
    build_index(corpus, tmp_path / "own-scans")
    one, own = index_content(tmp_path / "one-scan"), index_content(tmp_path / "own-scans")
    assert one["all"][1] and one == own
