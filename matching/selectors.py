"""Reads of the matching domain, with what their callers render already joined."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from .models import Challenge, Outcome, Placement

# A placement counts as "placed" once the district approved it.
COUNTED_PLACEMENTS = [Placement.Status.ACTIVE, Placement.Status.COMPLETED]


def headline_figures() -> dict:
    """The district's headline figures: placed researchers, companies served,
    technology-deal value (万元) and verified outcomes."""
    placements = Placement.objects.filter(status__in=COUNTED_PLACEMENTS).aggregate(
        researchers=Count("researcher", distinct=True),
        companies=Count("company", distinct=True))
    outcomes = Outcome.objects.filter(status=Outcome.Status.VERIFIED).aggregate(
        outcomes=Count("id"),
        deal_value=Sum("amount", filter=Q(kind=Outcome.Kind.TECH_CONTRACT)))
    deal_value = Decimal(outcomes["deal_value"] or 0).quantize(Decimal("0.01"))
    return {**placements, **outcomes, "deal_value": deal_value}


def challenge_list_public(*, limit: int = 10):
    return (Challenge.objects.published()
            .select_related("company", "industry")
            .order_by("-published_at")[:limit])


def matches_for_challenge(*, challenge, limit: int = 10):
    """The researchers who best fit a need (the owning company's view)."""
    from .engine import ENGINE_VERSION
    from .models import MatchScore

    return (MatchScore.objects.filter(challenge=challenge, engine_version=ENGINE_VERSION)
            .select_related("researcher__user", "researcher__institution", "challenge")
            .order_by("-score", "researcher_id")[:limit])


def recommendations_for(*, researcher, limit: int = 10):
    """The open needs that best fit a researcher ("recommended for you")."""
    from .engine import ENGINE_VERSION
    from .models import MatchScore

    return (MatchScore.objects.filter(researcher=researcher, engine_version=ENGINE_VERSION,
                                      challenge__status=Challenge.Status.PUBLISHED)
            .select_related("challenge__company", "challenge__industry")
            .order_by("-score", "challenge_id")[:limit])
