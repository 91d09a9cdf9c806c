"""Building on real PDFs with a text layer on every page: cold build against plain pdfminer, warm rebuild, update.

Usage: make bench-build-real (BENCH_PDFS=folder, default ../shared/bench-pdfs; BENCH_LIMIT=n files; BENCH_ROUNDS=2).
In one run, on the same PDFs (those whose every page has text, so no OCR on either side):
- plain pdfminer: pdfminer.high_level.extract_text over every file in one process;
- cold build: `kennisbank build` into an empty index (every PDF read, worker processes as configured);
- warm rebuild: a full build again, every PDF's text from the extraction cache (fastest of the rounds);
- update: one catalogue record changed, `kennisbank update` (fastest of the rounds);
- the same warm rebuild and update with every index in one segment, as before issue 18 (an update then wrote
  the whole index again);
- from the build log, the CPU seconds the best warm rebuild spent analysing and writing index files, and the bound
  they give: the warm rebuild with every word's analysis free (`warm_speedup_bound_without_analysis` over cold).
With BENCH_WHOLE=1 it also builds every PDF of the folder (scans read by OCR where Tesseract is installed, once,
then from the cache) and times a warm rebuild and an update of one record there: the corpus issue 18 sets the
update target on (143 PDFs then, with their scans' text), where the figures of the PDFs with text on every page
leave out the scans' pages.
Every other build runs with KENNISBANK_OCR=0: a PDF with text on every page can still have a page the build judges a
scan (4 of the 71 bench PDFs, 6 pages), and OCR of those would be counted against pdfminer, which does none.
Besides wall-clock seconds it records CPU seconds (this process and its worker processes): on a shared machine
the wall-clock ratio of two cores against one falls with the load, the CPU seconds much less. `cold_ratio_if_idle`
is plain pdfminer's CPU seconds over the cold build's CPU seconds spread over every core: the ratio the cold build
would reach on an idle machine if it kept every core busy, an upper bound.
Writes bench/results/build-real.json.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from indexer.index import segments
from indexer.index.build import build_index
from indexer.index.update import update_index

from .extraction import pdf_folder, plain_pdfminer, sample

RESULTS = Path(__file__).resolve().parent / "results" / "build-real.json"


def text_on_every_page(path: Path, min_chars: int = 20) -> int:
    """Return the page count of a PDF whose every page has a text layer, else 0."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:
        return 0
    try:
        counts = [doc[n].get_textpage().count_chars() for n in range(len(doc))]
    finally:
        doc.close()
    return len(counts) if counts and min(counts) >= min_chars else 0


def write_corpus(root: Path, files: list[Path]) -> Path:
    """A corpus with one catalogue record per PDF (linked, not copied)."""
    (root / "pdf").mkdir(parents=True)
    lines = ["theme:", "  title: Bench", "documents:"]
    for n, path in enumerate(files):
        name = f"{n:03d}-{path.name}"
        (root / "pdf" / name).symlink_to(path.resolve())
        lines += [f"  - id: doc-{n:03d}", f"    title: \"{path.stem}\"", "    summary: \"Een document uit de bench.\"",
                  "    date: 2024-01-01", f"    pdf: \"{name}\""]
    (root / "catalogue.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def change_record(corpus: Path, round_: int) -> None:
    """Change the title of the middle record (another title each round)."""
    cat = corpus / "catalogue.yaml"
    lines = cat.read_text(encoding="utf-8").split("\n")
    titles = [i for i, line in enumerate(lines) if line.startswith("    title: ")]
    i = titles[len(titles) // 2]
    lines[i] = f"    title: \"Gewijzigde titel {round_}\""
    cat.write_text("\n".join(lines), encoding="utf-8")


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return round(time.perf_counter() - started, 2)


def cpu_seconds() -> float:
    """CPU seconds of this process and of its ended worker processes so far."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class CommitStep(logging.Handler):
    """Keeps the details the build log gives of the last `commit` step (processes, CPU seconds of analysis and of
    writing the index files: indexer.index.build.write_documents)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.details: dict = {}

    def emit(self, record):
        if record.msg.startswith("step=") and record.args and record.args[0] == "commit":
            self.details = dict(part.split("=", 1) for part in record.args[2].split())


def warm_and_update(corpus: Path, index: Path, rounds: int, tag: int, log) -> dict:
    """Best of `rounds` warm full builds and of `rounds` updates of one changed record.

    For the best warm build also the CPU seconds its processes spent analysing and writing files, and the least it
    could take with every word's analysis free and its cores evenly busy: its time less the CPU of the article
    facet and of analysis, spread over the processes that wrote (what planning and writing Whoosh's files from
    Python leave).
    """
    warm, update, steps = [], [], []
    watch = CommitStep()
    build_log = logging.getLogger("kennisbank.build")
    build_log.addHandler(watch)
    level = build_log.level
    build_log.setLevel(logging.INFO)
    try:
        for r in range(rounds):
            warm.append(timed(lambda: build_index(corpus, index)))
            steps.append(watch.details)
            change_record(corpus, tag * 100 + r)
            report = {}
            update.append(timed(lambda: report.update(vars(update_index(corpus, index)))))
            assert report["mode"] == "update" and len(report["replaced"]) == 1, report
            log(f"  warm {warm[-1]} s (CPU analyse {steps[-1].get('analysis_cpu')} s, indexbestanden "
                f"{steps[-1].get('files_cpu')} s), update {update[-1]} s")
    finally:
        build_log.removeHandler(watch)
        build_log.setLevel(level)
    best = steps[warm.index(min(warm))]
    analysis, files = float(best.get("analysis_cpu", 0)), float(best.get("files_cpu", 0))
    articles, processes = float(best.get("articles_cpu", 0)), int(best.get("processes", 1))
    return {"warm_seconds": min(warm), "update_seconds": min(update), "all_warm": warm, "all_update": update,
            "update_over_warm": round(min(update) / min(warm), 3),
            "warm_processes": processes, "warm_articles_cpu": articles, "warm_analysis_cpu": analysis,
            "warm_files_cpu": files,
            "warm_without_analysis_seconds": round(min(warm) - (articles + analysis) / processes, 2)}


def main() -> int:
    logging.getLogger("indexer").setLevel(logging.ERROR)
    os.environ["KENNISBANK_OCR"] = "0"  # OCR excluded on both sides (see the docstring)
    folder = pdf_folder()
    if folder is None or not folder.is_dir():
        print("Geen map met PDF's gevonden: zet BENCH_PDFS=<map> (standaard ../shared/bench-pdfs).", file=sys.stderr)
        return 2
    rounds = int(os.environ.get("BENCH_ROUNDS") or 2)
    candidates = sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf")
    pages_of = {p: text_on_every_page(p) for p in candidates}
    files = sample([p for p in candidates if pages_of[p]], int(os.environ.get("BENCH_LIMIT") or 0))
    pages = sum(pages_of[p] for p in files)
    print(f"{len(files)} PDF's met tekst op elke pagina ({pages} pagina's) uit {folder}")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kb-bench-real-") as tmp:
        corpus, index = write_corpus(Path(tmp) / "corpus", files), Path(tmp) / "index"
        cpu = cpu_seconds()
        plain, failed = plain_pdfminer(files)
        plain_cpu, cpu = cpu_seconds() - cpu, cpu_seconds()
        print(f"plain pdfminer (1 proces): {plain:.1f} s ({plain_cpu:.1f} s CPU)")
        cold = timed(lambda: build_index(corpus, index))
        cold_cpu = cpu_seconds() - cpu
        print(f"koude build: {cold:.1f} s ({cold_cpu:.1f} s CPU over {os.cpu_count()} kernen)")
        print("segmenten (nu):")
        ours = warm_and_update(corpus, index, rounds, 1, print)
        print("één segment (zoals voor issue 18):")
        saved = segments.SEGMENTS
        segments.SEGMENTS = 1
        try:
            build_index(corpus, index)  # a previous generation in one segment
            single = warm_and_update(corpus, index, rounds, 2, print)
        finally:
            segments.SEGMENTS = saved
        whole = whole_folder(Path(tmp) / "whole", candidates, rounds, print) if os.environ.get("BENCH_WHOLE") == "1" \
            else None
    result = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "folder": str(folder), "files": len(files), "pages": pages, "rounds": rounds,
        "plain_pdfminer": {"seconds": round(plain, 2), "cpu_seconds": round(plain_cpu, 2), "failed_files": failed,
                           "pages_per_s": round(pages / plain, 1)},
        "cold_build": {"seconds": cold, "cpu_seconds": round(cold_cpu, 2), "pages_per_s": round(pages / cold, 1)},
        "segmented": ours, "one_segment": single,
        "ratios": {"cold_speed_over_plain_pdfminer": round(plain / cold, 2), "target_cold": 1.8,
                   "cold_cpu_over_plain_cpu": round(cold_cpu / plain_cpu, 3),
                   "cold_ratio_if_idle": round(plain_cpu / (cold_cpu / (os.cpu_count() or 1)), 2),
                   "warm_speedup_over_cold": round(cold / ours["warm_seconds"], 1), "target_warm": 20,
                   "warm_speedup_bound_without_analysis": round(cold / ours["warm_without_analysis_seconds"], 1),
                   "update_over_warm": ours["update_over_warm"], "target_update": 0.25,
                   "one_segment_update_over_warm": single["update_over_warm"]},
        **({"whole_folder": whole} if whole else {}),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r = result["ratios"]
    print(f"koud / plain pdfminer: {r['cold_speed_over_plain_pdfminer']}x zo snel (doel >= 1.8; CPU-tijd "
          f"{r['cold_cpu_over_plain_cpu']}x die van plain, op een stille machine hooguit {r['cold_ratio_if_idle']}x); warm "
          f"{r['warm_speedup_over_cold']}x sneller dan koud (doel >= 20; met analyse gratis hooguit "
          f"{r['warm_speedup_bound_without_analysis']}x); update / warm {r['update_over_warm']} "
          f"(doel <= 0.25; in één segment {r['one_segment_update_over_warm']})")
    if whole:
        print(f"hele map ({whole['files']} PDF's, {whole['pages']} pagina's, {whole['ocr_pages']} door OCR): update / warm "
              f"{whole['update_over_warm']} (doel <= 0.25)")
    print(f"-> {RESULTS}")
    return 0


def whole_folder(root: Path, files: list[Path], rounds: int, log) -> dict:
    """Cold build of every PDF (OCR as installed), then the best of `rounds` warm rebuilds and updates of one record."""
    corpus, index = write_corpus(root / "corpus", files), root / "index"
    before = os.environ.pop("KENNISBANK_OCR", None)
    try:
        log(f"hele map: {len(files)} PDF's, koude build (met OCR waar Tesseract er is)")
        report = {}
        cold = timed(lambda: report.update(vars(build_index(corpus, index))))
        log(f"  koud {cold} s, {report['pages']} pagina's, {report['ocr_pages']} door OCR")
        found = warm_and_update(corpus, index, rounds, 3, log)
    finally:
        if before is not None:
            os.environ["KENNISBANK_OCR"] = before
    return {"files": len(files), "pages": report["pages"], "ocr_pages": report["ocr_pages"],
            "skipped": len(report["skipped"]), "cold_seconds": cold, **found}


if __name__ == "__main__":
    sys.exit(main())
