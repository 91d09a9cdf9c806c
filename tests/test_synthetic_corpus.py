"""The benchmark's synthetic corpus, indexed through the real indexing code, and the query service over it."""
from __future__ import annotations

import re

from collections import Counter

import pytest
from whoosh import highlight
from whoosh import query as wq
from whoosh.util.numeric import length_to_byte

from bench.corpus_gen import DOCTYPES, CorpusGenerator, Vocabulary
from bench.synthetic_index import build_ours
from indexer.index import internals, store
from indexer.index.plan import document_entries
from indexer.search import FACET_FIELDS, SearchRequest, search, searcher_cache
from indexer.search.facets import MULTI_VALUED, bitmap, count_values
from indexer.search.pages import BlockMaps
from indexer.search.query import parse_query
from indexer.search.ranking import query_scores, top
from indexer.search.snippets import MarkFormatter
from indexer.search.tables import TermScores

# A tiny stand-in for wordfreq's Dutch list, so the tests need no benchmark extras.
WORDS = Vocabulary.from_frequencies([("de", 60), ("van", 30), ("het", 30), ("een", 25), ("en", 25),
                                     ("beleid", 5), ("wijk", 4), ("bewoners", 4), ("overleg", 3), ("jongeren", 3)])
DOCS = 40


@pytest.fixture(scope="module")
def synthetic_index(tmp_path_factory):
    """A 40-document synthetic index built like the benchmark builds it."""
    index = tmp_path_factory.mktemp("synthetic") / "index"
    build_ours(index, CorpusGenerator(WORDS, seed=3), DOCS)
    return store.open_index(store.current_generation(index), "public")


@pytest.fixture(scope="module")
def synthetic_searcher(synthetic_index):
    """One searcher kept open for the whole module, as the app keeps one across requests."""
    with synthetic_index.searcher() as s:
        yield s


def test_generator_is_deterministic_and_document_i_does_not_depend_on_the_count():
    a = list(CorpusGenerator(WORDS, seed=3).documents(5))
    b = list(CorpusGenerator(WORDS, seed=3).documents(12))[:5]
    assert [(d.record, d.pdf.text) for d in a] == [(d.record, d.pdf.text) for d in b]
    assert a[0].pdf.text != CorpusGenerator(WORDS, seed=4).document(0).pdf.text


def test_generated_documents_look_like_extracted_reports():
    doc = CorpusGenerator(WORDS, seed=3).document(7)
    assert 6 <= len(doc.pdf.pages) <= 14 and doc.record.pages == len(doc.pdf.pages)
    assert [p.number for p in doc.pdf.pages] == list(range(1, len(doc.pdf.pages) + 1))
    assert sum(len(p.text.split()) for p in doc.pdf.pages[1:]) / (len(doc.pdf.pages) - 1) > 150
    entries = list(document_entries(doc.record, doc.pdf))
    assert [e["kind"] for e in entries] == ["doc"] + ["page"] * len(doc.pdf.pages)


def test_synthetic_index_answers_with_facets_and_marked_page_snippets(synthetic_searcher):
    results = search(synthetic_searcher, SearchRequest(q="bewoners"))
    assert results.total == DOCS  # a frequent word of the tiny vocabulary is in every document
    assert all(h.pages and "<mark>bewoners</mark>" in h.pages[0].snippet.lower() for h in results.hits)
    for facet in results.facets:
        if facet.name in MULTI_VALUED:  # a document cites several articles, or none
            assert all(0 < v.count <= results.total for v in facet.values)
        else:
            assert sum(v.count for v in facet.values) == results.total


def test_a_selected_facet_still_counts_its_other_values(synthetic_searcher):
    plain = search(synthetic_searcher, SearchRequest(q="jongeren"))
    chosen = plain.facets[0].values[0].value
    filtered = search(synthetic_searcher, SearchRequest(q="jongeren", filters={"doctype": [chosen]}))
    by_name = {f.name: f for f in filtered.facets}
    assert {(v.value, v.count) for v in by_name["doctype"].values} == {(v.value, v.count)
                                                                      for v in plain.facets[0].values}
    assert [v.value for v in by_name["doctype"].values if v.selected] == [chosen]
    assert sum(v.count for v in by_name["author"].values) == filtered.total < plain.total
    assert {h.document.doctype for h in filtered.hits} == {chosen}


def test_a_searcher_reused_for_many_requests_answers_like_a_fresh_one(synthetic_index, synthetic_searcher):
    requests = [SearchRequest(q="overleg wijk"), SearchRequest(q="beleid", filters={"doctype": list(DOCTYPES[:2])}),
                SearchRequest(q="", date_from="2015", date_to="2019"), SearchRequest(q="jongeren", page=2)]
    reused = [search(synthetic_searcher, r) for r in requests for _ in range(2)][::2]
    with synthetic_index.searcher() as fresh:
        for request, first in zip(requests, reused):
            again = search(fresh, request)
            assert (again.total, [h.document.id for h in again.hits]) == (first.total, [h.document.id for h in first.hits])
            assert [(f.name, [(v.value, v.count) for v in f.values]) for f in again.facets] == \
                   [(f.name, [(v.value, v.count) for v in f.values]) for f in first.facets]


@pytest.mark.parametrize("q", ["bewoners", "beleid wijk", "overleg jongeren", "beleid -jongeren", "wijk OF overleg",
                               "titel:beleid", "onbekendwoord", '"de wijk"', 'overleg "van het"'])
def test_ranking_from_term_tables_equals_whoosh_ranking(synthetic_searcher, q):
    query = parse_query(q, synthetic_searcher.schema)
    scores = query_scores(TermScores(), synthetic_searcher, query)
    assert scores is not None  # plain words, phrases, OR and NOT are all answered from score tables
    whoosh = synthetic_searcher.search(query, limit=None, optimize=False)
    assert [(d, round(s, 9)) for s, d in whoosh.top_n] == [(d, round(scores[d], 9)) for d in top(scores, scores, 10**6)]


def test_page_snippets_mark_what_whooshs_own_highlighter_marks(synthetic_searcher):
    # Snippets are cut into sentences by indexer.search.passages, not by Whoosh's fragmenter, but the words they
    # mark come from the index's stored characters: each marked stretch is one Whoosh marks on that page too.
    results = search(synthetic_searcher, SearchRequest(q="beleid overleg"))
    q = wq.And([parse_query("beleid overleg", synthetic_searcher.schema, any_word=True, fields=("page_text",)),
                wq.Term("kind", "page")])
    expected = synthetic_searcher.search(q, limit=None, terms=True)
    expected.formatter = MarkFormatter()
    expected.fragmenter = highlight.WholeFragmenter(charlimit=None)
    marks = re.compile(r"<mark>(.*?)</mark>")
    by_page = {(r["id"], r["page"]): marks.findall(r.highlights("page_text", top=1)) for r in expected}
    shown = [(h.document.id, p.page, marks.findall(p.snippet)) for h in results.hits for p in h.pages]
    assert shown and any(marked for _, _, marked in shown)
    assert all(set(marked) <= set(by_page[(doc, page)]) for doc, page, marked in shown)


def test_pages_reached_through_block_maps_equal_whooshs_public_skip_to(synthetic_searcher):
    reader = synthetic_searcher.reader()
    longest = sorted(reader.lexicon("page_text"), key=lambda t: -reader.doc_frequency("page_text", t))[:3]
    pages = sorted(synthetic_searcher.docs_for_query(wq.Term("kind", "page")))[::3]
    norms = searcher_cache(synthetic_searcher).terms.norms
    # Several segments (issue 18): block maps are per segment, and find() reads each segment's own postings.
    leaves = [sub for sub, _offset in synthetic_searcher.leaf_searchers()]
    for btext in longest:
        blocks = [len(internals.block_map(sub.postings("page_text", btext))[0]) for sub in leaves
                  if ("page_text", btext) in sub.reader()]
        assert max(blocks) > 1  # several blocks to jump between
        fast = BlockMaps().find(synthetic_searcher, "page_text", btext, pages, norms)
        with internals.public_api_only():
            public = BlockMaps().find(synthetic_searcher, "page_text", btext, pages, norms)
        assert fast and fast == public


def test_page_scores_from_the_length_table_equal_whooshs_own_scorer(synthetic_searcher):
    # find() takes a word's BM25F figures once from the whole index and reads each segment's postings without a
    # scorer; without the length table (norms None) each segment's own Whoosh scorer scores: the same floats.
    reader = synthetic_searcher.reader()
    words = sorted(reader.lexicon("page_text"), key=lambda t: -reader.doc_frequency("page_text", t))[:20:4]
    pages = sorted(synthetic_searcher.docs_for_query(wq.Term("kind", "page")))
    norms = searcher_cache(synthetic_searcher).terms.norms
    for btext in words:
        table = BlockMaps().find(synthetic_searcher, "page_text", btext, pages, norms)
        assert table and table == BlockMaps().find(synthetic_searcher, "page_text", btext, pages, None)


@pytest.mark.parametrize("share", [1.0, 0.5, 0.2, 0.05, 0.0])
def test_facet_counts_from_bitmaps_equal_counting_each_result(synthetic_searcher, share):
    cache = searcher_cache(synthetic_searcher)
    docs = sorted(cache.docs)
    base = frozenset(docs[:int(len(docs) * share)])
    bits = bitmap(base, cache.size)
    by_bitmap = {name: {v: (bits & mask).bit_count() for v, mask in cache.masks(name).items()
                        if bits & mask} for name in FACET_FIELDS}
    # A multi-valued facet (the articles a document cites) keeps a tuple of values per document.
    by_lookup = {name: dict(Counter(v for d in base for v in cache.values[name][d]) if name in MULTI_VALUED
                            else Counter(cache.values[name][d] for d in base)) for name in FACET_FIELDS}
    assert by_bitmap == by_lookup
    counted = count_values(cache, list(FACET_FIELDS), base)  # whichever way it chooses for this size
    assert {n: {v: c for v, c in counted[n].items() if c} for n in FACET_FIELDS} == by_lookup


def test_field_lengths_read_in_one_piece_equal_whooshs_public_lengths(synthetic_searcher):
    reader = synthetic_searcher.reader()
    for fieldname in ("title", "summary", "content", "page_text"):
        fast = internals.length_bytes(reader, fieldname)
        public = [length_to_byte(reader.doc_field_length(d, fieldname, 0)) for d in range(reader.doc_count_all())]
        assert fast is not None and list(fast) == public


PUBLIC_API_QUERIES = ["beleid", "beleid overleg", "wijk OF jongeren", "jongeren -onbekendwoord", '"de wijk"', "bewoners*"]


def full_answer(searcher, q):
    r = search(searcher, SearchRequest(q=q, per_page=20))
    return (r.total, [(h.document.id, h.score, h.snippet, [(p.page, p.snippet) for p in h.pages]) for h in r.hits],
            [(f.name, [(v.value, v.count) for v in f.values]) for f in r.facets])


@pytest.mark.parametrize("q", PUBLIC_API_QUERIES)
def test_whooshs_public_api_gives_the_same_answers_as_the_fast_paths(synthetic_index, q):
    ix = synthetic_index
    with ix.searcher() as fast_searcher, ix.searcher() as public_searcher:
        fast = full_answer(fast_searcher, q)
        with internals.public_api_only():
            assert not internals.enabled()
            public = full_answer(public_searcher, q)
    assert fast[1] and fast == public


def test_another_whoosh_release_is_searched_through_the_public_api_and_logged_once(synthetic_index, monkeypatch,
                                                                                   caplog):
    ix = synthetic_index
    with ix.searcher() as s:
        expected = full_answer(s, "beleid overleg")
    assert internals.enabled()  # the pinned release: CI runs the fast paths
    monkeypatch.setattr(internals, "WRITTEN_FOR", (2, 7, 4))  # as if another release were installed
    internals.release_supported.cache_clear()
    try:
        with ix.searcher() as s:
            assert not internals.enabled()
            assert full_answer(s, "beleid overleg") == expected
            assert full_answer(s, "wijk") is not None
    finally:
        internals.release_supported.cache_clear()
    warnings = [r for r in caplog.records if r.name == "kennisbank.whoosh"]
    assert len(warnings) == 1 and "public API" in warnings[0].getMessage()
