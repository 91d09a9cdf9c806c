"""Relevance on real PDFs: every group of the judged set over ../shared/bench-pdfs keeps the figures in
real_floors.json (skipped where those PDFs are absent, as in CI)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.relevance.real import (BENCH_PDFS, METRICS, REAL_FLOORS, available, build_real_index, evaluate_real,
                                  load_real_judgments, score_need)

JUDGED = load_real_judgments()
FLOOR = json.loads(REAL_FLOORS.read_text(encoding="utf-8"))
GROUPS = {"topic", "entity", "citation", "date", "scan", "multiword"}


def test_judged_set_has_sixty_needs_in_every_group_with_pages():
    assert len(JUDGED) >= 60
    assert Counter(n.group for n in JUDGED).keys() == GROUPS
    assert set(FLOOR) == GROUPS, "every group needs floors (python -m tests.relevance.real --record-floors)"
    for need in JUDGED:
        assert need.relevant and all(g in (1, 2, 3) for g in need.relevant.values()), need.query
        assert set(need.pages) == set(need.relevant), f"pages for every relevant PDF: {need.query}"
        assert all(need.pages[p] and all(n >= 1 for n in need.pages[p]) for p in need.pages), need.query


def test_judged_pdfs_exist():
    if not available():
        pytest.skip(f"echte PDF's ontbreken in {BENCH_PDFS}: de meting op echte documenten is overgeslagen")
    missing = {p for n in JUDGED for p in n.relevant if not (BENCH_PDFS / p).is_file()}
    assert not missing


def test_score_need_counts_the_first_page_of_the_first_hit():
    need = JUDGED[0].__class__(group="g", query="q", need="n", relevant={"a.pdf": 3, "b.pdf": 1},
                               pages={"a.pdf": [1], "b.pdf": [4]})
    assert score_need(need, [("a.pdf", [1, 5]), ("b.pdf", [4])]) == {"doc@1": 1.0, "doc@3": 1.0, "page@1": 1.0,
                                                                    "ndcg@10": 1.0}
    # the right document with a table page shown first: the document counts, the page does not
    assert score_need(need, [("a.pdf", [5, 1])])["page@1"] == 0.0
    wrong_first = score_need(need, [("x.pdf", [1]), ("a.pdf", [1])])
    assert (wrong_first["doc@1"], wrong_first["doc@3"], wrong_first["page@1"]) == (0.0, 1.0, 0.0)
    assert score_need(need, [])["doc@3"] == 0.0


@pytest.fixture(scope="module")
def report():
    if not available():
        pytest.skip(f"echte PDF's ontbreken in {BENCH_PDFS}: de meting op echte documenten is overgeslagen")
    return evaluate_real(*build_real_index())


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_real_group_stays_above_its_floors(report, group):
    measured = report["groups"][group]
    weak = [(q["query"], q["top"]) for q in report["queries"] if q["group"] == group and q["ndcg@10"] < 0.5]
    for metric in METRICS:
        assert measured[metric] >= FLOOR[group][metric], f"{metric} of {group} fell: {measured}; weak: {weak}"
