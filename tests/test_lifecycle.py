"""Index lifecycle: update applies only what changed, generations switch together, rollback, clean-up, stats, logs."""
from __future__ import annotations

import hashlib
import json
import logging
import re

import pytest

from indexer.cli import main
from indexer.extract import CACHE_DIRNAME
from indexer.files import atomic_write
from indexer.index import store
from indexer.index.build import build_index
from indexer.index.update import update_index
from indexer.search import SearchRequest, count_documents, search
from search_app import create_app
from tests.conftest import FILLER, PAGE3_WORD
from tests.pdfs import make_pdf

NEW_WORD = "buurtbemiddelingsproject"
QUERIES = ("gemeente", "polarisatie", PAGE3_WORD, NEW_WORD, "jongerenwerkers", "spanningen", "dreigingsbeeld")


def ids(index_dir, q, name="public"):
    """Return the ids of all hits for q in the current generation's named index."""
    with store.open_index(store.current_generation(index_dir), name).searcher() as s:
        return [h.document.id for h in search(s, SearchRequest(q=q, per_page=100)).hits]


def snapshot(index_dir):
    """Return what users would see: hits per query in both indexes, and the document counts."""
    out = {}
    for name in store.INDEX_NAMES:
        with store.open_index(store.current_generation(index_dir), name).searcher() as s:
            out[name, "count"] = count_documents(s)
            for q in QUERIES:
                hits = search(s, SearchRequest(q=q, per_page=100)).hits
                out[name, q] = {h.document.id: round(h.score, 4) for h in hits}
    return out


def file_hashes(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def change_corpus(corpus):
    """Add a members-only document with a new PDF, change one summary, remove one record and one PDF."""
    make_pdf(corpus / "pdf" / "bemiddeling.pdf", ["Over het " + NEW_WORD + " in de wijk. " + FILLER])
    cat = (corpus / "catalogue.yaml").read_text(encoding="utf-8")
    cat = cat.replace("Wat gemeenten kunnen doen tegen polarisatie.",
                      "Wat gemeenten kunnen doen tegen polarisatie en spanningen.")
    start = cat.index("  - id: dreigingsbeeld")
    end = cat.index("  - id: kapotte-pdf")
    cat = cat[:start] + cat[end:]
    cat += ("  - id: bemiddeling\n    title: Buurtbemiddeling\n    summary: Alleen voor leden.\n"
            "    date: 2025-01-02\n    author: VAR\n    access: members\n    pdf: bemiddeling.pdf\n")
    (corpus / "catalogue.yaml").write_text(cat, encoding="utf-8")
    (corpus / "pdf" / "los-document.pdf").unlink()


def test_update_adds_replaces_and_removes_only_what_changed(corpus_copy):
    corpus, index = corpus_copy
    old_gen = store.current_generation(index)
    old_files = file_hashes(old_gen)
    change_corpus(corpus)

    report = update_index(corpus, index)

    assert report.mode == "update"
    assert report.added == ["bemiddeling"]
    # kapotte-pdf moved up one place in the listing (its stored order changed); its PDF was not read again.
    assert report.replaced == ["handreiking-polarisatie", "kapotte-pdf"]
    assert sorted(report.removed) == ["dreigingsbeeld", "los-document"]
    assert report.extracted == 1  # only the new PDF was read; the others came from the previous generation
    assert ids(index, NEW_WORD, "all") == ["bemiddeling"]
    assert ids(index, NEW_WORD, "public") == []  # members only: both indexes switched together
    assert ids(index, "spanningen")[0] == "handreiking-polarisatie"
    assert ids(index, "dreigingsbeeld") == [] and ids(index, "jongerenwerkers") == []
    assert ids(index, PAGE3_WORD) == ["rapport-online-ordeverstoringen"]
    # Copy-on-write: the previous generation is byte for byte what it was, and still there for rollback.
    assert store.current_generation(index) != old_gen
    assert file_hashes(old_gen) == old_files


def test_update_gives_the_same_answers_as_a_full_build(corpus_copy, tmp_path):
    corpus, index = corpus_copy
    change_corpus(corpus)
    update_index(corpus, index)
    (corpus / "pdf" / "leeg.pdf").unlink()
    make_pdf(corpus / "pdf" / "rapport.pdf", ["Een nieuwe versie zonder het oude woord. " + FILLER])
    second = update_index(corpus, index)
    assert second.replaced == ["rapport-online-ordeverstoringen"] and second.extracted == 1
    fresh = tmp_path / "fresh"
    build_index(corpus, fresh)
    updated, rebuilt = snapshot(index), snapshot(fresh)
    assert updated == rebuilt  # scores too: segments are kept or written whole, nothing is deleted in place
    assert ids(index, PAGE3_WORD) == []


def test_update_of_an_unchanged_corpus_does_nothing(corpus_copy):
    corpus, index = corpus_copy
    before = store.current_generation(index)
    report = update_index(corpus, index)
    assert report.unchanged and store.current_generation(index) == before


@pytest.mark.parametrize("situation", ["no index", "old manifest"])
def test_update_falls_back_to_a_full_build(corpus_copy, tmp_path, situation):
    corpus, index = corpus_copy
    if situation == "no index":
        index = tmp_path / "empty"
    else:  # a generation written before per-document digests existed
        gen = store.current_generation(index)
        manifest = store.read_manifest(gen)
        del manifest["documents"]
        atomic_write(gen / store.MANIFEST, json.dumps(manifest))
    report = update_index(corpus, index)
    assert report.mode == "build" and report.documents == 5
    assert ids(index, PAGE3_WORD) == ["rapport-online-ordeverstoringen"]


def test_running_app_follows_new_generations_and_requests_in_flight_keep_theirs(corpus_copy, tmp_path):
    corpus, index = corpus_copy
    app = create_app({"TESTING": True, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(index),
                      "INSTANCE_DIR": str(tmp_path / "instance"), "SECRET_KEY": "t"})
    from search_app import indexes
    with app.test_request_context("/"):  # a request that started before the switch
        before = indexes.generation_name()
        searcher = indexes.searcher("public")
        change_corpus(corpus)
        update_index(corpus, index)
        assert indexes.generation_name() == before
        assert search(searcher, SearchRequest(q="jongerenwerkers")).total == 1
    health = app.test_client().get("/api/health").get_json()
    assert health["generation"] == store.current_generation(index).name != before
    hits = app.test_client().get("/api/search?q=jongerenwerkers").get_json()["hits"]
    assert hits == []


def test_rollback_returns_to_the_previous_generation(corpus_copy, runner):
    corpus, index = corpus_copy
    first = store.current_generation(index)
    change_corpus(corpus)
    update_index(corpus, index)
    r = runner.invoke(main, ["rollback", "--index", str(index)])
    assert r.exit_code == 0 and first.name in r.output
    assert store.current_generation(index) == first
    assert ids(index, "jongerenwerkers") == ["los-document"]


def test_old_generations_and_abandoned_builds_are_cleaned_up(corpus_copy):
    corpus, index = corpus_copy
    (index / "tmp-20200101T000000-1").mkdir()  # what a killed build leaves behind
    (index / ".CURRENT.999.tmp").write_text("gen-x\n")
    for n in range(4):
        (corpus / "pdf" / f"extra-{n}.pdf").write_bytes((corpus / "pdf" / "handreiking.pdf").read_bytes())
        build_index(corpus, index)
    gens = store.generations(index)
    assert len(gens) == store.KEEP_GENERATIONS and gens[-1] == store.current_generation(index)
    assert not list(index.glob("tmp-*")) and not list(index.glob(".CURRENT.*"))


def test_generation_names_sort_in_build_order(tmp_path):
    names = [store.new_build_dir(tmp_path).name for _ in range(5)]
    assert names == sorted(names) and len(set(names)) == 5


def test_stats_lists_generations_with_sizes_build_times_and_skipped_files(corpus_copy, runner):
    corpus, index = corpus_copy
    change_corpus(corpus)
    update_index(corpus, index)
    r = runner.invoke(main, ["stats", "--index", str(index)])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    gen_lines = [line for line in lines if line.startswith((" * gen-", "   gen-"))]
    assert len(gen_lines) == 2
    assert "gebouwd" in gen_lines[0] and "KiB" in gen_lines[0] and " s," in gen_lines[0]
    assert gen_lines[1].startswith(" * ") and "bijgewerkt" in gen_lines[1]
    assert "Overgeslagen: kapot.pdf" in r.output
    r = runner.invoke(main, ["stats", "--json", "--index", str(index)])
    info = __import__("json").loads(r.output)
    assert [g["current"] for g in info["generations"]] == [False, True]
    assert all(g["size"] > 0 and g["seconds"] is not None for g in info["generations"])


def test_update_command_reports_what_changed(corpus_copy, runner):
    corpus, index = corpus_copy
    change_corpus(corpus)
    r = runner.invoke(main, ["update", "--verbose", "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 3, r.output  # kapot.pdf is still skipped
    assert "Index bijgewerkt" in r.output
    assert "toegevoegd: 1, vervangen: 2, verwijderd: 2; 1 PDF opnieuw gelezen" in r.output
    assert "toegevoegd: bemiddeling" in r.output  # the ids only with --verbose
    r = runner.invoke(main, ["update", "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 0 and "niets te doen" in r.output


def test_one_log_line_per_build_step(corpus_copy, caplog):
    corpus, index = corpus_copy
    caplog.set_level(logging.INFO, logger="kennisbank.build")
    build_index(corpus, index)
    steps = [r.getMessage().split()[0] for r in caplog.records if r.name == "kennisbank.build"]
    assert steps == ["step=lock", "step=cleanup", "step=extract", "step=plan", "step=commit", "step=write",
                     "step=scores", "step=publish", "step=cleanup"]
    assert all("status=ok" in r.getMessage() and "seconds=" in r.getMessage() for r in caplog.records)
    caplog.clear()
    change_corpus(corpus)
    update_index(corpus, index)
    steps = [r.getMessage().split()[0] for r in caplog.records if r.name == "kennisbank.build"]
    # An update writes only the segments that hold a change; its commit line says how many of how many.
    assert steps == ["step=lock", "step=cleanup", "step=extract", "step=plan", "step=commit", "step=write",
                     "step=scores", "step=publish", "step=cleanup"]
    commit = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("step=commit"))
    assert re.search(r" segments=\d+ written=\d+ ", commit), commit


def test_update_help_has_an_example(runner):
    r = runner.invoke(main, ["update", "--help"])
    assert r.exit_code == 0 and "Voorbeeld:" in r.output and "kennisbank update" in r.output


def test_verbose_cli_writes_one_log_line_per_build_step(corpus_copy):
    # A real process, so logging is configured exactly as for a maintainer running the command.
    import subprocess
    import sys
    corpus, index = corpus_copy
    r = subprocess.run([sys.executable, "-c", "from indexer.cli import main; main()", "-v", "build",
                        "--corpus", str(corpus), "--index", str(index)], capture_output=True, text=True)
    assert r.returncode == 3, r.stderr
    lines = [line for line in r.stderr.splitlines() if "kennisbank.build step=" in line]
    assert [line.split("step=")[1].split()[0] for line in lines] == [
        "lock", "cleanup", "extract", "plan", "commit", "write", "scores", "publish", "cleanup"]


def test_update_keeps_the_extraction_cache_of_unchanged_pdfs(corpus_copy):
    # Bug found when merging: update read only the changed PDFs and pruned the extraction cache down to those,
    # so the next full build read every unchanged PDF again.
    corpus, index = corpus_copy
    cache = index / CACHE_DIRNAME
    before = {p.name for p in cache.glob("*.json")}
    assert before
    make_pdf(corpus / "pdf" / "nieuw.pdf", ["Een nieuw document over het " + NEW_WORD + ". " + FILLER])
    report = update_index(corpus, index)
    assert report.extracted == 1
    assert before < {p.name for p in cache.glob("*.json")}
