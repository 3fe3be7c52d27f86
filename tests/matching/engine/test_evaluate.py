import math

import pytest

from matching.engine import evaluate


def test_metrics_on_a_hand_made_ranking():
    ranked = ["a", "b", "c", "d"]
    labels = {"b": 1, "d": 1, "x": 1}
    assert evaluate.recall_at(ranked, labels, 2) == 0.5
    assert evaluate.reciprocal_rank(ranked, labels) == 0.5
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert evaluate.ndcg_at(ranked, labels, 10) == pytest.approx(
        (1 / math.log2(3) + 1 / math.log2(5)) / ideal)


def test_summary_skips_needs_without_relevant_researchers():
    summary = evaluate.summarise({"n1": ["a"], "n2": ["b"]}, {"n1": {"a": 1}, "n2": {"c": 0}})
    assert summary["needs"] == 1
    assert summary["mrr"] == 1.0
