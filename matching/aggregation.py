"""Expert scores into one figure per applicant. Pure: Decimals in, Decimals out.

A review's total is the weighted mean of its criteria, each first brought to a
0–100 scale (a criterion scored out of 5 weighs as much as one out of 10 at the
same weight). An applicant's score is the mean of the reviews' totals, after
dropping the highest and the lowest when there are at least five of them, as
the published 揭榜挂帅 rules do: one lenient or harsh expert cannot carry it.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

TRIM_FROM = 5  # reviews from which the extremes are dropped
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def review_total(scores: Sequence[tuple[Decimal, Decimal, int]]) -> Decimal:
    """(score, weight, highest score) per criterion → the weighted mean on 0–100."""
    if not scores:
        raise ValueError("a review scores at least one criterion")
    weights = sum((Decimal(w) for _s, w, _m in scores), Decimal(0))
    if weights <= 0:
        raise ValueError("the weights must add up to more than zero")
    for score, _w, highest in scores:
        if not 0 <= Decimal(score) <= highest:
            raise ValueError(f"a score of {score} is outside 0–{highest}")
    weighted = sum((Decimal(s) / Decimal(m) * HUNDRED * Decimal(w) for s, w, m in scores),
                   Decimal(0))
    return _cents(weighted / weights)


def aggregate(totals: Sequence[Decimal]) -> Decimal | None:
    """The mean of the totals, the highest and the lowest dropped from five on;
    None without any."""
    values = sorted(Decimal(t) for t in totals)
    if not values:
        return None
    if len(values) >= TRIM_FROM:
        values = values[1:-1]
    return _cents(sum(values, Decimal(0)) / len(values))
