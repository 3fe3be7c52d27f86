"""The district's figures: one implementation for the home page, the admin
statistics page, the exports and the API.

A researcher is "placed" and a company "served" by a placement the district
approved (active or completed); only verified outcomes count; the deal value is
the sum of verified technology contracts that are registered (技术合同登记, 万元);
verified but unregistered contracts are shown apart and never in the deal value.
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import Cohort, FundingProgramme, Outcome, Placement

COUNTED = [Placement.Status.ACTIVE, Placement.Status.COMPLETED]
PATENTS = [Outcome.Kind.INVENTION_PATENT, Outcome.Kind.UTILITY_MODEL]
# The one definition of the contracts in the deal value, and of those shown apart.
REGISTERED_CONTRACT = Q(kind=Outcome.Kind.TECH_CONTRACT) & ~Q(registration_number="")
UNREGISTERED_CONTRACT = Q(kind=Outcome.Kind.TECH_CONTRACT, registration_number="")


@dataclass(frozen=True)
class StatsFilter:
    cohort: int | None = None
    programme: str | None = None
    platform: int | None = None
    cluster: int | None = None
    leading_industry: int | None = None
    institution: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def placement_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}status__in": COUNTED})
        for name, path in [("cohort", "cohort"), ("programme", "programme"),
                           ("platform", "company__platform"), ("cluster", "company__cluster"),
                           ("leading_industry", "company__leading_industry"),
                           ("institution", "researcher__institution")]:
            value = getattr(self, name)
            if value not in (None, ""):
                q &= Q(**{f"{prefix}{path}": value})
        return q

    def placements(self):
        q = self.placement_q()
        # A placement belongs to a period when it ran during it.
        if self.date_to:
            q &= Q(starts_on__lte=self.date_to)
        if self.date_from:
            q &= Q(ends_on__gte=self.date_from)
        return Placement.objects.filter(q)

    def outcomes(self):
        q = self.placement_q("placement__") & Q(status=Outcome.Status.VERIFIED)
        if self.date_from:
            q &= Q(achieved_on__gte=self.date_from)
        if self.date_to:
            q &= Q(achieved_on__lte=self.date_to)
        return Outcome.objects.filter(q)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def headline(f: StatsFilter = StatsFilter()) -> dict:
    """Researchers placed, companies served, deal value, outcomes (by kind),
    patents and funded projects."""
    placed = f.placements().aggregate(researchers=Count("researcher", distinct=True),
                                      companies=Count("company", distinct=True))
    outcomes = f.outcomes()
    totals = outcomes.aggregate(
        outcomes=Count("id"),
        deal_value=Sum("amount", filter=REGISTERED_CONTRACT),
        registered_contracts=Count("id", filter=REGISTERED_CONTRACT),
        unregistered_contracts=Count("id", filter=UNREGISTERED_CONTRACT),
        unregistered_value=Sum("amount", filter=UNREGISTERED_CONTRACT),
        patents=Count("id", filter=Q(kind__in=PATENTS)),
        funded_projects=Count("id", filter=Q(kind=Outcome.Kind.FUNDED_PROJECT)),
        funding=Sum("amount", filter=Q(kind=Outcome.Kind.FUNDED_PROJECT)))
    by_kind = dict(outcomes.values_list("kind").annotate(n=Count("id")).order_by())
    by_level = dict(outcomes.filter(kind=Outcome.Kind.FUNDED_PROJECT)
                    .values_list("funded_under__level").annotate(n=Count("id")).order_by())
    return {**placed, **totals, "deal_value": _money(totals["deal_value"]),
            "unregistered_value": _money(totals["unregistered_value"]),
            "funding": _money(totals["funding"]),
            "by_kind": {k: by_kind.get(k, 0) for k in Outcome.Kind.values},
            "funded_by_level": {k: by_level.get(k, 0) for k in FundingProgramme.Level.values}}


# How each breakdown groups placements and outcomes, and names its rows.
DIMENSIONS = {
    "platform": ("company__platform__name", "placement__company__platform__name"),
    "cluster": ("company__cluster__name", "placement__company__cluster__name"),
    "cohort": ("cohort__name", "placement__cohort__name"),
    "institution": ("researcher__institution__name", "placement__researcher__institution__name"),
    "programme": ("programme", "placement__programme"),
    # The outcomes an action produced are those linked to it, not those of the
    # placements linked to it: a placement may serve two actions, its patent one.
    "plan_action": ("plan_actions__name", "plan_actions__name"),
}

# The row of placements and outcomes outside a dimension, named for what they are
# (a tech-VP post or a bounty has no cohort; a company may name no platform).
NO_GROUP = {
    "platform": gettext_lazy("no industry platform"),
    "cluster": gettext_lazy("no industry cluster"),
    "cohort": gettext_lazy("no cohort (tech VP and bounty)"),
    "plan_action": gettext_lazy("not linked to a plan action"),
}


def _sorted_keys(by: str, keys) -> list:
    """Cohorts in their order (第一期 before 第二期, not by the characters of their
    names); months in time; everything else by label; the ungrouped row last."""
    if by == "cohort":
        number = dict(Cohort.objects.filter(name__in=[k for k in keys if k is not None])
                      .values_list("name", "number"))
        return sorted(keys, key=lambda k: (k is None, number.get(k, 0), str(k)))
    return sorted(keys, key=lambda k: (k is None, str(k)))


def breakdown(f: StatsFilter, by: str) -> list[dict]:
    """The headline figures per platform, cluster, cohort, institution, programme,
    plan action or month: rows sorted by label, each {label, placements,
    researchers, companies, deal_value, outcomes}."""
    rows: dict = defaultdict(lambda: {"placements": 0, "researchers": 0, "companies": 0,
                                      "deal_value": Decimal("0.00"), "outcomes": 0})
    if by == "month":
        placements = f.placements().annotate(key=TruncMonth("starts_on")).values("key")
        outcomes = f.outcomes().annotate(key=TruncMonth("achieved_on")).values("key")
    else:
        p_key, o_key = DIMENSIONS[by]
        placements = f.placements().values(key=F(p_key))
        outcomes = f.outcomes().values(key=F(o_key))
    for row in placements.annotate(placements=Count("id", distinct=True),
                                   researchers=Count("researcher", distinct=True),
                                   companies=Count("company", distinct=True)).order_by():
        rows[row["key"]].update(placements=row["placements"], researchers=row["researchers"],
                                companies=row["companies"])
    for row in outcomes.annotate(
            outcomes=Count("id"),
            deal_value=Sum("amount", filter=REGISTERED_CONTRACT)).order_by():
        rows[row["key"]].update(outcomes=row["outcomes"], deal_value=_money(row["deal_value"]))
    if by == "month":
        # A month that has not begun has nothing to report yet: a placement approved
        # to start next month counts in the totals, but no month row shows ahead.
        this_month = timezone.localdate().replace(day=1)
        for key in [k for k in rows if k is not None and k > this_month]:
            del rows[key]
    labels = dict(Placement._meta.get_field("programme").choices) if by == "programme" else {}
    out = []
    for key in _sorted_keys(by, rows):
        label = (key.strftime("%Y-%m") if by == "month" and key else labels.get(key, key))
        out.append({"label": str(NO_GROUP.get(by, "—")) if label is None else label,
                    **rows[key]})
    return out


# Each figure of the statistics page and the rows it counts: ("placements" or
# "outcomes", the condition on the filter's outcomes).
FIGURE_ROWS = {
    "researchers": ("placements", None),
    "companies": ("placements", None),
    "deal_value": ("outcomes", REGISTERED_CONTRACT),
    "unregistered": ("outcomes", UNREGISTERED_CONTRACT),
    "outcomes": ("outcomes", Q()),
    "patents": ("outcomes", Q(kind__in=PATENTS)),
    "funded_projects": ("outcomes", Q(kind=Outcome.Kind.FUNDED_PROJECT)),
}


def rows_behind(f: StatsFilter, figure: str) -> tuple[str, object]:
    """("placements" | "outcomes", the queryset) behind one headline figure, under
    the same filter as the figure."""
    table, condition = FIGURE_ROWS[figure]
    if table == "placements":
        return table, f.placements()
    return table, f.outcomes().filter(condition)
