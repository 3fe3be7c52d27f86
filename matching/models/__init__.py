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
from .outcomes_extra import FundingProgramme
from .placements import Outcome, Placement, PlacementQuerySet
from .plan import OutcomePlanAction, PlacementPlanAction, PlanAction
from .reports_frozen import FrozenReport
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
from .service import (
    Evaluation,
    Grade,
    ServiceLog,
    ServiceNotice,
    SubsidyClaim,
    SubsidyPolicy,
    month_of,
)

__all__ = [
    "Agreement", "AgreementSignature", "Application", "Challenge", "ChallengeQuerySet",
    "ChallengeSearch", "Cohort", "CohortMark", "CohortNeed", "CohortPair", "CohortPreference",
    "CohortResearcher", "CohortRun", "DocumentFeatures", "FrozenReport", "FundingProgramme",
    "MatchRun", "MatchScore", "Notification",
    "OutboxTask", "Outcome", "PARTIES", "Party", "Placement", "PlacementQuerySet", "Programme",
    "SearchSynonym", "SemanticSpace", "StatsSnapshot", "validate_period",
    # issue 18: links to the 55830 plan
    "OutcomePlanAction", "PlacementPlanAction", "PlanAction",
    # issue 16: after the approval
    "Evaluation", "Grade", "ServiceLog", "ServiceNotice", "SubsidyClaim", "SubsidyPolicy",
    "month_of",
    # issue 17: the bounty's expert review
    "Expert", "Objection", "Panel", "PanelMember", "Publicity", "Review", "ReviewScore", "Rubric",
    "RubricCriterion",
]
