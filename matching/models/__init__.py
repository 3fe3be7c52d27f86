"""The matching domain's models, one module per subject; import them from here."""

from .agreements import PARTIES, Agreement, AgreementSignature, Party
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
from .review import (
    Expert,
    Objection,
    Panel,
    PanelMember,
    Publicity,
    Review,
    ReviewScore,
    Rubric,
    RubricCriterion,
)
from .scores import DocumentFeatures, MatchRun, MatchScore, SemanticSpace
from .search import ChallengeSearch, SearchSynonym

__all__ = [
    "Agreement", "AgreementSignature", "Application", "Challenge", "ChallengeQuerySet",
    "ChallengeSearch", "Cohort", "CohortMark", "CohortNeed", "CohortPair", "CohortPreference",
    "CohortResearcher", "CohortRun", "DocumentFeatures", "MatchRun", "MatchScore", "Notification",
    "OutboxTask", "Outcome", "PARTIES", "Party", "Placement", "PlacementQuerySet", "Programme",
    "Expert", "Objection", "Panel", "PanelMember", "Publicity", "Review", "ReviewScore", "Rubric",
    "RubricCriterion", "SearchSynonym", "SemanticSpace", "StatsSnapshot", "validate_period",
]
