from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from accounts import api as accounts_api
from accounts import urls as accounts_urls
from matching.api import views as matching_api
from matching.api.stats import StatsView
from matching.drilldown import drilldown_view
from matching.privacy_views import MyDataExport
from matching.reports import statistics_view

from .api import PK
from .i18n import set_language


class Router(SimpleRouter):
    """Primary keys are digits that fit a bigint; anything else is a 404."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        viewset.lookup_value_regex = PK
        return super().get_lookup_regex(viewset, lookup_prefix)


router = Router()
router.register("companies", accounts_api.CompanyViewSet, basename="company")
router.register(rf"companies/(?P<company_pk>{PK})/members", accounts_api.MemberViewSet,
                basename="member")
router.register(rf"companies/(?P<company_pk>{PK})/invitations",
                accounts_api.CompanyInvitationViewSet, basename="company-invitation")
router.register("invitations", accounts_api.InvitationViewSet, basename="invitation")
router.register("researchers/me/works", accounts_api.WorkViewSet, basename="work")
router.register("researchers", accounts_api.ResearcherViewSet, basename="researcher")
router.register("challenges", matching_api.ChallengeViewSet, basename="challenge")
router.register(rf"challenges/(?P<challenge_pk>{PK})/matches", matching_api.MatchViewSet,
                basename="match")
router.register("applications", matching_api.ApplicationViewSet, basename="application")
router.register("placements", matching_api.PlacementViewSet, basename="placement")
router.register("outcomes", matching_api.OutcomeViewSet, basename="outcome")
router.register("agreements", matching_api.AgreementViewSet, basename="agreement")
router.register("service-logs", matching_api.ServiceLogViewSet, basename="service-log")
router.register("evaluations", matching_api.EvaluationViewSet, basename="evaluation")
router.register("subsidy-claims", matching_api.SubsidyClaimViewSet, basename="subsidy-claim")
router.register("cohorts", matching_api.CohortViewSet, basename="cohort")
router.register("experts", matching_api.ExpertViewSet, basename="expert")
router.register("panels", matching_api.PanelViewSet, basename="panel")
router.register("reviews", matching_api.ReviewViewSet, basename="review")
router.register("objections", matching_api.ObjectionViewSet, basename="objection")
router.register(rf"cohorts/(?P<cohort_pk>{PK})/runs", matching_api.CohortRunViewSet,
                basename="cohort-run")
router.register(rf"cohorts/(?P<cohort_pk>{PK})/preferences",
                matching_api.CohortPreferenceViewSet, basename="cohort-preference")
router.register(rf"cohorts/(?P<cohort_pk>{PK})/marks", matching_api.CohortMarkViewSet,
                basename="cohort-mark")
router.register("me/recommendations", matching_api.RecommendationViewSet,
                basename="recommendation")
router.register("reports", matching_api.FrozenReportViewSet, basename="report")
router.register("notifications", matching_api.NotificationViewSet, basename="notification")
router.register("reference/platforms", accounts_api.PlatformViewSet, basename="platform")
router.register("reference/clusters", accounts_api.ClusterViewSet, basename="cluster")
router.register("reference/industries", accounts_api.IndustryViewSet, basename="industry")
router.register("reference/institutions", accounts_api.InstitutionViewSet,
                basename="institution")
router.register("reference/funding-programmes", matching_api.FundingProgrammeViewSet,
                basename="funding-programme")

api_v1 = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("auth/signup/", accounts_api.SignupView.as_view(), name="signup"),
    path("auth/password/", accounts_api.PasswordChangeView.as_view(), name="password-change"),
    path("auth/password-reset/", accounts_api.PasswordResetView.as_view(),
         name="password-reset"),
    path("auth/password-reset/confirm/", accounts_api.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("me/consents/", accounts_api.ConsentList.as_view(), name="consents"),
    path("me/export/", MyDataExport.as_view(), name="export"),
    path("me/deletion-request/", accounts_api.DeletionRequestList.as_view(),
         name="deletion-request"),
    path("legal-texts/", accounts_api.LegalTextList.as_view(), name="legal-texts"),
    path("stats/", StatsView.as_view(), name="stats"),
    *router.urls,
]

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
urlpatterns += i18n_patterns(
    path("admin/statistics/", admin.site.admin_view(statistics_view), name="admin-statistics"),
    path("admin/statistics/rows/", admin.site.admin_view(drilldown_view),
         name="admin-statistics-rows"),
    path("admin/", admin.site.urls),
    # Sign-in pages; the e-mailed password-reset link leads here (from the API too).
    path("accounts/", include(accounts_urls.auth_urls)),
    path("accounts/", include("accounts.urls")),
    path("", include("matching.urls")),
    prefix_default_language=False,
)
