"""Query time on an index in several segments against the same index in one segment, in one run (issue 18).

Usage: .venv/bin/python -m bench.segment_ab (BENCH_SIZES=1000 documents; BENCH_ROUNDS=3; BENCH_PASSES=2). Builds
the same synthetic documents twice through the product's write path, once as it writes them now (several
segments) and once in one segment, then answers the search benchmark's 200 requests in-process on both, request
by request in turn: a first pass on a fresh searcher (no score tables cached: what the first search of a
generation pays), a second pass (tables cached), and with BENCH_PASSES=n > 2 the passes after it ("steady": every
page block map of the shown hits cached, as in a server long after a new generation). Times are CPU milliseconds
of the searching thread (wall time on a shared machine measures the other processes). Answers must be identical.
Writes bench/results/segments.json.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from indexer.index import segments, store
from indexer.search import SearchRequest, search

from .corpus_gen import CorpusGenerator, dutch_vocabulary, queries
from .search_bench import summary
from .synthetic_index import build_ours, synthetic_plan

RESULTS = Path(__file__).resolve().parent / "results" / "segments.json"


def request(params: dict) -> SearchRequest:
    filters = {"doctype": [params["doctype"]]} if "doctype" in params else {}
    return SearchRequest(q=params["q"], page=int(params.get("page", 1)), filters=filters)


def answer(searcher, params: dict) -> tuple[float, list]:
    # CPU time of this thread: on the shared machine, wall time mostly measures the other processes' load.
    started = time.thread_time()
    result = search(searcher, request(params))
    ms = (time.thread_time() - started) * 1000
    return ms, [(h.document.id, h.score, [p.page for p in h.pages]) for h in result.hits]


def main() -> None:
    size = int((os.environ.get("BENCH_SIZES") or "1000").split(",")[0])
    rounds = int(os.environ.get("BENCH_ROUNDS") or 3)
    phases = ["first", "cached"] + ["steady"] * max(0, int(os.environ.get("BENCH_PASSES") or 2) - 2)
    vocabulary = dutch_vocabulary()
    generator = CorpusGenerator(vocabulary, seed=8)
    plan = synthetic_plan(generator, size)
    requests = queries(vocabulary)
    with tempfile.TemporaryDirectory(prefix="kb-segments-ab-") as tmp:
        folders = {}
        saved = segments.SEGMENTS
        for name, count in (("several", saved), ("one", 1)):
            segments.SEGMENTS = count
            started = time.perf_counter()
            build_ours(Path(tmp) / name, generator, size, plan=plan, jobs=1)
            print(f"{name}: built in {time.perf_counter() - started:.0f} s", flush=True)
            folders[name] = Path(tmp) / name
        segments.SEGMENTS = saved
        times = {name: {phase: [] for phase in phases} for name in folders}
        leaves = {}
        for _round in range(rounds):
            opened = {name: store.open_index(store.current_generation(f), "public").searcher()
                      for name, f in folders.items()}
            leaves = {name: len(list(s.reader().leaf_readers())) for name, s in opened.items()}
            try:
                for phase in phases:
                    for params in requests:
                        got = {}
                        for name, s in opened.items():
                            ms, got[name] = answer(s, params)
                            times[name][phase].append(ms)
                        assert got["several"] == got["one"], params
            finally:
                for s in opened.values():
                    s.close()
    result = {"documents": size, "pages": plan[1], "rounds": rounds, "leaf_segments": leaves,
              "load_average": os.getloadavg(),
              **{name: {phase: summary(values) for phase, values in t.items()} for name, t in times.items()}}
    for phase in times["one"]:
        a, b = result["several"][phase], result["one"][phase]
        print(f"{phase:>7}: {leaves['several']} segments p50 {a['p50_ms']} p95 {a['p95_ms']} ms | one segment "
              f"p50 {b['p50_ms']} p95 {b['p95_ms']} ms")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"-> {RESULTS}")


if __name__ == "__main__":
    main()
