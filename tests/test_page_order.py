"""The page a person reads first: a decision letter's first page before an inventory row that repeats the words
(issue 14: "noodbevel Willem II supporters" showed p. 5, an inventory row, before p. 1, the decision)."""
from __future__ import annotations

import pytest
import yaml

from indexer.index import store
from indexer.index.build import build_index
from indexer.search import QueryService, SearchRequest, pageorder
from tests.pdfs import make_pdf

FILLER = ("De gemeente heeft de stukken beoordeeld en legt hieronder uit welke informatie openbaar wordt gemaakt. "
          "Persoonsgegevens zijn weggelakt. ")
PAGES = [
    "Besluit. De burgemeester heeft op 3 april een noodbevel gegeven aan de supporters van Willem II die zich bij "
    "het station verzamelden. " + FILLER * 3,
    FILLER * 4,
    FILLER * 4,
    FILLER * 4,
    "Inventarislijst. 12 mail noodbevel supporters Willem II deels openbaar. 13 verslag noodbevel supporters "
    "Willem II deels openbaar. " + FILLER,
]


@pytest.fixture(scope="module")
def search(tmp_path_factory):
    root = tmp_path_factory.mktemp("page-order")
    corpus = root / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    make_pdf(corpus / "pdf" / "besluit.pdf", PAGES)
    record = {"id": "besluit-noodbevel", "title": "Besluit op uw verzoek", "summary": "Een besluit.",
              "date": "2021-05-01", "pdf": "besluit.pdf"}
    (corpus / "catalogue.yaml").write_text(yaml.safe_dump({"documents": [record]}), encoding="utf-8")
    build_index(corpus, root / "index")
    service = QueryService(corpus)
    with store.open_index(store.current_generation(root / "index"), "public").searcher() as searcher:
        yield lambda q: [p.page for p in service.search(searcher, SearchRequest(q=q)).hits[0].pages]


def test_the_decision_page_comes_before_the_inventory_rows(search):
    assert search("noodbevel Willem II supporters")[:2] == [1, 5]


def test_without_the_early_page_weight_the_inventory_row_would_come_first(search, monkeypatch):
    # The bug as it was: the short inventory page repeats every word twice and outscored the decision.
    monkeypatch.setattr(pageorder, "EARLY_PAGE_WEIGHT", 0.0)
    assert search("noodbevel Willem II supporters")[:2] == [5, 1]
