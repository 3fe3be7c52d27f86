"""REST API v1 views of the matching domain, one module per subject."""

from .agreements import AgreementViewSet
from .applications import ApplicationViewSet
from .challenges import ChallengeViewSet, MatchViewSet
from .cohorts import (
    CohortMarkViewSet,
    CohortPreferenceViewSet,
    CohortRunViewSet,
    CohortViewSet,
)
from .me import NotificationViewSet, RecommendationViewSet
from .placements import FundingProgrammeViewSet, OutcomeViewSet, PlacementViewSet
from .reports import FrozenReportViewSet
from .review import ExpertViewSet, ObjectionViewSet, PanelViewSet, ReviewViewSet
from .service import EvaluationViewSet, ServiceLogViewSet, SubsidyClaimViewSet

__all__ = [
    "AgreementViewSet", "ApplicationViewSet", "ChallengeViewSet",
    "CohortMarkViewSet", "CohortPreferenceViewSet",
    "CohortRunViewSet", "CohortViewSet",
    "ExpertViewSet", "ObjectionViewSet", "PanelViewSet", "ReviewViewSet",
    "FrozenReportViewSet", "FundingProgrammeViewSet", "MatchViewSet", "NotificationViewSet",
    "OutcomeViewSet", "PlacementViewSet",
    "RecommendationViewSet",
    "EvaluationViewSet", "ServiceLogViewSet", "SubsidyClaimViewSet",
]
