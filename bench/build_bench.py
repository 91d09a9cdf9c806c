"""Indexing speed (pages/s) on synthetic corpora through `kennisbank build`'s write path, against plain Whoosh.

Usage: make bench-build (BENCH_SIZES=1000 for a quicker run; BENCH_OLD=0 skips the old path, BENCH_OLD=5000 runs it
only at sizes up to 5,000 (at 20,000 it takes over an hour); BENCH_ROUNDS=2
rounds, the fastest of each way counts). In one run and on the same planned documents (generated beforehand,
not timed), per size, each way in turn:
- ours: the product's write (both indexes, score tables, publish) with its default settings (worker processes on
  every core, each writing whole segments, when there is enough text), keeping each document's analysis for the
  next build as a first `kennisbank build` does (indexer.index.analysed);
- ours, one process: the same with KENNISBANK_INDEX_JOBS=1 (the segments written one after the other);
- old path: one process, one segment, the analysis chain without its word memo, a 128 MB posting buffer and the
  spelling words as a field of every document (schema 11);
- naive: plain Whoosh with its default analyzer in one process, one entry per document (bench/synthetic_index);
- tantivy with its default tokenizer, when the `tantivy` package is installed (optional, not a dependency).
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

from whoosh.analysis import CompositeAnalyzer
from whoosh.fields import TEXT

from indexer.analysis import MemoAnalyzer, dutch_analyzer, plain_analyzer
from indexer.index import parallel, segments
from indexer.index.parallel import cores
from indexer.index.schema import build_schema

from .corpus_gen import CorpusGenerator, dutch_vocabulary
from .synthetic_index import build_naive, build_ours, synthetic_plan

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SIZES = (1000, 5000, 20000)
SEED = 8


@contextlib.contextmanager
def old_path():
    """Write as `kennisbank build` did before issue 18: every word through the whole filter chain (no memo),
    Whoosh's own SegmentWriter with its default posting buffer of 128 MB, each index in one segment (run with
    one process) and the spelling words as a text field of every document (old_plan). Dates and citations are
    found with today's (faster, same-result) patterns."""
    saved = (MemoAnalyzer.__call__, parallel.WRITER_LIMIT_MB, parallel.DIRECT_WRITER, segments.SEGMENTS,
             parallel.build_schema)
    (MemoAnalyzer.__call__, parallel.WRITER_LIMIT_MB, parallel.DIRECT_WRITER, segments.SEGMENTS,
     parallel.build_schema) = (CompositeAnalyzer.__call__, 128, False, 1, old_schema)
    try:
        yield
    finally:
        (MemoAnalyzer.__call__, parallel.WRITER_LIMIT_MB, parallel.DIRECT_WRITER, segments.SEGMENTS,
         parallel.build_schema) = saved


def old_schema():
    """The schema with the spelling field of schema 11: unstemmed words, a posting per word and document."""
    schema = build_schema()
    schema.remove("spelling")
    schema.add("spelling", TEXT(analyzer=plain_analyzer(), phrase=False))
    return schema


def old_plan(plan: tuple[dict, int]) -> tuple[dict, int]:
    """The planned documents as schema 11 had them: each document entry with its title, summary and text again, as
    the text of its spelling field (copies of the entry dicts; the plan itself is left as it is)."""
    docs = {}
    for doc_id, doc in plan[0].items():
        entries = [{**entry, "spelling": "\n".join((entry["title"], entry["summary"], entry["content"]))}
                   if entry.get("kind") == "doc" else entry for entry in doc.entries]
        docs[doc_id] = dataclasses.replace(doc, entries=entries)
    return docs, plan[1]


def timed(build, cpu: list | None = None) -> float:
    """Return the wall seconds of build(); append its CPU seconds (this process and its finished worker
    processes: what the work costs whatever else the machine runs) to `cpu`."""
    before = _cpu()
    started = time.monotonic()
    build()
    seconds = round(time.monotonic() - started, 2)
    if cpu is not None:
        cpu.append(round(_cpu() - before, 2))
    return seconds


def _cpu() -> float:
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def tantivy_seconds(generator: CorpusGenerator, count: int, folder: Path) -> float | None:
    """Index the same documents with tantivy's defaults, when installed; None otherwise."""
    try:
        import tantivy  # optional comparison only
    except ImportError:
        return None
    builder = tantivy.SchemaBuilder()
    for name in ("title", "summary", "content"):
        builder.add_text_field(name, stored=True)
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    docs = list(generator.documents(count))
    folder.mkdir(parents=True)
    started = time.monotonic()
    index = tantivy.Index(builder.build(), path=str(folder))
    writer = index.writer()
    for doc in docs:
        writer.add_document(tantivy.Document(id=doc.record.id, title=doc.record.title, summary=doc.record.summary,
                                             content=doc.pdf.text))
    writer.commit()
    writer.wait_merging_threads()
    return round(time.monotonic() - started, 2)


def measure(size: int, work: Path, old: bool, log=print, generator: CorpusGenerator | None = None,
            rounds: int = 1) -> dict:
    """Index `size` synthetic documents every way into folders under work; return the row of figures."""
    generator = generator or CorpusGenerator(dutch_vocabulary(), seed=SEED)
    plan = synthetic_plan(generator, size)
    for word in ("ordeverstoringen", "Handreiking"):  # load the word lists now: every run finds them loaded
        list(dutch_analyzer()(word, mode="index"))
    pages = plan[1]
    row = {"documents": size, "pages": pages, "rounds": rounds}
    runs = [("ours", None), ("ours_one_process", 1)] + ([("old_path", 1)] if old else []) + [("naive", 1)]
    times: dict[str, list[float]] = {name: [] for name, _ in runs}
    cpu: dict[str, list[float]] = {name: [] for name, _ in runs}
    # Every way once per round, in turn, so a change in the machine's load falls on all of them; the fastest
    # round of each counts.
    for round_ in range(rounds):
        for name, jobs in runs:
            log(f"{size} documents, round {round_ + 1}: {name}")
            shutil.rmtree(work / name, ignore_errors=True)
            if name == "naive":
                times[name].append(timed(lambda: build_naive(work / name, generator, size), cpu[name]))
                continue
            if name == "old_path":
                planned = old_plan(plan)  # made before the clock starts, as the plan of the other ways
                with old_path():
                    times[name].append(timed(lambda: build_ours(work / name, generator, size, jobs=jobs,
                                                                plan=planned), cpu[name]))
                del planned
                continue
            # As `kennisbank build` writes a first build: also keeping each document's analysis for the next one.
            times[name].append(timed(lambda: build_ours(work / name, generator, size, jobs=jobs, plan=plan,
                                                        keep_analysis=True), cpu[name]))
    for name, jobs in runs:
        seconds = min(times[name])
        row[name] = {"seconds": seconds, "pages_per_s": round(pages / seconds, 1), "all_seconds": times[name],
                     "cpu_seconds": min(cpu[name]), "all_cpu_seconds": cpu[name],
                     "processes": jobs or parallel.index_jobs() or cores()}  # at most: little text writes in one
    seconds = tantivy_seconds(generator, size, work / "tantivy")
    if seconds is not None:
        row["tantivy"] = {"seconds": seconds, "pages_per_s": round(pages / seconds, 1)}
    base = row["ours"]["seconds"]
    row["ratios"] = {f"{k}_seconds_over_ours": round(row[k]["seconds"] / base, 2)
                     for k in ("ours_one_process", "old_path", "naive", "tantivy") if k in row}
    # On a loaded machine wall time follows the load; CPU time of the one-process ways follows the work.
    one = row["ours_one_process"]["cpu_seconds"]
    row["ratios"].update({f"{k}_cpu_over_ours_one_process": round(row[k]["cpu_seconds"] / one, 2)
                          for k in ("old_path", "naive") if k in row})
    return row


def table(rows: list[dict]) -> str:
    names = ["ours", "ours_one_process", "old_path", "naive", "tantivy"]
    head = f"{'docs':>6} {'pages':>7} | " + " | ".join(f"{n:>16}" for n in names)
    lines = [head, "-" * len(head)]
    for r in rows:
        cells = [f"{r[n]['pages_per_s']:>9.0f} p/s {r[n]['seconds'] / r['ours']['seconds']:>3.1f}x" if n in r
                 else f"{'-':>16}" for n in names]
        lines.append(f"{r['documents']:>6} {r['pages']:>7} | " + " | ".join(cells))
    lines.append("(pages per second, fastest round; Nx = that way's time over ours in the same run)")
    return "\n".join(lines)


def merged_rows(path: Path, rows: list[dict]) -> list[dict]:
    """Return these rows with the earlier results' rows of other sizes kept (a 20k run takes most of an hour and
    is not repeated with every 5k run), by size."""
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))["rows"]
    except (OSError, ValueError, KeyError, TypeError):
        earlier = []
    sizes = {row["documents"] for row in rows}
    return sorted([row for row in earlier if row.get("documents") not in sizes] + rows, key=lambda r: r["documents"])


def old_path_upto(setting: str) -> float:
    """The largest size the old path is run at: BENCH_OLD=0 never, 1 (the default) always, n up to n documents."""
    upto = int(setting or 1)
    return float("inf") if upto == 1 else upto


def main() -> None:
    raw = os.environ.get("BENCH_SIZES", "")
    sizes = [int(s) for s in raw.split(",") if s.strip()] if raw else list(DEFAULT_SIZES)
    old = old_path_upto(os.environ.get("BENCH_OLD", "1"))
    rounds = int(os.environ.get("BENCH_ROUNDS") or 2)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kennisbank-build-bench-") as tmp:
        for size in sizes:
            work = Path(tmp) / str(size)
            rows.append(measure(size, work, size <= old, log=lambda m: print(m, flush=True), rounds=rounds))
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(rows))
    RESULTS.mkdir(exist_ok=True)
    machine = {"cores": os.cpu_count(), "python": platform.python_version(), "load_average_at_end": os.getloadavg()}
    for row in rows:
        row["machine"] = machine
    result = {"machine": machine, "rows": merged_rows(RESULTS / "build.json", rows)}
    (RESULTS / "build.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; written: {RESULTS / 'build.json'}")


if __name__ == "__main__":
    main()
