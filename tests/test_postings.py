"""The direct segment writer (indexer.index.postings) writes the files Whoosh's own SegmentWriter writes, byte for byte
(but for small blocks it leaves uncompressed and postings it pickles with protocol 3, read back the same), and the
analyzer's one-pass counts are what Whoosh's formats make of its token stream."""
from __future__ import annotations

import datetime as dt
import pickle
import zlib

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader
from whoosh.system import _INT_SIZE, unpack_int

from bench.corpus_gen import CorpusGenerator, dutch_vocabulary
from indexer.corpus import Record
from indexer.extract import ExtractedPDF
from indexer.extract.model import Page
from indexer.index import internals, postings
from indexer.index.plan import document_entries
from indexer.index.postings import _fast_postings
from indexer.index.schema import build_schema

# Dates in every written form, citations in sentences and compact (weight 0.1), stop words, compounds, a date and a
# citation at the very start and end of a text, accents, an English record.
TEXTS = [
    "Besluit van 2 maart 2021 op grond van artikel 10, tweede lid, aanhef en onder e, van de Wob over "
    "ordeverstoringen en internetverbod in de gemeente. Zie ook 02-03-2021 en 2021-03-02.",
    "10.2.e 10.2.g Inventarislijst: document 1 (10.2.e), document 2 (5.1.2.c), versie 1.2.3.a",
    "De burgemeester heeft op 31-02-2021 (geen datum) en op 1/4/2020 besloten. Artikel 172 Gemeentewet. één café",
    "Alleen gewone woorden zonder data of wetsartikelen, met de het een en van in op te.",
    "artikel 5:8 Awb", "12 mei 2022", "",
    "Polarisatie, spanningen in de wijk, maatschappelijke onrust; openbare orde en veiligheid. " * 3,
    # Compact citations (weight 0.1) and full ones of the same article in turn: sums whose order matters.
    "10.2.e, 10.2.e en artikel 10 lid 2 sub e Wob; 10.2.e 10.2.e 10.2.e 10.2.e, art. 10 lid 2 Wob, 10.2.e. " * 4,
]


def entries_of(count: int = 40) -> list[dict]:
    """Entries as a build plans them: synthetic documents (one term in every document: several blocks) and TEXTS."""
    generator, entries = CorpusGenerator(dutch_vocabulary(), seed=5), []
    for doc in generator.documents(count):
        entries += document_entries(doc.record, doc.pdf)
    for n, text in enumerate(TEXTS):
        record = Record(id=f"tekst-{n}", title=text[:60], summary=text[:120], date=dt.date(2021, 3, 2),
                        author="NCTV", doctype="brief", pdf=f"t{n}.pdf", language="en" if n == 2 else "nl", order=n)
        pdf = ExtractedPDF(pages=[Page(1, text), Page(2, TEXTS[(n + 1) % len(TEXTS)]), Page(3, "")])
        entries += document_entries(record, pdf)
    return entries


def segment_files(folder, segment) -> dict[str, bytes]:
    """Every file inside a written segment's compound file, by its name without the segment id."""
    compound = segment.open_compound_file(FileStorage(str(folder)))
    return {name.split(".", 1)[1]: compound.open_file(name).read() for name in compound.list()}


def written(folder, entries, fast: bool):
    segment = internals.write_segment(str(folder), build_schema(), entries, fast=fast)
    return segment, segment_files(folder, segment)


@pytest.fixture
def whoosh_blocks(monkeypatch):
    """Compress and pickle every block as Whoosh's writer does, so that the files can be compared byte for byte."""
    monkeypatch.setattr(postings, "MIN_COMPRESS", 0)
    monkeypatch.setattr(postings, "DATA_PROTOCOL", 2)


def read_back(folder, segment) -> dict:
    """Every term's statistics and postings (docnum, weight, raw value) as Whoosh's reader gives them."""
    reader = SegmentReader(FileStorage(str(folder)), build_schema(), segment)
    try:
        out = {}
        for field, text in reader.all_terms():
            m, items = reader.postings(field, text), []
            while m.is_active():
                items.append((m.id(), m.weight(), m.value()))
                m.next()
            info = reader.term_info(field, text)
            out[field, text] = (info.doc_frequency(), info.weight(), info.min_length(), info.max_length(),
                                info.max_weight(), info.min_id(), info.max_id(), items)
        return out
    finally:
        reader.close()


def block_levels(folder, segment) -> list[tuple[int, int, int]]:
    """(pickle length, compression level, pickle protocol) of every block in the segment's postings file."""
    data, levels, n = segment_files(folder, segment)["pst"], [], 0
    while n < len(data):
        assert data[n:n + 4] == b"W3Bl"  # a term's blocks follow its header magic
        n += 4
        while True:
            length = unpack_int(data[n:n + _INT_SIZE])[0]
            body = data[n + _INT_SIZE:n + _INT_SIZE + abs(length)]
            info = pickle.loads(body)
            level, raw = info[3], body[len(pickle.dumps(info, 2)):]
            block = zlib.decompress(raw) if level else raw
            assert block[0] == pickle.PROTO[0]
            levels.append((len(block), level, block[1]))
            n += _INT_SIZE + abs(length)
            if length < 0:
                break
    return levels


def test_small_blocks_are_left_uncompressed_and_read_back_as_whooshs_own(tmp_path):
    entries = entries_of()
    plain, plain_files = written(tmp_path / "whoosh", entries, fast=False)
    direct, direct_files = written(tmp_path / "direct", entries, fast=True)
    # Only the postings and the term table (which points into them) differ; every other file is Whoosh's.
    assert {name for name in plain_files if direct_files[name] != plain_files[name]} == {"pst", "trm"}
    assert read_back(tmp_path / "direct", direct) == read_back(tmp_path / "whoosh", plain)
    levels = block_levels(tmp_path / "direct", direct)
    assert {level for size, level, _protocol in levels if size < postings.MIN_COMPRESS} == {0}
    assert {level for size, level, _protocol in levels if size >= postings.MIN_COMPRESS} == {3}
    assert {protocol for _size, _level, protocol in levels} == {postings.DATA_PROTOCOL} == {3}


def test_the_direct_writer_writes_the_bytes_whooshs_writer_writes(tmp_path, whoosh_blocks):
    entries = entries_of()
    plain, plain_files = written(tmp_path / "whoosh", entries, fast=False)
    direct, direct_files = written(tmp_path / "direct", entries, fast=True)
    assert sorted(direct_files) == sorted(plain_files)
    assert {"trm", "pst", "_stored.col", "_page_text_len.col"} <= set(direct_files)
    for name in plain_files:
        assert direct_files[name] == plain_files[name], name
    assert direct.doc_count_all() == plain.doc_count_all() == len(entries)
    # the segment's record in the table of contents (document count, field length totals), but its id and codec
    assert {k: v for k, v in vars(direct).items() if k not in ("segid", "_codec")} == \
        {k: v for k, v in vars(plain).items() if k not in ("segid", "_codec")}


def test_a_term_in_many_documents_spans_several_blocks(tmp_path, whoosh_blocks):
    # 300 documents with the same word: blocks of 128, 128 and 44 postings (the last one marked as last).
    entries = [{"uid": f"doc:{n}", "kind": "doc", "id": str(n), "content": "gemeente " * (n % 7 + 1)}
               for n in range(300)]
    plain = written(tmp_path / "whoosh", entries, fast=False)[1]
    assert written(tmp_path / "direct", entries, fast=True)[1] == plain


def test_entries_the_direct_writer_does_not_handle_go_through_whooshs_writer(tmp_path, whoosh_blocks):
    entries = [{"uid": "doc:a", "kind": "doc", "content": "gemeente", "_content_boost": 2.0},
               {"uid": "doc:b", "kind": "doc", "content": "gemeente politie"}]
    plain = written(tmp_path / "whoosh", entries, fast=False)[1]
    assert written(tmp_path / "direct", entries, fast=True)[1] == plain


def test_an_unknown_field_is_refused_as_whoosh_refuses_it(tmp_path):
    with pytest.raises(Exception, match="No field named 'nonsense'"):
        internals.write_segment(str(tmp_path / "x"), build_schema(), [{"uid": "doc:a", "nonsense": "x"}], fast=True)


@pytest.mark.parametrize("name", ["content", "page_text", "title", "summary", "title_en", "page_text_en",
                                  "content_en"])
def test_one_pass_counts_equal_the_formats_word_values(name):
    field = build_schema()[name]
    generator = CorpusGenerator(dutch_vocabulary(), seed=11)
    texts = TEXTS + ["\n\n".join(TEXTS)] + [doc.pdf.text for doc in generator.documents(5)]
    for text in texts:
        made = _fast_postings(field, text)
        assert made is not None, text[:80]  # compact citations too: their terms are summed in stream order
        length, terms, weights, values = made
        slow = list(field.format.word_values(text, field.analyzer, mode="index"))
        assert sorted(zip(terms, weights, values)) == sorted((t, w, v) for t, _f, w, v in slow)
        assert length == sum(f for _t, f, _w, _v in slow), text[:80]


def test_a_compact_citations_term_that_is_also_a_words_gives_way_to_the_token_stream():
    from indexer.analysis.wordcounts import term_frequencies
    memo = {"woord": (("t", 1.0),), "citaat": (("t", 1.0),)}
    assert term_frequencies({"woord": 2}, [("citaat", 1.0)], memo, None) == {"t": [3, 3.0]}
    assert term_frequencies({"woord": 2}, [("citaat", 0.1)], memo, None) is None  # 0.1 + 1 + 1 or 1 + 1 + 0.1
    assert term_frequencies({}, [("citaat", 0.1), ("citaat", 1.0)], memo, None) == {"t": [2, 0.1 + 1.0]}
