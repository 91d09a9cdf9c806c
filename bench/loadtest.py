"""Bounded load test on loopback: N concurrent clients for T seconds against a real waitress server.

Builds a corpus index (PDFs from ../shared/bench-pdfs when present, else generated ones), serves it with
waitress on 127.0.0.1 and replays a realistic mix of searches, facet filters, result pages, document pages and
health checks. Reports requests per second, p50/p95/p99 latency and errors; with --rebuild, index builds and
updates run (and switch generations) during the measurement. Writes bench/results/loadtest.json.

Example:

    .venv/bin/python bench/loadtest.py --clients 16 --seconds 30 --compare
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
HOST = "127.0.0.1"  # loopback only, always
# ../shared next to the main checkout (or next to a worktree's parent); $KENNISBANK_BENCH_PDFS overrides.
BENCH_PDFS = next((p for p in [Path(os.environ.get("KENNISBANK_BENCH_PDFS", "/nonexistent")),
                               REPO.parent / "shared" / "bench-pdfs" / "rijksoverheid",
                               REPO.parent.parent / "shared" / "bench-pdfs" / "rijksoverheid"] if p.is_dir()),
                  REPO.parent / "shared" / "bench-pdfs" / "rijksoverheid")
CLI = [sys.executable, "-c", "from indexer.cli import main; main()"]

QUERIES = ["besluit", "wob", "verzoek", "gemeente", "informatie", "openbaarmaking", "minister", "bezwaar",
           "persoonlijke levenssfeer", '"persoonlijke levenssfeer"', "openbaar*", "beslu*", "documenten inventaris",
           "wob verzoek besluit", "ministerie OR gemeente", "verzoek NIET bezwaar", "titel:besluit", "jaar:2020",
           "geredigeerd", "vertrouwelijk", "xyzzyniets", "polarisatie", "handhaving", "artikel 10"]
CATALOGUE_HEAD = "unlisted_access: public\ntheme:\n  title: Loadtest\n  intro: Corpus voor de belastingtest.\ndocuments:\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def make_corpus(root: Path, pdfs: int) -> tuple[Path, str]:
    """Create a corpus folder: links to real PDFs when ../shared is here, else generated PDFs."""
    corpus = root / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    sources = sorted(BENCH_PDFS.glob("*.pdf"))[:pdfs] if BENCH_PDFS.is_dir() else []
    if sources:
        for src in sources:
            (corpus / "pdf" / src.name).symlink_to(src)  # read in place, never copied into the project
        origin = f"{len(sources)} PDFs from {BENCH_PDFS}"
    else:
        from tests.pdfs import make_pdf
        rng = random.Random(7)
        words = " ".join(QUERIES).replace('"', "").replace("*", "").split() + \
            "de het een van en in op te dat voor met aan door".split()
        for n in range(pdfs):
            pages = [" ".join(rng.choice(words) for _ in range(250)) for _ in range(6)]
            make_pdf(corpus / "pdf" / f"doc-{n:03d}.pdf", pages, title=f"Gegenereerd document {n}")
        origin = f"{pdfs} generated PDFs (../shared/bench-pdfs absent)"
    write_catalogue(corpus, 0)
    return corpus, origin


def write_catalogue(corpus: Path, version: int) -> None:
    """One catalogue record whose summary changes per version, so `kennisbank update` has work to do."""
    record = (f"  - id: belastingtest\n    title: Belastingtestdocument\n"
              f"    summary: Versie {version} van het testdocument over besluiten.\n    date: 2024-01-0{1 + version % 9}\n"
              f"    author: Loadtest\n    doctype: Notitie\n    section: Test\n")
    (corpus / "catalogue.yaml").write_text(CATALOGUE_HEAD + record, encoding="utf-8")


def kennisbank(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, env=env)


class Server:
    """waitress serving search_app:create_app on loopback, as `make run` does."""

    def __init__(self, index: Path, corpus: Path, threads: int):
        self.port = free_port()
        env = dict(os.environ, KENNISBANK_INDEX=str(index), KENNISBANK_CORPUS=str(corpus))
        self.proc = subprocess.Popen([sys.executable, "-m", "waitress", f"--host={HOST}", f"--port={self.port}",
                                      f"--threads={threads}", "--call", "search_app:create_app"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = get(http.client.HTTPConnection(HOST, self.port, timeout=5), "/api/health")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("waitress did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.read()


def request_mix(rng: random.Random, facets: dict[str, list[str]], doc_ids: list[str]) -> tuple[str, str]:
    """Pick one request like real visitors make: (kind, path)."""
    roll = rng.random()
    q = rng.choice(QUERIES)
    if roll < 0.40:
        return "api", "/api/search?" + urllib.parse.urlencode({"q": q})
    if roll < 0.60:
        return "html", "/?" + urllib.parse.urlencode({"q": q})
    if roll < 0.75 and facets:
        name = rng.choice(sorted(facets))
        return "facet", "/api/search?" + urllib.parse.urlencode({"q": rng.choice(QUERIES[:8]),
                                                                  name: rng.choice(facets[name])})
    if roll < 0.87:
        return "page", "/api/search?" + urllib.parse.urlencode({"q": rng.choice(QUERIES[:6]),
                                                                 "page": rng.choice([2, 3])})
    if roll < 0.95 and doc_ids:
        return "document", "/documenten/" + urllib.parse.quote(rng.choice(doc_ids)) + "?" + \
            urllib.parse.urlencode({"q": q})
    if roll < 0.98:
        return "home", "/"
    return "health", "/api/health"


def client_loop(port, stop_at, seed, facets, doc_ids, out, errors, generations):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    while time.monotonic() < stop_at:
        kind, path = request_mix(rng, facets, doc_ids)
        started = time.perf_counter()
        try:
            status, body = get(conn, path)
        except (OSError, http.client.HTTPException) as exc:
            errors.append({"path": path, "error": repr(exc)})
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            continue
        ms = (time.perf_counter() - started) * 1000
        out.append((kind, ms))
        if status != 200:
            errors.append({"path": path, "status": status, "body": body[:200].decode("utf-8", "replace")})
        elif kind == "health":
            generations.add(json.loads(body)["generation"])
    conn.close()


def rebuild_loop(corpus: Path, index: Path, stop: threading.Event, log: dict, t0: float):
    """While the load runs: a full build first, then updates after catalogue changes (each one a switch)."""
    version = 0
    while not stop.is_set():
        full = version % 4 == 0
        version += 1
        if not full:
            write_catalogue(corpus, version)
        started = time.monotonic()
        r = kennisbank("build" if full else "update", "--corpus", str(corpus), "--index", str(index), "--wait", "60")
        if r.returncode not in (0, 3):
            log["failures"].append(r.stderr[-500:])
            return
        log["builds" if full else "updates"].append(round(time.monotonic() - started, 2))
        # When each run started and switched, in seconds from the start of the measurement.
        log["events"].append({"kind": "build" if full else "update", "start_s": round(started - t0, 1),
                              "switched_s": round(time.monotonic() - t0, 1)})


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1)


def run(port: int, corpus: Path, index: Path, clients: int, seconds: float, rebuild: bool,
        facets: dict, doc_ids: list[str]) -> dict:
    out, errors, generations = [], [], set()
    log = {"builds": [], "updates": [], "failures": [], "events": []}
    stop = threading.Event()
    t0 = time.monotonic()
    rebuilder = threading.Thread(target=rebuild_loop, args=(corpus, index, stop, log, t0)) if rebuild else None
    if rebuilder:
        rebuilder.start()
    stop_at = t0 + seconds
    threads = [threading.Thread(target=client_loop, args=(port, stop_at, n, facets, doc_ids, out, errors,
                                                          generations)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    if rebuilder:
        stop.set()
        rebuilder.join()
    latencies = [ms for _, ms in out]
    by_kind = {}
    for kind in sorted({k for k, _ in out}):
        ms = [m for k, m in out if k == kind]
        by_kind[kind] = {"requests": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95)}
    return {
        "rebuild": rebuild, "clients": clients, "seconds": round(elapsed, 1), "requests": len(out),
        "rps": round(len(out) / elapsed, 1), "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95), "p99_ms": percentile(latencies, 99),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "errors": len(errors), "error_samples": errors[:5], "by_kind": by_kind,
        "full_builds_completed": len(log["builds"]), "updates_completed": len(log["updates"]),
        "build_seconds": log["builds"], "update_seconds": log["updates"], "build_failures": log["failures"],
        "rebuild_events": log["events"],
        "generations_seen_by_clients": len(generations),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each measurement (default 30)")
    parser.add_argument("--pdfs", type=int, default=12, help="PDFs in the corpus (default 12; bounded on purpose)")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (default 8, as make run)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--rebuild", action="store_true", help="run builds and updates during the measurement")
    mode.add_argument("--compare", action="store_true", help="measure without, then with rebuilds")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "loadtest.json")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 1 <= args.seconds <= 300 or not 1 <= args.pdfs <= 100:
        parser.error("keep it bounded: 1-64 clients, 1-300 seconds, 1-100 PDFs")

    root = Path(tempfile.mkdtemp(prefix="kennisbank-loadtest-"))
    server = None
    try:
        corpus, origin = make_corpus(root, args.pdfs)
        index = root / "index"
        print(f"corpus: {origin}; building the index ...", flush=True)
        started = time.monotonic()
        r = kennisbank("build", "--corpus", str(corpus), "--index", str(index), "--json")
        if r.returncode not in (0, 3):
            raise SystemExit(f"build failed: {r.stderr}")
        report = json.loads(r.stdout)
        print(f"built {report['documents']} documents, {report['pages']} pages in "
              f"{time.monotonic() - started:.1f} s", flush=True)
        server = Server(index, corpus, args.threads)
        conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
        _, body = get(conn, "/api/search?q=besluit&per_page=100")
        data = json.loads(body)
        facets = {f: [v for v in {h.get(f) for h in data["hits"]} if v] for f in ("doctype", "author", "section")}
        facets["year"] = sorted({h["date"][:4] for h in data["hits"] if h.get("date")})
        facets = {k: v for k, v in facets.items() if v}
        doc_ids = [h["id"] for h in data["hits"]]
        conn.close()
        modes = [False, True] if args.compare else [args.rebuild]
        results = []
        for rebuild in modes:
            print(f"{args.clients} clients for {args.seconds:.0f} s{' with rebuilds' if rebuild else ''} ...",
                  flush=True)
            results.append(run(server.port, corpus, index, args.clients, args.seconds, rebuild, facets, doc_ids))
            res = results[-1]
            print(f"  {res['requests']} requests, {res['rps']} req/s, p50 {res['p50_ms']} ms, p95 {res['p95_ms']} ms,"
                  f" p99 {res['p99_ms']} ms, errors {res['errors']}"
                  + (f"; clients saw {res['generations_seen_by_clients']} generations; rebuilds (seconds from start,"
                     f" window {res['seconds']} s): " + ", ".join(f"{e['kind']} {e['start_s']}->{e['switched_s']}"
                                                               for e in res["rebuild_events"])
                     if rebuild else ""), flush=True)
        summary = {"command": " ".join([Path(sys.argv[0]).name] + (argv if argv is not None else sys.argv[1:])),
                   "corpus": origin, "documents": report["documents"], "pages": report["pages"],
                   "waitress_threads": args.threads, "cpus": os.cpu_count(),
                   "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "runs": results}
        if len(results) == 2 and results[0]["rps"]:
            summary["rebuild_vs_steady"] = {
                "rps_ratio": round(results[1]["rps"] / results[0]["rps"], 2),
                "p95_ratio": round(results[1]["p95_ms"] / results[0]["p95_ms"], 2) if results[0]["p95_ms"] else None}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written to {args.out}")
        return 1 if any(r["errors"] or r["build_failures"] for r in results) else 0
    finally:
        if server:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
