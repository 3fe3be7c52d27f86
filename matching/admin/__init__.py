"""The staff admin of the matching domain, one module per subject (each registers
its models on import)."""

from . import challenges, cohorts, placements, scores, search, site  # noqa: F401
