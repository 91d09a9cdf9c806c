"""Benchmark PDF extraction: cold build, warm (cached) rebuild and plain single-process pdfminer, in one run.

Usage: make bench   (or .venv/bin/python bench/extraction.py)
Environment: BENCH_PDFS=folder of PDFs (default ../shared/bench-pdfs when it exists),
             BENCH_LIMIT=n to take an evenly spread sample of n files for a quick run.
Writes bench/results/extraction.json. Figures are ratios against the baseline measured in the same run, because
the machine is shared and noisy.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.extract import (  # noqa: E402
    CACHE_DIRNAME,  # noqa: E402
    ExtractOptions,
    extract_many,
)
from indexer.index.build import build_index  # noqa: E402
from indexer.settings import from_env  # noqa: E402

RESULTS = REPO / "bench" / "results" / "extraction.json"


def pdf_folder() -> Path | None:
    """The folder to measure: $BENCH_PDFS, else ../shared/bench-pdfs beside the repository (or its worktree)."""
    if os.environ.get("BENCH_PDFS"):
        return Path(os.environ["BENCH_PDFS"])
    for candidate in (REPO.parent / "shared" / "bench-pdfs", REPO.parent.parent / "shared" / "bench-pdfs"):
        if candidate.is_dir():
            return candidate
    return None


def sample(files: list[Path], limit: int) -> list[Path]:
    """An evenly spread, deterministic sample of `limit` files (all when limit is 0)."""
    if not limit or limit >= len(files):
        return files
    step = len(files) / limit
    return [files[int(i * step)] for i in range(limit)]


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


def plain_pdfminer(files: list[Path]) -> tuple[float, int]:
    """Seconds for pdfminer.high_level.extract_text over every file in this one process, and files it failed."""
    from pdfminer.high_level import extract_text

    failed = 0
    started = time.perf_counter()
    for path in files:
        try:
            extract_text(str(path))
        except Exception:
            failed += 1
    return time.perf_counter() - started, failed


def timed_build(corpus: Path, index: Path) -> dict:
    """Build and return seconds for the whole build and for its extraction phase, plus the report."""
    marks = {}
    started = time.perf_counter()
    report = build_index(corpus, index, on_start=lambda paths: marks.setdefault("start", time.perf_counter()),
                         progress=lambda name: marks.__setitem__("last", time.perf_counter()))
    total = time.perf_counter() - started
    return {"seconds": round(total, 2),
            "extraction_seconds": round(marks.get("last", started) - marks.get("start", started), 2),
            "pages_indexed": report.pages, "pdfs": report.pdfs, "skipped": len(report.skipped)}


def main() -> int:
    logging.getLogger("indexer").setLevel(logging.ERROR)  # per-file notes would drown the figures
    folder = pdf_folder()
    if folder is None or not folder.is_dir():
        print("Geen map met PDF's gevonden: zet BENCH_PDFS=<map> (standaard ../shared/bench-pdfs).", file=sys.stderr)
        return 2
    files = sample(sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf"),
                   int(os.environ.get("BENCH_LIMIT") or 0))
    pages = sum(page_count(p) for p in files)
    cores = ExtractOptions.from_settings(from_env()).workers
    print(f"{len(files)} PDF's, {pages} pagina's uit {folder}; {cores} werkprocessen", flush=True)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        (corpus / "pdf").mkdir(parents=True)
        (corpus / "catalogue.yaml").write_text("documents: []\n", encoding="utf-8")
        for n, path in enumerate(files):
            (corpus / "pdf" / f"{n:03d}-{path.name}").symlink_to(path)
        index = Path(tmp) / "index"
        plain_seconds, plain_failed = plain_pdfminer(files)
        print(f"plain pdfminer (1 proces): {plain_seconds:.1f} s", flush=True)
        cold = timed_build(corpus, index)
        print(f"koude build: {cold['seconds']:.1f} s (extractie {cold['extraction_seconds']:.1f} s)", flush=True)
        ocr_pages = sum(sum(1 for p in json.loads(e.read_text())["pdf"]["pages"] if p["ocr"])
                        for e in (index / CACHE_DIRNAME).glob("*.json") if '"pdf"' in e.read_text()[:10])
        warm = timed_build(corpus, index)
        print(f"warme rebuild: {warm['seconds']:.1f} s (extractie {warm['extraction_seconds']:.1f} s)", flush=True)
        # Plain pdfminer does no OCR; for a like-for-like figure, extract once more in parallel without OCR or cache.
        started = time.perf_counter()
        extract_many(files, replace(ExtractOptions.from_settings(from_env()), ocr=False))
        no_ocr_seconds = time.perf_counter() - started
        print(f"koude extractie zonder OCR: {no_ocr_seconds:.1f} s", flush=True)
    plain_pps = pages / plain_seconds
    cold_pps, warm_pps = pages / cold["seconds"], pages / warm["seconds"]
    result = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "folder": str(folder), "files": len(files), "pages": pages, "ocr_pages": ocr_pages, "workers": cores,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "plain_pdfminer": {"seconds": round(plain_seconds, 2), "pages_per_second": round(plain_pps, 2),
                           "failed_files": plain_failed},
        "cold_build": {**cold, "pages_per_second": round(cold_pps, 2)},
        "warm_rebuild": {**warm, "pages_per_second": round(warm_pps, 2)},
        "cold_extraction_without_ocr": {"seconds": round(no_ocr_seconds, 2),
                                        "pages_per_second": round(pages / no_ocr_seconds, 2)},
        "ratios": {
            "cold_vs_plain": round(cold_pps / plain_pps, 2),
            "cold_vs_plain_target": round(0.9 * cores, 2),
            "cold_extraction_vs_plain": round(plain_seconds / max(cold["extraction_seconds"], 1e-9), 2),
            "cold_extraction_without_ocr_vs_plain": round(plain_seconds / no_ocr_seconds, 2),
            "warm_speedup_vs_cold": round(cold["seconds"] / warm["seconds"], 1),
            "warm_speedup_target": 20,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r = result["ratios"]
    print(f"pagina's/s: plain {plain_pps:.2f}, koud {cold_pps:.2f}, warm {warm_pps:.2f}")
    print(f"koud / plain = {r['cold_vs_plain']} (doel >= {r['cold_vs_plain_target']}; {ocr_pages} pagina's met OCR "
          f"zitten alleen in koud); warm is {r['warm_speedup_vs_cold']}x sneller dan koud (doel >= 20)")
    print(f"koude extractie zonder OCR / plain = {r['cold_extraction_without_ocr_vs_plain']} (doel >= "
          f"{r['cold_vs_plain_target']})")
    print(f"-> {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
