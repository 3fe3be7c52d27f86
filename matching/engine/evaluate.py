"""Ranking quality: recall@k, nDCG@k and MRR over graded labels. Pure functions."""

import math
from collections.abc import Mapping, Sequence


def recall_at(ranked: Sequence, relevant: Mapping, k: int) -> float:
    wanted = {r for r, grade in relevant.items() if grade > 0}
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranked[:k])) / min(len(wanted), k)


def ndcg_at(ranked: Sequence, relevant: Mapping, k: int) -> float:
    gains = [(2 ** relevant.get(r, 0) - 1) / math.log2(i + 2) for i, r in enumerate(ranked[:k])]
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def reciprocal_rank(ranked: Sequence, relevant: Mapping) -> float:
    for i, r in enumerate(ranked):
        if relevant.get(r, 0) > 0:
            return 1 / (i + 1)
    return 0.0


def summarise(rankings: Mapping[object, Sequence], labels: Mapping[object, Mapping],
              k: int = 10) -> dict:
    """Mean metrics over the needs that have at least one relevant researcher."""
    judged = [n for n in rankings if any(g > 0 for g in labels.get(n, {}).values())]
    if not judged:
        return {"needs": 0, f"recall@{k}": 0.0, f"ndcg@{k}": 0.0, "mrr": 0.0}
    return {
        "needs": len(judged),
        f"recall@{k}": sum(recall_at(rankings[n], labels[n], k) for n in judged) / len(judged),
        f"ndcg@{k}": sum(ndcg_at(rankings[n], labels[n], k) for n in judged) / len(judged),
        "mrr": sum(reciprocal_rank(rankings[n], labels[n]) for n in judged) / len(judged),
    }
