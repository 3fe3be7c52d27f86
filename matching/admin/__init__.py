"""The staff admin of the matching domain, one module per subject (each registers
its models on import)."""

from . import (  # noqa: F401
    agreements,
    challenges,
    cohorts,
    placements,
    plan,
    privacy,
    reports_frozen,
    review,
    scores,
    search,
    service,
    site,
)
