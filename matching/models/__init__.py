"""The matching domain's models, one module per subject; import them from here."""

from .challenges import Application, Challenge, ChallengeQuerySet
from .cohorts import (
    Cohort,
    CohortMark,
    CohortNeed,
    CohortPair,
    CohortPreference,
    CohortResearcher,
    CohortRun,
)
from .common import Programme, validate_period
from .notifications import Notification, StatsSnapshot
from .outbox import OutboxTask
from .placements import Outcome, Placement, PlacementQuerySet
from .scores import DocumentFeatures, MatchRun, MatchScore

__all__ = [
    "Application", "Challenge", "ChallengeQuerySet", "Cohort", "CohortMark", "CohortNeed",
    "CohortPair", "CohortPreference", "CohortResearcher", "CohortRun", "DocumentFeatures",
    "MatchRun", "MatchScore", "Notification", "Outcome", "OutboxTask", "Placement", "PlacementQuerySet",
    "Programme", "StatsSnapshot", "validate_period",
]
