"""Version stamps and determinism: every stamp is in the fingerprint, and the same corpus builds the same index."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from indexer.index import store, versions
from indexer.index.build import build_index, is_up_to_date
from indexer.index.update import update_index
from indexer.index.wordlist import WordList
from indexer.search import SearchRequest, search

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("stamp", sorted(versions.STAMPS))
def test_bumping_any_version_stamp_makes_build_if_needed_rebuild(corpus_copy, monkeypatch, stamp):
    corpus, index = corpus_copy
    before = store.current_generation(index)
    assert build_index(corpus, index, if_needed=True).unchanged  # nothing changed yet
    module, constant = versions.STAMPS[stamp]
    monkeypatch.setattr(module, constant, str(getattr(module, constant)) + "-bumped")
    assert not is_up_to_date(corpus, index)
    report = build_index(corpus, index, if_needed=True)
    assert not report.unchanged and report.generation != before.name


@pytest.mark.parametrize("stamp", ["schema", "analysis"])
def test_update_after_an_index_format_change_is_a_full_build(corpus_copy, monkeypatch, stamp):
    corpus, index = corpus_copy
    module, constant = versions.STAMPS[stamp]
    monkeypatch.setattr(module, constant, str(getattr(module, constant)) + "-bumped")
    assert update_index(corpus, index).mode == "build"


def test_update_after_an_extraction_change_reads_every_pdf_again(corpus_copy, monkeypatch):
    # Reproduces a bug: the text cache of `update` was keyed by file hash only, so a new extractor was ignored.
    corpus, index = corpus_copy
    module, constant = versions.STAMPS["extraction"]
    monkeypatch.setattr(module, constant, str(getattr(module, constant)) + "-bumped")
    report = update_index(corpus, index)
    assert report.mode == "update" and report.extracted == len(list((corpus / "pdf").glob("*.pdf")))


def test_every_version_constant_is_a_registered_stamp():
    registered = {(module.__name__, constant) for module, constant in versions.STAMPS.values()}
    for path in sorted((ROOT / "indexer").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            names = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            for name in names:
                if name.endswith("VERSION") and module != "indexer.index.versions":
                    assert (module, name) in registered, f"{module}.{name} is not in versions.STAMPS"


def test_every_word_list_of_the_analysis_is_in_the_analysis_data_stamp():
    # Reproduces a gap: data/laws.txt (which citations become terms) was not stamped, so an edit to it left
    # `build --if-needed` content and `update` building on an index made with the old list.
    data = ROOT / "indexer" / "analysis" / "data"
    assert sorted(versions.ANALYSIS_DATA) == sorted(f"data/{p.name}" for p in data.iterdir() if p.is_file())


def test_the_manifest_records_the_stamps(built_corpus):
    _, index, _ = built_corpus
    assert store.read_manifest(store.current_generation(index))["stamps"] == versions.stamps()


def term_counts(searcher, field: str, text: bytes) -> tuple:
    """A term's (document frequency, frequency); for the spelling field the number of documents holding the word,
    however it is stored: a word list holds each word once per segment weighted by its documents (its document
    frequency counts segments, a matter of layout), and schema 11's text field (bench/build_bench.py's old path)
    a posting per document."""
    reader = searcher.reader()
    if isinstance(searcher.schema[field], WordList):
        return ("documents", reader.frequency(field, text))
    if field == "spelling":
        return ("documents", reader.doc_frequency(field, text))
    return reader.doc_frequency(field, text), reader.frequency(field, text)


def index_content(index: Path) -> dict:
    """Everything a build writes that a visitor can see: stored fields, terms with frequencies, answers."""
    gen = store.current_generation(index)
    content = {}
    for name in store.INDEX_NAMES:
        with store.open_index(gen, name).searcher() as s:
            reader = s.reader()
            stored = sorted((repr(sorted(fields.items())) for fields in s.all_stored_fields()))
            terms = sorted((field, text, *term_counts(s, field, text)) for field, text in reader.all_terms())
            answers = {q: [(h.document.id, h.score, [p.page for p in h.pages], h.snippet)
                           for h in search(s, SearchRequest(q=q)).hits]
                       for q in ("polarisatie", "ordeverstoringen online", '"openbare orde"', "verbod")}
            content[name] = (stored, terms, answers)
    return content


def test_the_same_corpus_builds_the_same_index_twice(built_corpus, tmp_path):
    corpus, _, _ = built_corpus
    build_index(corpus, tmp_path / "first")
    build_index(corpus, tmp_path / "second")
    first, second = index_content(tmp_path / "first"), index_content(tmp_path / "second")
    assert first["public"][0] and first["public"][1]  # something to compare
    assert first == second
