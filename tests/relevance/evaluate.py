"""Relevance evaluation: run the judged queries against real indexes and report nDCG@10 and MRR per group.

Usage: python -m tests.relevance.evaluate [--record-floors]   (`make eval` runs it)
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
JUDGMENTS = HERE / "judgments.yaml"
FLOORS = HERE / "floors.json"
REPO = HERE.parent.parent
K = 10


@dataclass
class Judged:
    """One judged query: its group, the corpus it runs on, the text and the graded relevant documents."""

    group: str
    corpus: str
    query: str
    relevant: dict[str, int]


def load_judgments(path: Path = JUDGMENTS) -> list[Judged]:
    """Read the judged queries."""
    return [Judged(**item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def ndcg(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    """Normalised discounted cumulative gain at k, with gain 2^grade - 1."""
    dcg = sum((2 ** relevant.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: list[str], relevant: dict[str, int]) -> float:
    """1 / rank of the first judged-relevant document, 0 when none is found."""
    for i, doc in enumerate(ranked):
        if relevant.get(doc, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def ranked_ids(service, searcher, text: str) -> list[str]:
    """Return the ids a searcher is shown for a query (following "Bedoelde u" when nothing was found)."""
    from indexer.search import QueryError, SearchRequest

    try:
        results = service.search(searcher, SearchRequest(q=text, per_page=K))
        suggestion = getattr(results, "suggestion", None)
        if results.total == 0 and suggestion:
            results = service.search(searcher, SearchRequest(q=suggestion, per_page=K))
    except QueryError:
        return []
    return [h.document.id for h in results.hits]


def build_indexes(workdir: Path) -> dict[str, tuple[Path, Path]]:
    """Build the bundled corpus and the relevance test corpus into indexes under workdir: {name: (corpus, index)}."""
    from indexer.index.build import build_index
    from tests.relevance.corpus import write_relevance_corpus

    corpus = write_relevance_corpus(workdir / "relevance-corpus")
    indexes = {"bundled": workdir / "bundled-index", "test": workdir / "test-index"}
    build_index(REPO / "corpus", indexes["bundled"])
    build_index(corpus, indexes["test"])
    return {"bundled": (REPO / "corpus", indexes["bundled"]), "test": (corpus, indexes["test"])}


def evaluate(indexes: dict[str, tuple[Path, Path]], judged: list[Judged] | None = None) -> dict:
    """Score every judged query; return {"groups": {group: {"ndcg", "mrr", "n"}}, "overall": ..., "queries": [...]}."""
    from indexer.index import store
    from indexer.search import QueryService

    judged = judged if judged is not None else load_judgments()
    per_query = []
    services = {name: QueryService(corpus) for name, (corpus, _) in indexes.items()}
    searchers = {name: store.open_index(store.current_generation(path), "public").searcher()
                 for name, (_, path) in indexes.items()}
    try:
        for j in judged:
            ranked = ranked_ids(services[j.corpus], searchers[j.corpus], j.query)
            per_query.append({"group": j.group, "corpus": j.corpus, "query": j.query, "top": ranked[:3],
                              "ndcg": ndcg(ranked, j.relevant), "mrr": reciprocal_rank(ranked, j.relevant)})
    finally:
        for s in searchers.values():
            s.close()
    groups = defaultdict(list)
    for row in per_query:
        groups[row["group"]].append(row)

    def summary(rows):
        return {"ndcg": round(sum(r["ndcg"] for r in rows) / len(rows), 4),
                "mrr": round(sum(r["mrr"] for r in rows) / len(rows), 4), "n": len(rows)}

    return {"groups": {g: summary(rows) for g, rows in groups.items()}, "overall": summary(per_query),
            "queries": per_query}


def format_table(report: dict) -> str:
    """Return the per-group table as text."""
    lines = [f"{'group':<15}{'queries':>8}{'nDCG@10':>10}{'MRR':>8}"]
    for group, s in report["groups"].items():
        lines.append(f"{group:<15}{s['n']:>8}{s['ndcg']:>10.3f}{s['mrr']:>8.3f}")
    o = report["overall"]
    lines.append(f"{'overall':<15}{o['n']:>8}{o['ndcg']:>10.3f}{o['mrr']:>8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record-floors", action="store_true",
                        help="write the measured per-group nDCG@10 and MRR (less a small margin) to floors.json")
    parser.add_argument("--verbose", action="store_true", help="print every query with its top three hits")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-eval-") as tmp:
        report = evaluate(build_indexes(Path(tmp)))
    if args.verbose:
        for q in report["queries"]:
            print(f"{q['group']:<14}{q['corpus']:<8}{q['ndcg']:.2f} {q['mrr']:.2f}  {q['query']!r:<40} {q['top']}")
        print()
    print(format_table(report))
    if args.record_floors:
        floors = {g: {"ndcg": math.floor((s["ndcg"] - 0.02) * 100) / 100, "mrr": math.floor((s["mrr"] - 0.02) * 100) / 100}
                  for g, s in report["groups"].items()}
        FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nFloors written to {FLOORS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
