"""The matching engine: plain data in, scores and explanations out.

It never touches the database; matching/services/scoring.py feeds it from the
models and stores what it returns.
"""

from .documents import Need, Researcher, Work
from .scoring import ENGINE_VERSION, Matches, ResearcherCounts, ResearcherIndex, match_all

__all__ = ["ENGINE_VERSION", "Matches", "Need", "Researcher", "ResearcherCounts",
           "ResearcherIndex", "Work", "match_all", "rank"]


def rank(researchers, needs, *, top: int = 100, processes: int = 1, user_words=()):
    """Each need's `top` researchers, best first: {need id: [(researcher id, score)]}."""
    from .scoring import need_counts_of

    index = ResearcherIndex(researchers, ResearcherCounts.of(
        researchers, processes=processes, user_words=user_words))
    counts = need_counts_of(needs, processes=processes, user_words=user_words)
    out: dict = {n.id: [] for n in needs}
    for _done, _total, matches in match_all(index, needs, counts, per_need=top,
                                            per_researcher=0):
        for researcher, need, score in matches:
            out[needs[need].id].append((index.ids[researcher], score))
    return out
