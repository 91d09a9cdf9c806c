"""The spelling word list: each word once per segment, weighted by the documents that hold it (issue 18)."""
from __future__ import annotations

import copy
import textwrap

import pytest
from whoosh import index as whoosh_index

from indexer.index import internals, segments, store
from indexer.index.build import build_index
from indexer.index.schema import build_schema
from indexer.index.update import update_index
from indexer.search.suggest import suggest

DOCS = [
    [{"uid": "doc:a", "kind": "doc", "id": "a", "title": "Polarisatie in de wijk", "summary": "",
      "content": "Polarisatie, polarisatie en nog eens polarisatie. Demonstraties."},
     {"uid": "page:a:1", "kind": "page", "id": "a", "page": 1, "page_text": "Polarisatie en paginawoord."}],
    [{"uid": "doc:b", "kind": "doc", "id": "b", "title": "Demonstraties", "summary": "Over één demonstratie.",
      "content": ""}],
]
# Read off DOCS: the documents (not pages, not occurrences) that hold each folded, unstemmed word.
EXPECTED = {"polarisatie": 1, "in": 1, "de": 1, "wijk": 1, "en": 1, "nog": 1, "eens": 1, "demonstraties": 2,
            "over": 1, "een": 1, "demonstratie": 1}


def word_list(folder) -> dict[str, tuple[int, float, list[int]]]:
    """{word: (document frequency, frequency, entries holding it)} of the spelling field of an index folder."""
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        reader = searcher.reader()
        return {text.decode(): (reader.doc_frequency("spelling", text), reader.frequency("spelling", text),
                                list(reader.postings("spelling", text).all_ids()))
                for text in reader.lexicon("spelling")}


@pytest.mark.parametrize("fast", [True, False], ids=["direct writer", "whooshs writer"])
def test_a_segment_lists_each_word_once_with_the_documents_that_hold_it(tmp_path, fast):
    entries = [entry for doc in DOCS for entry in doc]
    segment = internals.write_segment(str(tmp_path / "part"), build_schema(), entries, fast=fast)
    internals.commit_segments(str(tmp_path / "part"), [segment])
    found = word_list(tmp_path / "part")
    assert {word: freq for word, (_df, freq, _ids) in found.items()} == EXPECTED
    # One posting per word, on the segment's last entry; words of pages are not in the list.
    assert {(df, tuple(ids)) for df, _freq, ids in found.values()} == {(1, (len(entries) - 1,))}


def test_the_entries_handed_in_are_left_as_they_were(tmp_path):
    # Entry dicts are shared by the public and the members index: a word list left on one would reach the other.
    entries = [entry for doc in DOCS for entry in doc]
    before = copy.deepcopy(entries)
    internals.write_segment(str(tmp_path / "part"), build_schema(), entries)
    assert entries == before


def test_the_schemas_field_indexes_a_text_as_one_document():
    postings = build_schema()["spelling"].index("Polarisatie polarisatie wijk")
    assert postings == [(b"polarisatie", 1, 1.0, postings[0][3]), (b"wijk", 1, 1.0, postings[1][3])]


def catalogue(corpus, text: str) -> None:
    corpus.mkdir(exist_ok=True)
    (corpus / "catalogue.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


KAART = """\
    documents:
      - id: een
        title: De kaart van de wijk
        summary: Een kaart.
        date: 2024-01-01
      - id: twee
        title: Nog een kaart
        summary: Weer een kaart.
        date: 2024-01-02
      - id: drie
        title: Derde kaart
        summary: De kaart opnieuw.
        date: 2024-01-03
      - id: vier
        title: Kaars
        summary: Kaars kaars kaars kaars kaars kaars kaars kaars kaars kaars.
        date: 2024-01-04
"""


def test_a_suggestion_is_the_word_more_documents_hold(tmp_path, monkeypatch):
    # "kaarx" is one edit from "kaart" (3 documents, 6 times) and from "kaars" (1 document, 11 times), each document
    # in a segment of its own: documents decide, not occurrences and not segments.
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    catalogue(tmp_path / "corpus", KAART)
    build_index(tmp_path / "corpus", tmp_path / "index")
    gen = store.current_generation(tmp_path / "index")
    assert len(store.read_manifest(gen)["segments"]["all"]) == 4
    with store.open_index(gen, "public").searcher() as searcher:
        assert suggest(searcher, "kaarx", lambda q: True) == "kaart"
        assert searcher.frequency("spelling", "kaart") == 3 and searcher.frequency("spelling", "kaars") == 1


def test_an_update_keeps_the_counts_a_full_build_gives(tmp_path, monkeypatch):
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    catalogue(tmp_path / "corpus", KAART)
    build_index(tmp_path / "corpus", tmp_path / "index")
    catalogue(tmp_path / "corpus", KAART.replace("title: Derde kaart", "title: Derde plattegrond"))
    assert update_index(tmp_path / "corpus", tmp_path / "index").mode == "update"
    build_index(tmp_path / "corpus", tmp_path / "full")
    counts = []
    for index in ("index", "full"):
        with store.open_index(store.current_generation(tmp_path / index), "all").searcher() as searcher:
            reader = searcher.reader()
            counts.append({t: reader.frequency("spelling", t) for t in reader.lexicon("spelling")})
    assert counts[0] == counts[1] and counts[0][b"kaart"] == 3 and counts[0][b"plattegrond"] == 1


def test_members_only_words_are_not_in_the_public_word_list(tmp_path, monkeypatch):
    monkeypatch.setattr(segments, "MIN_SEGMENT_CHARS", 1)
    catalogue(tmp_path / "corpus", KAART + """\
      - id: geheim
        title: Zwanenprotocol
        summary: Het vertrouwelijke zwanenprotocol van de kaart.
        date: 2024-01-05
        access: members
""")
    build_index(tmp_path / "corpus", tmp_path / "index")
    gen = store.current_generation(tmp_path / "index")
    public, members = (word_list(gen / name) for name in ("public", "all"))
    assert "zwanenprotocol" in members and "zwanenprotocol" not in public
    assert public["kaart"][1] == 3 and members["kaart"][1] == 4
