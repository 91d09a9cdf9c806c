"""Relevance floors: every group of judged queries keeps the nDCG@10 and MRR recorded in floors.json."""
from __future__ import annotations

import json

import pytest

from tests.relevance.evaluate import FLOORS, build_indexes, evaluate, load_judgments, ndcg, reciprocal_rank

JUDGED = load_judgments()
FLOOR = json.loads(FLOORS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The evaluation over freshly built indexes of the bundled and the relevance corpus."""
    return evaluate(build_indexes(tmp_path_factory.mktemp("relevance")))


def test_enough_judged_queries_in_every_group():
    groups = {j.group for j in JUDGED}
    assert len(JUDGED) >= 40
    assert {"compounds", "word_forms", "accents", "abbreviations", "typos", "phrases", "fields"} <= groups
    assert groups == set(FLOOR), "every group needs a recorded floor (python -m tests.relevance.evaluate --record-floors)"


@pytest.mark.parametrize("group", sorted(FLOOR))
def test_group_stays_above_its_floor(report, group):
    measured = report["groups"][group]
    failing = [(q["query"], q["top"]) for q in report["queries"] if q["group"] == group and q["ndcg"] < 0.5]
    assert measured["ndcg"] >= FLOOR[group]["ndcg"], f"nDCG@10 of {group} fell: {measured}; weak: {failing}"
    assert measured["mrr"] >= FLOOR[group]["mrr"], f"MRR of {group} fell: {measured}; weak: {failing}"


@pytest.mark.parametrize("ranked, relevant, expected", [
    (["a", "b"], {"a": 3, "b": 2}, 1.0),            # ideal order
    (["b", "a"], {"a": 3, "b": 2}, pytest.approx(0.834, abs=1e-3)),
    (["x", "y"], {"a": 3}, 0.0),                     # nothing relevant found
])
def test_ndcg(ranked, relevant, expected):
    assert ndcg(ranked, relevant) == expected


def test_reciprocal_rank():
    assert reciprocal_rank(["x", "a"], {"a": 1}) == 0.5
    assert reciprocal_rank(["x"], {"a": 1}) == 0.0
