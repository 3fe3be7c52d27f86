"""REST API v1 views of the matching domain, one module per subject."""

from .agreements import AgreementViewSet
from .applications import ApplicationViewSet
from .challenges import ChallengeViewSet, MatchViewSet
from .cohorts import CohortRunViewSet, CohortViewSet
from .me import NotificationViewSet, RecommendationViewSet
from .placements import OutcomeViewSet, PlacementViewSet
from .review import ExpertViewSet, ObjectionViewSet, PanelViewSet, ReviewViewSet

__all__ = [
    "AgreementViewSet", "ApplicationViewSet", "ChallengeViewSet", "CohortRunViewSet", "CohortViewSet",
    "ExpertViewSet", "ObjectionViewSet", "PanelViewSet", "ReviewViewSet",
    "MatchViewSet", "NotificationViewSet", "OutcomeViewSet", "PlacementViewSet",
    "RecommendationViewSet",
]
