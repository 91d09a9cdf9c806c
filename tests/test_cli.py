"""The kennisbank CLI as a maintainer uses it."""
from __future__ import annotations

import json
import re

from indexer.cli import main
from tests.conftest import PAGE3_WORD


def test_build_reports_and_exits_3_when_pdfs_were_skipped(runner, corpus_copy):
    corpus, index = corpus_copy
    r = runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 3, r.output
    assert "Index gebouwd: 5 documenten" in r.output
    assert "overgeslagen: leeg.pdf: leeg bestand" in r.output
    assert "overgeslagen: geen-pdf.pdf: geen PDF-bestand" in r.output
    r = runner.invoke(main, ["build", "--if-needed", "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 0 and "niets te doen" in r.output


def test_build_with_broken_catalogue_fails_clearly(runner, corpus_copy):
    corpus, index = corpus_copy
    (corpus / "catalogue.yaml").write_text("documents:\n  - id: a\n    title: A\n", encoding="utf-8")
    r = runner.invoke(main, ["build", "--corpus", str(corpus), "--index", str(index)])
    assert r.exit_code == 1
    assert "catalogue.yaml" in r.output and "veld 'summary'" in r.output
    assert "bestaande index blijft in gebruik" in r.output


def test_search_json_matches_the_api_shape(runner, built_corpus, client):
    _, index, _ = built_corpus
    r = runner.invoke(main, ["search", PAGE3_WORD, "--json", "--index", str(index)])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.output)
    api = client.get(f"/api/search?q={PAGE3_WORD}").get_json()
    assert list(cli) == list(api)
    assert [h["id"] for h in cli["hits"]] == [h["id"] for h in api["hits"]]
    assert cli["hits"][0]["pages"][0]["page"] == 3


def test_search_text_output(runner, built_corpus):
    _, index, _ = built_corpus
    r = runner.invoke(main, ["search", "polarisatie", "--index", str(index)])
    assert r.exit_code == 0
    assert "Digitale handreiking polarisatie" in r.output
    assert r.output.startswith("1 resultaat voor 'polarisatie'")  # singular: it said "1 resultaten"


def test_search_without_index_says_how_to_build(runner, tmp_path):
    r = runner.invoke(main, ["search", "x", "--index", str(tmp_path)])
    assert r.exit_code == 1 and "kennisbank build" in r.output


def test_check_lists_unlisted_and_unreadable(runner, built_corpus):
    corpus, _, _ = built_corpus
    r = runner.invoke(main, ["check", "--corpus", str(corpus)])
    assert r.exit_code == 3
    assert "niet in de catalogus (wordt toch geïndexeerd): los-document.pdf" in r.output
    assert "onleesbaar: leeg.pdf" in r.output


def test_stats_describes_the_index(runner, built_corpus):
    _, index, _ = built_corpus
    r = runner.invoke(main, ["stats", "--index", str(index)])
    assert r.exit_code == 0
    assert "Documenten: 5" in r.output and "Overgeslagen: kapot.pdf" in r.output
    # What the folder keeps for the next build: one file of analysis per document written (no members: one index).
    assert re.search(r"Bewaard voor de volgende build: tekst van de PDF's \d+ KiB, analyse van 5 documenten \d+ KiB, "
                     r"geanalyseerde woorden \d+ KiB", r.output), r.output


def test_help_texts_have_examples(runner):
    for command in ("build", "search", "check", "stats", "rollback"):
        r = runner.invoke(main, [command, "--help"])
        assert r.exit_code == 0 and "Voorbeeld:" in r.output
