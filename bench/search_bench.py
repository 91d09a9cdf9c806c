"""Search latency and throughput at 1k, 5k and 20k synthetic documents, against plain Whoosh in the same run.

Usage: make bench-search (BENCH_SIZES=1000,5000 for a quicker run). Ours is measured over HTTP against a real
waitress server on loopback (server-side time is the API's took_ms); the naive baseline runs in this process,
timed around search + facets + highlighting, with one searcher kept open (the cheapest plain usage).
"""
from __future__ import annotations

import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from whoosh import highlight, sorting
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.qparser import MultifieldParser

from .corpus_gen import CorpusGenerator, dutch_vocabulary, queries
from .synthetic_index import ensure_built

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SIZES = (1000, 5000, 20000)
QUERY_COUNT = 200
WARMUP = 30
CLIENTS = (4, 16)
LOAD_REQUESTS = 400        # per concurrency level; bounded so a run stays short
SERVER_THREADS = 4         # as `make run` serves (THREADS in the Makefile)
FACETS = ("doctype", "author", "year", "section")
SEED = 8


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank) of the values."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def summary(values: list[float]) -> dict:
    return {"p50_ms": round(percentile(values, 50), 2), "p95_ms": round(percentile(values, 95), 2),
            "p99_ms": round(percentile(values, 99), 2)}


# ---------------------------------------------------------------- ours, over HTTP

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """waitress serving search_app:create_app over one index folder, as `make run` does."""

    def __init__(self, index_dir: Path):
        self.port = free_port()
        env = dict(os.environ, KENNISBANK_INDEX=str(index_dir))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "waitress", "--host=127.0.0.1", f"--port={self.port}",
             f"--threads={SERVER_THREADS}", "--call", "search_app:create_app"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = self.get(http.client.HTTPConnection("127.0.0.1", self.port, timeout=5), "/api/health")
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("the search server did not start")
            time.sleep(0.2)

    @staticmethod
    def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def api_path(params: dict) -> str:
    return "/api/search?" + urllib.parse.urlencode(params)


def measure(index_dir: Path, naive_dir: Path, requests: list[dict]) -> tuple[dict, dict]:
    """Sequential latency of ours (took_ms, HTTP) and naive, query by query in turn so both see the same
    moment's machine load; then the throughput of ours with concurrent clients."""
    naive = NaiveSearch(naive_dir)
    server = Server(index_dir)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        for params in requests[:WARMUP]:
            server.get(conn, api_path(params))
            naive.timed(params)
        took, wall, naive_ms, checks = [], [], [], {"hits": 0, "pages": 0, "marked": 0, "facets": 0}
        for params in requests:
            naive_ms.append(naive.timed(params))
            started = time.perf_counter()
            status, body = server.get(conn, api_path(params))
            wall.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"{params} answered {status}: {body[:200]!r}")
            data = json.loads(body)
            took.append(data["took_ms"])
            checks["hits"] += len(data["hits"])
            checks["pages"] += sum(len(h["pages"]) for h in data["hits"])
            checks["marked"] += sum("<mark>" in p["snippet"] for h in data["hits"] for p in h["pages"])
            checks["facets"] += bool(data["facets"]["doctype"])
        conn.close()
        naive.close()
        rps = {c: throughput(server.port, requests, c) for c in CLIENTS}
    finally:
        server.stop()
    ours = {**summary(took), "http_p50_ms": round(percentile(wall, 50), 2),
            "http_p95_ms": round(percentile(wall, 95), 2), "http_p99_ms": round(percentile(wall, 99), 2),
            **{f"rps_{c}": v for c, v in rps.items()}, "checks": checks}
    return ours, summary(naive_ms)


def throughput(port: int, requests: list[dict], clients: int) -> float:
    """Requests per second with `clients` threads, each on its own keep-alive connection."""
    paths = [api_path(p) for p in requests]
    counter = iter(range(LOAD_REQUESTS))
    lock = threading.Lock()
    errors = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            status, _ = Server.get(conn, paths[n % len(paths)])
            if status != 200:
                errors.append(status)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed under load: {errors[:5]}")
    return round(LOAD_REQUESTS / elapsed, 1)


# ---------------------------------------------------------------- naive baseline, in process

class NaiveSearch:
    """Plain Whoosh: parse, search with facet counts, highlight the whole stored text of each hit shown."""

    def __init__(self, index_dir: Path):
        self.ix = whoosh_index.open_dir(str(index_dir))
        self.parser = MultifieldParser(["title", "summary", "content"], self.ix.schema)
        self.searcher = self.ix.searcher()  # kept open: the cheapest plain usage

    def timed(self, params: dict) -> float:
        """Answer one request and return the milliseconds it took."""
        started = time.perf_counter()
        q = self.parser.parse(params["q"])
        flt = wq.Term("doctype", params["doctype"]) if "doctype" in params else None
        groups = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
        page = self.searcher.search_page(q, int(params.get("page", 1)), pagelen=10, filter=flt, groupedby=groups)
        facets = {name: page.results.groups(name) for name in FACETS}
        page.results.fragmenter = highlight.ContextFragmenter()
        shown = [(hit["id"], hit.highlights("content", top=3)) for hit in page]
        elapsed = (time.perf_counter() - started) * 1000
        assert facets is not None and shown is not None
        return elapsed

    def close(self) -> None:
        self.searcher.close()


# ---------------------------------------------------------------- the run

def run(sizes: list[int], log=print) -> list[dict]:
    vocab = dutch_vocabulary()
    generator = CorpusGenerator(vocab, seed=SEED)
    requests = queries(vocab, QUERY_COUNT, seed=SEED)
    rows = []
    for size in sizes:
        log(f"{size} documents: preparing indexes (cached under bench/var/ once built)")
        ours_dir = ensure_built("ours", generator, size, log)
        naive_dir = ensure_built("naive", generator, size, log)
        log(f"{size} documents: measuring ours over HTTP and the naive baseline, query by query")
        ours, naive = measure(ours_dir, naive_dir, requests)
        rows.append({"documents": size, "ours": ours, "naive": naive})
    return rows


def table(rows: list[dict]) -> str:
    head = (f"{'docs':>6} | {'ours p50':>8} {'p95':>7} {'p99':>7} | {'naive p50':>9} {'p95':>7} {'p99':>7} | "
            f"{'p95 x':>6} | {'http p50':>8} {'http p95':>8} | {'rps 4':>6} {'rps 16':>6}")
    lines = [head, "-" * len(head)]
    for r in rows:
        o, n = r["ours"], r["naive"]
        lines.append(
            f"{r['documents']:>6} | {o['p50_ms']:>8.1f} {o['p95_ms']:>7.1f} {o['p99_ms']:>7.1f} | "
            f"{n['p50_ms']:>9.1f} {n['p95_ms']:>7.1f} {n['p99_ms']:>7.1f} | {n['p95_ms'] / o['p95_ms']:>5.1f}x | "
            f"{o['http_p50_ms']:>8.1f} {o['http_p95_ms']:>8.1f} | {o['rps_4']:>6.1f} {o['rps_16']:>6.1f}")
    lines.append("(ms; ours = API took_ms with facet counts and highlighted page snippets; "
                 "naive = plain Whoosh, whole-text highlighting; p95 x = naive p95 / ours p95)")
    if len(rows) > 1:
        base = rows[0]
        lines.append(f"growth with size, relative to {base['documents']} documents:")
        for r in rows[1:]:
            docs = r["documents"] / base["documents"]
            lines.append(
                f"  {r['documents']:>6} docs ({docs:.0f}x): ours p50 {r['ours']['p50_ms'] / base['ours']['p50_ms']:.2f}x, "
                f"p95 {r['ours']['p95_ms'] / base['ours']['p95_ms']:.2f}x; naive p50 "
                f"{r['naive']['p50_ms'] / base['naive']['p50_ms']:.2f}x, p95 {r['naive']['p95_ms'] / base['naive']['p95_ms']:.2f}x")
    return "\n".join(lines)


def write_results(rows: list[dict]) -> None:
    """Write search.json in the issue's shape, and the extra figures beside it."""
    RESULTS.mkdir(exist_ok=True)
    keys = ("p50_ms", "p95_ms", "p99_ms", "http_p95_ms", "rps_16")
    shaped = [{"documents": r["documents"], "ours": {k: r["ours"][k] for k in keys}, "naive": r["naive"]}
              for r in rows]
    (RESULTS / "search.json").write_text(json.dumps(shaped, indent=2) + "\n", encoding="utf-8")
    details = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                           "load_average_at_end": os.getloadavg()},
               "queries": QUERY_COUNT, "warmup": WARMUP, "load_requests": LOAD_REQUESTS,
               "server_threads": SERVER_THREADS, "rows": rows}
    (RESULTS / "search-details.json").write_text(json.dumps(details, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    raw = os.environ.get("BENCH_SIZES", "")
    sizes = [int(s) for s in raw.split(",") if s.strip()] if raw else list(DEFAULT_SIZES)
    started = time.monotonic()
    rows = run(sizes, log=lambda m: print(m, flush=True))
    print()
    print(table(rows))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; run took {time.monotonic() - started:.0f} s")
    write_results(rows)
    print(f"written: {RESULTS / 'search.json'}")


if __name__ == "__main__":
    main()
