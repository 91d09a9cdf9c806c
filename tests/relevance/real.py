"""The judged set over real PDFs: an index over ../shared/bench-pdfs (cached in bench/var/) and doc@1, doc@3, page@1
and nDCG@10 per group.

Usage: python -m tests.relevance.real [--verbose] [--record-floors]   (`make eval` runs it after the bundled set)
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.relevance.evaluate import ndcg

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BENCH_PDFS = REPO.parent / "shared" / "bench-pdfs"
REAL_JUDGMENTS = HERE / "real_judgments.yaml"
REAL_FLOORS = HERE / "real_floors.json"
WORKDIR = REPO / "bench" / "var" / "real-relevance"  # git-ignored: the OCR of the scans takes minutes
K = 10
METRICS = ("doc@1", "doc@3", "page@1", "ndcg@10")


@dataclass
class RealNeed:
    """One information need: group, query, graded PDFs (path under bench-pdfs) and the pages that answer it."""

    group: str
    query: str
    need: str
    relevant: dict[str, int]
    pages: dict[str, list[int]] = field(default_factory=dict)


def load_real_judgments(path: Path = REAL_JUDGMENTS) -> list[RealNeed]:
    """Read the judged needs over the real PDFs."""
    return [RealNeed(**item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def available(pdfs: Path = BENCH_PDFS) -> bool:
    """Tell whether the real PDFs are on this machine."""
    return pdfs.is_dir() and any(pdfs.rglob("*.pdf"))


def prepare_corpus(pdfs: Path = BENCH_PDFS, workdir: Path = WORKDIR) -> tuple[Path, dict[str, str]]:
    """Write a corpus without catalogue records whose pdf/ links every bench PDF; return it and {file name: path}."""
    corpus = workdir / "corpus"
    pdf_dir = corpus / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for path in sorted(pdfs.rglob("*.pdf")):
        relative = path.relative_to(pdfs).as_posix()
        if path.name in names:
            raise SystemExit(f"two bench PDFs are both named {path.name}: {names[path.name]}, {relative}")
        names[path.name] = relative
        link = pdf_dir / path.name
        if not link.is_symlink() or link.resolve() != path.resolve():
            link.unlink(missing_ok=True)
            link.symlink_to(path.resolve())
    catalogue = {"theme": {"title": "Bench", "intro": "Echte PDF's voor de relevantiemeting."}, "documents": [],
                 # The bench PDFs have no records: searched as the public would search them.
                 "unlisted_access": "public"}
    text = yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False)
    target = corpus / "catalogue.yaml"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return corpus, names


def build_real_index(pdfs: Path = BENCH_PDFS, workdir: Path = WORKDIR) -> tuple[Path, Path, dict[str, str]]:
    """Build the index over the real PDFs when it is missing or stale; return (corpus, index, {file name: path})."""
    from indexer.index.build import build_index

    corpus, names = prepare_corpus(pdfs, workdir)
    index = workdir / "index"
    build_index(corpus, index, if_needed=True)  # the extraction cache under index/ keeps the OCR between builds
    return corpus, index, names


def score_need(need: RealNeed, shown: list[tuple[str, list[int]]]) -> dict:
    """Score one need on what was shown: [(bench path, [page numbers in the order shown])] best first."""
    ranked = [path for path, _ in shown]
    relevant = {p for p, g in need.relevant.items() if g > 0}
    first_page_ok = 0.0
    if shown and shown[0][0] in relevant and shown[0][1]:
        first_page_ok = float(shown[0][1][0] in need.pages.get(shown[0][0], []))
    return {"doc@1": float(bool(ranked) and ranked[0] in relevant),
            "doc@3": float(any(p in relevant for p in ranked[:3])),
            "page@1": first_page_ok,
            "ndcg@10": ndcg(ranked, need.relevant, K)}


def evaluate_real(corpus: Path, index: Path, names: dict[str, str],
                  judged: list[RealNeed] | None = None) -> dict:
    """Run every need against the index; return {"groups": {group: metrics}, "overall": ..., "queries": [...]}."""
    from indexer.index import store
    from indexer.search import QueryError, QueryService, SearchRequest

    judged = judged if judged is not None else load_real_judgments()
    service = QueryService(corpus)
    searcher = store.open_index(store.current_generation(index), "public").searcher()
    rows = []
    try:
        for need in judged:
            try:
                results = service.search(searcher, SearchRequest(q=need.query, per_page=K))
                shown = [(names.get(h.document.pdf or "", h.document.id), [p.page for p in h.pages])
                         for h in results.hits]
            except QueryError:
                shown = []
            row = {"group": need.group, "query": need.query, **score_need(need, shown),
                   "top": [(Path(p).name[:40], pages[:3]) for p, pages in shown[:3]]}
            rows.append(row)
    finally:
        searcher.close()
    groups = defaultdict(list)
    for row in rows:
        groups[row["group"]].append(row)

    def summary(part):
        return {**{m: round(sum(r[m] for r in part) / len(part), 4) for m in METRICS}, "n": len(part)}

    return {"groups": {g: summary(part) for g, part in groups.items()}, "overall": summary(rows), "queries": rows}


def format_real_table(report: dict) -> str:
    """Return the per-group table of the real set as text."""
    lines = [f"{'group':<15}{'needs':>6}" + "".join(f"{m:>9}" for m in METRICS)]
    for group, s in sorted(report["groups"].items()):
        lines.append(f"{group:<15}{s['n']:>6}" + "".join(f"{s[m]:>9.3f}" for m in METRICS))
    o = report["overall"]
    lines.append(f"{'overall':<15}{o['n']:>6}" + "".join(f"{o[m]:>9.3f}" for m in METRICS))
    return "\n".join(lines)


def record_floors(report: dict, path: Path = REAL_FLOORS) -> None:
    """Write each group's measured figures, less a small margin, as its floors."""
    floors = {g: {m: max(0.0, math.floor((s[m] - 0.02) * 100) / 100) for m in METRICS}
              for g, s in report["groups"].items()}
    path.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record-floors", action="store_true", help=f"write the measured figures to {REAL_FLOORS.name}")
    parser.add_argument("--verbose", action="store_true", help="print every need with its top three hits")
    args = parser.parse_args(argv)
    if not available():
        print(f"Echte PDF's niet gevonden in {BENCH_PDFS}: de meting op echte documenten is overgeslagen.")
        return 0
    report = evaluate_real(*build_real_index())
    if args.verbose:
        for q in report["queries"]:
            print(f"{q['group']:<12}{q['doc@1']:.0f}{q['doc@3']:.0f}{q['page@1']:.0f} {q['ndcg@10']:.2f}  "
                  f"{q['query']!r:<45} {q['top']}")
        print()
    print("Echte PDF's (" + str(BENCH_PDFS) + ")")
    print(format_real_table(report))
    if args.record_floors:
        record_floors(report)
        print(f"\nFloors written to {REAL_FLOORS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
