"""The matching engine: plain data in, scores and explanations out.

It never touches the database; matching/services/scoring.py feeds it from the
models and stores what it returns.
"""

from .documents import Need, Researcher, Work
from .scoring import (
    ENGINE_VERSION,
    RELEVANCE_CUTOFF,
    Matches,
    ResearcherCounts,
    ResearcherIndex,
    match_all,
    train_space,
)

__all__ = ["ENGINE_VERSION", "RELEVANCE_CUTOFF", "Matches", "Need", "Researcher", "ResearcherCounts",
           "ResearcherIndex", "Work", "match_all", "rank", "train_space"]


def rank(researchers, needs, *, top: int = 100, processes: int = 1, user_words=()):
    """Each need's `top` researchers, best first: {need id: [(researcher id, score)]}.

    A ranking to evaluate: the relevance cut-off does not shorten it, and the
    semantic space is learned from these researchers and needs."""
    from .scoring import need_counts_of, train_space

    counts = ResearcherCounts.of(researchers, processes=processes, user_words=user_words)
    need_counts = need_counts_of(needs, processes=processes, user_words=user_words)
    index = ResearcherIndex(researchers, counts, train_space(counts, need_counts))
    out: dict = {n.id: [] for n in needs}
    for _done, _total, matches in match_all(index, needs, need_counts, per_need=top,
                                            per_researcher=0, cutoff=False):
        for researcher, need, score in matches:
            out[needs[need].id].append((index.ids[researcher], score))
    return out
