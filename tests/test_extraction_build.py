"""A build over the PDFs a real knowledge base holds: what a searcher finds, what is reported, what is cached."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from indexer.extract import CACHE_DIRNAME, ExtractedPDF, ExtractionError, ExtractOptions, extract_many
from indexer.extract.cache import WORDS_SUFFIX
from indexer.extract.ocr import ocr_missing_reason
from indexer.index import store
from indexer.index.build import build_index
from indexer.search import SearchRequest, search
from tests.pdf_fixtures import (
    BODY,
    damaged,
    encrypted_pdf,
    lines_pdf,
    many_boxes_pdf,
    scan_pdf,
    truncated,
    two_column_pdf,
)

KENNISBANK = Path(sys.executable).parent / "kennisbank"
RUNAWAY_BOXES = 4000  # text boxes on one page: pdfminer needs far more than 3 s and 300 MB for them
PAGE_WORDS = ["aanloopwoord", "brugwoord", "cirkelwoord", "dijkwoord", "eilandwoord"]

CATALOGUE = textwrap.dedent("""\
    unlisted_access: public
    theme:
      title: Test
      intro: Extractie.
    documents:
      - id: rapport
        title: Rapport over de aanpak
        summary: Een rapport met koppen, voetregels en afgebroken woorden.
        date: 2024-01-01
        pdf: rapport.pdf
      - id: kolommen
        title: Tweekoloms notitie
        summary: Een notitie in twee kolommen.
        date: 2024-01-02
        pdf: kolommen.pdf
      - id: gescand
        title: Gescande brief
        summary: Een brief waarvan de tweede pagina een scan is.
        date: 2024-01-03
        pdf: scan.pdf
      - id: geheim
        title: Besloten notitie
        summary: Met een wachtwoord beveiligd.
        date: 2024-01-04
        pdf: versleuteld.pdf
    """)


def rapport_pages() -> list[list[str]]:
    """Three pages; page 2 holds a hyphenated word, a suspended hyphen and a ligature, page 3 a unique word."""
    pages = [[f"Regel {i}. " + BODY[:70] for i in range(25)] for _ in range(3)]
    pages[1][4:8] = ["De \ufb01nancieringsregeling van de opsporings-", "diensten en de beveiligings-",
                     "en opsporingsdiensten in Noord-", "Holland wordt herzien."]
    pages[2][10] = "Het wijkveiligheidsoverleg besluit over de inzet."
    return pages


def write_messy_corpus(root: Path) -> Path:
    """A corpus with every kind of PDF the issue names (except the slow one, which has its own test)."""
    pdf = root / "pdf"
    pdf.mkdir(parents=True)
    (root / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    lines_pdf(pdf / "rapport.pdf", rapport_pages(), font="Vera", header="Kustwachtrapportage Zeeland 2024",
              footer="Pagina {n} van {total}", outline=[(1, "Inleiding"), (3, "Hoofdstuk 3 – Handelingsperspectief")])
    two_column_pdf(pdf / "kolommen.pdf",
                   ["De burgemeester kan bij ernstige", "vrees voor wanordelijkheden een", "noodbevel geven."] * 5,
                   ["De driehoek bespreekt de inzet", "van de mobiele eenheid vooraf."] * 5)
    scan_pdf(pdf / "scan.pdf", [["Begeleidende brief bij het besluit."],
                                ["Het handhavingsarrangement voor", "evenementen in de binnenstad."]], scanned={2})
    encrypted_pdf(pdf / "versleuteld.pdf", "Besloten inhoud", "geheim")
    encrypted_pdf(pdf / "open-versleuteld.pdf", "Openbare notitie over de zondagsrust", "")
    source = lines_pdf(root / "bron.pdf", [[f"Pagina met het {w}."] + [BODY[:80]] * 30 for w in PAGE_WORDS])
    truncated(source, pdf / "afgekapt.pdf")
    damaged(source, pdf / "beschadigd.pdf")
    (pdf / "leeg.pdf").write_bytes(b"")
    (pdf / "webpagina.pdf").write_text("<html><body>Geen PDF</body></html>", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """The messy corpus and its index, built once for this module."""
    root = tmp_path_factory.mktemp("messy")
    corpus = write_messy_corpus(root / "corpus")
    report = build_index(corpus, root / "index")
    return corpus, root / "index", report


def hits(index: Path, q: str):
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        return search(s, SearchRequest(q=q)).hits


def pages_of(index: Path, q: str) -> dict[str, list[tuple[int, str | None]]]:
    return {h.document.id: [(p.page, p.section) for p in h.pages] for h in hits(index, q)}


def test_bad_files_are_reported_and_the_good_ones_indexed(messy):
    _, _, report = messy
    skipped = {s.file: s.reason for s in report.skipped}
    assert set(skipped) == {"leeg.pdf", "webpagina.pdf", "afgekapt.pdf", "versleuteld.pdf"}
    assert "versleuteld" in skipped["versleuteld.pdf"]
    assert "leeg" in skipped["leeg.pdf"] and "geen PDF" in skipped["webpagina.pdf"]
    assert "pdfminer" in skipped["afgekapt.pdf"] and "pypdfium2" in skipped["afgekapt.pdf"]
    assert report.pdfs == 5  # rapport, kolommen, scan, open-versleuteld, beschadigd


@pytest.mark.parametrize("query, doc, page, section", [
    ("opsporingsdiensten", "rapport", 2, "Inleiding"),            # hyphenated at a line end
    ("financieringsregeling", "rapport", 2, "Inleiding"),         # written with the fi ligature
    ("wijkveiligheidsoverleg", "rapport", 3, "Hoofdstuk 3 – Handelingsperspectief"),
    ('"Noord-Holland"', "rapport", 2, "Inleiding"),
    ("zondagsrust", "open-versleuteld", 1, None),                  # encrypted, empty user password
])
def test_searcher_finds_words_on_the_right_page(messy, query, doc, page, section):
    _, index, _ = messy
    assert pages_of(index, query)[doc] == [(page, section)]


def test_running_header_and_page_numbers_are_not_body_hits(messy):
    _, index, _ = messy
    assert hits(index, "Kustwachtrapportage") == []
    assert "rapport" not in pages_of(index, "pagina")


def test_two_columns_keep_their_sentences_whole(messy):
    _, index, _ = messy
    assert pages_of(index, '"vrees voor wanordelijkheden een noodbevel"')["kolommen"] == [(1, None)]
    assert pages_of(index, '"bespreekt de inzet van de mobiele eenheid"')["kolommen"] == [(1, None)]


@pytest.mark.skipif(ocr_missing_reason() is not None, reason="tesseract with the Dutch model is not installed")
def test_scanned_page_is_found_through_ocr(messy):
    _, index, _ = messy
    assert pages_of(index, "handhavingsarrangement")["gescand"] == [(2, None)]
    with store.open_index(store.current_generation(index), "all").searcher() as s:
        assert s.document(uid="page:gescand:2")["ocr"] is True
        assert s.document(uid="page:gescand:1")["ocr"] is False


def test_damaged_file_is_mostly_recovered_with_pypdfium2(messy):
    _, index, _ = messy
    found = {w: pages_of(index, w).get("beschadigd") for w in PAGE_WORDS}
    right = [w for n, w in enumerate(PAGE_WORDS, start=1) if found[w] == [(n, None)]]
    assert len(right) >= 3, found


def test_rebuild_reads_from_the_cache_and_re_extracts_only_a_changed_pdf(messy, tmp_path):
    corpus, index, _ = messy
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(index, tmp_path / "index")
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    # Plant a word in the cached text of kolommen.pdf: it can only reach the index through the cache.
    cache = index / CACHE_DIRNAME
    for entry in cache.glob("*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        if "pdf" in data and "noodbevel" in data["pdf"]["pages"][0]["text"]:
            data["pdf"]["pages"][0]["text"] += " cachegetuige"
            entry.write_text(json.dumps(data), encoding="utf-8")
    lines_pdf(corpus / "pdf" / "rapport.pdf", [["Een nieuwe versie over het buurtbemiddelingsplan."]])
    build_index(corpus, index)
    assert pages_of(index, "cachegetuige") == {"kolommen": [(1, None)]}
    assert pages_of(index, "buurtbemiddelingsplan") == {"rapport": [(1, None)]}
    assert hits(index, "wijkveiligheidsoverleg") == []
    results = [p for p in cache.glob("*.json") if not p.name.endswith(WORDS_SUFFIX)]  # not the OCR word boxes
    assert len(results) == 9  # the old rapport.pdf entry was pruned


def test_runaway_pdf_times_out_and_falls_back_to_pypdfium2(tmp_path):
    # 4,000 separate text boxes on one page take pdfminer over 10 s here (its pairs of boxes grow as the square;
    # 2,000 took over a minute before indexer.extract.boxorder, 2.7 s after); pypdfium2 reads them in 0.1 s.
    slow = many_boxes_pdf(tmp_path / "vakjes.pdf", boxes=RUNAWAY_BOXES)
    good = lines_pdf(tmp_path / "goed.pdf", [["Een gewone pagina over buurtpreventie."]])
    notes = []
    results = extract_many([slow, good], ExtractOptions(jobs=2, timeout=3), warn=notes.append)
    assert isinstance(results[slow], ExtractedPDF) and results[slow].extractor == "pypdfium2"
    assert "Duizendvakjesblad" in results[slow].pages[0].text
    assert any("vakjes.pdf" in n and "tijdslimiet van 3 s" in n for n in notes)
    assert results[good].pages[0].text == "Een gewone pagina over buurtpreventie."


def test_runaway_pdf_over_the_memory_cap_falls_back_to_pypdfium2(tmp_path):
    slow = many_boxes_pdf(tmp_path / "vakjes.pdf", boxes=RUNAWAY_BOXES)  # about 1 GB of pairs of boxes
    notes = []
    results = extract_many([slow], ExtractOptions(jobs=1, timeout=60, memory_mb=300), warn=notes.append)
    assert isinstance(results[slow], ExtractedPDF) and results[slow].extractor == "pypdfium2"
    assert any("geheugen" in n for n in notes), notes


def test_every_failure_kind_is_a_result_not_an_exception(tmp_path):
    (tmp_path / "leeg.pdf").write_bytes(b"")
    results = extract_many([tmp_path / "leeg.pdf", tmp_path / "weg.pdf"], ExtractOptions(jobs=1))
    assert all(isinstance(r, ExtractionError) for r in results.values())


def _run_cli(args, env, cwd):
    return subprocess.run([str(KENNISBANK), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_build_without_tesseract_warns_once_and_indexes_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("documents: []\n", encoding="utf-8")
    for name in ("scan-a.pdf", "scan-b.pdf"):
        scan_pdf(corpus / "pdf" / name, [["Begeleidende brief over het cameratoezicht."],
                                         ["Het handhavingsarrangement."]], scanned={2})
    empty_path = tmp_path / "bin"
    empty_path.mkdir()  # a PATH without tesseract
    env = {**os.environ, "PATH": str(empty_path), "KENNISBANK_CORPUS": str(corpus),
           "KENNISBANK_INDEX": str(tmp_path / "index")}
    build = _run_cli(["build"], env, tmp_path)
    assert build.returncode == 0, build.stderr
    assert build.stderr.count("OCR niet beschikbaar") == 1
    assert "tesseract" in build.stderr
    found = _run_cli(["search", "cameratoezicht", "--json", "--members"], env, tmp_path)
    assert {h["id"] for h in json.loads(found.stdout)["hits"]} == {"scan-a", "scan-b"}


@pytest.mark.skipif(ocr_missing_reason() is not None, reason="tesseract with the Dutch model is not installed")
def test_build_with_ocr_switched_off_leaves_scans_without_text_until_ocr_is_on_again(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("documents: []\n", encoding="utf-8")
    scan_pdf(corpus / "pdf" / "scan.pdf", [["Begeleidende brief over het cameratoezicht."],
                                          ["Het handhavingsarrangement."]], scanned={2})
    env = {**os.environ, "KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(tmp_path / "index")}
    off = _run_cli(["build"], {**env, "KENNISBANK_OCR": "0"}, tmp_path)
    assert off.returncode == 0, off.stderr
    assert "uitgeschakeld met KENNISBANK_OCR=0. 1 gescande pagina is zonder tekst" in off.stderr
    assert json.loads(_run_cli(["search", "handhavingsarrangement", "--json", "--members"], env, tmp_path).stdout)[
        "hits"] == []
    again = _run_cli(["build", "--if-needed"], env, tmp_path)  # OCR on: the index is out of date
    assert again.returncode == 0, again.stderr
    found = _run_cli(["search", "handhavingsarrangement", "--json", "--members"], env, tmp_path)
    assert [h["id"] for h in json.loads(found.stdout)["hits"]] == ["scan"]


def test_cli_build_reports_a_runaway_pdf_and_indexes_it_through_the_fallback(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "catalogue.yaml").write_text("documents: []\n", encoding="utf-8")
    many_boxes_pdf(corpus / "pdf" / "vakjes.pdf", boxes=RUNAWAY_BOXES)
    env = {**os.environ, "KENNISBANK_CORPUS": str(corpus), "KENNISBANK_INDEX": str(tmp_path / "index"),
           "KENNISBANK_PDF_TIMEOUT": "3"}
    build = _run_cli(["build"], env, tmp_path)
    assert build.returncode == 0, build.stderr
    assert "vakjes.pdf" in build.stderr and "tijdslimiet van 3 s" in build.stderr
    found = _run_cli(["search", "Duizendvakjesblad", "--json", "--members"], env, tmp_path)
    assert [h["id"] for h in json.loads(found.stdout)["hits"]] == ["vakjes"]


@pytest.mark.parametrize("settings, expected", [
    ({"JOBS": "twee", "PDF_TIMEOUT": "30", "PDF_MEMORY": "512"}, (0, 30.0, 512)),
    ({"JOBS": "2", "PDF_TIMEOUT": "lang", "PDF_MEMORY": "-1"}, (2, 120.0, 0)),
    ({}, (0, 120.0, 0)),
])
def test_settings_that_are_no_numbers_warn_in_dutch_and_use_the_default(settings, expected, caplog):
    # Reproduces a bug: KENNISBANK_JOBS=twee stopped `kennisbank build` with a ValueError traceback.
    options = ExtractOptions.from_settings(settings)
    assert (options.jobs, options.timeout, options.memory_mb) == expected
    bad = [k for k, v in settings.items() if v in ("twee", "lang", "-1")]
    assert [r.getMessage().split("=")[0] for r in caplog.records] == [f"KENNISBANK_{k}" for k in bad]
    assert all("geen getal van 0 of meer" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("value, ocr, warned", [("0", False, False), ("1", True, False), ("", True, False),
                                               ("nee", False, False), ("misschien", True, True)])
def test_the_ocr_switch_reads_0_and_1_and_warns_in_dutch_about_anything_else(value, ocr, warned, caplog):
    assert ExtractOptions.from_settings({"OCR": value}).ocr is ocr
    assert [r.getMessage() for r in caplog.records] == (
        ["KENNISBANK_OCR='misschien' is geen 0 of 1: de standaardwaarde 1 wordt gebruikt"] if warned else [])
