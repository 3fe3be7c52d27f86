"""The staff admin of the matching domain, one module per subject (each registers
its models on import)."""

from . import agreements, challenges, cohorts, placements, review, scores, search, site  # noqa: F401
