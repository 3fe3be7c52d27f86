"""A match score as people read it: one percentage."""

from django import template

register = template.Library()


@register.filter
def match_percent(score) -> str:
    """The stored score (text relevance 0–1 plus small bonuses) as a whole percentage,
    at most 100%: the one scale the pages show, explained by the reasons beside it."""
    if score is None:
        return ""
    return f"{round(100 * min(max(float(score), 0.0), 1.0))}%"
