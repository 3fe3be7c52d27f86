"""REST API v1: sign-up and sign-in, the requester (`me`), companies and their
members, researcher profiles and works, reference lists.

Every write calls the same service as the website and the admin; every
queryset is scoped to the requester, so another tenant's object is a 404.
"""

from .auth import (
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
    SignupView,
    TokenView,
    UserSerializer,
)
from .common import text_list
from .companies import (
    CompanyInvitationViewSet,
    CompanyViewSet,
    InvitationViewSet,
    MemberViewSet,
)
from .me import MeView
from .privacy import ConsentList, DeletionRequestList, LegalTextList
from .reference import ClusterViewSet, IndustryViewSet, InstitutionViewSet, PlatformViewSet
from .researchers import ResearcherViewSet, WorkViewSet, own_profile

__all__ = [
    "ClusterViewSet", "CompanyInvitationViewSet", "CompanyViewSet", "ConsentList",
    "DeletionRequestList", "IndustryViewSet", "LegalTextList",
    "InstitutionViewSet", "InvitationViewSet",
    "MeView", "MemberViewSet", "PasswordChangeView", "PasswordResetConfirmView",
    "PasswordResetView", "PlatformViewSet", "ResearcherViewSet", "SignupView", "TokenView",
    "UserSerializer", "WorkViewSet", "own_profile", "text_list",
]
