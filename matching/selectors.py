"""Reads of the matching domain, with what their callers render already joined."""

from .models import Challenge


def headline_figures() -> dict:
    """The district's headline figures, from the one implementation in statistics."""
    from .statistics import headline

    figures = headline()
    return {k: figures[k] for k in ("researchers", "companies", "deal_value", "outcomes")}


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
