"""A match score as people read it (one percentage), and a need's reward."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def match_percent(score) -> str:
    """The stored score (text relevance 0–1 plus small bonuses) as a whole percentage,
    at most 100%: the one scale the pages show, explained by the reasons beside it."""
    if score is None:
        return ""
    return f"{round(100 * min(max(float(score), 0.0), 1.0))}%"


@register.filter
def reward(amount) -> str:
    """A reward in 万元, or 面议 (negotiable) when none is set: a 0 is not an offer of nothing."""
    if not amount:
        return _("negotiable")
    return f"{amount.normalize():f}" if hasattr(amount, "normalize") else str(amount)
