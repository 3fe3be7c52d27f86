from django.db.models import Exists, OuterRef
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import IsStaff, own_profile
from accounts.models import ResearcherProfile

from .. import explain, selectors
from ..engine import ENGINE_VERSION
from ..filters import FULL_SEARCH, PUBLIC_SEARCH, ChallengeFilter
from ..models import (
    Application,
    Challenge,
    Cohort,
    CohortRun,
    MatchScore,
    Notification,
    Outcome,
    Placement,
    Programme,
)
from ..services import applications as application_services
from ..services import challenges as challenge_services
from ..services import cohorts as cohort_services
from ..services import outcomes as outcome_services
from ..services import placements as placement_services
from . import serializers as s

SAFE = permissions.SAFE_METHODS


def _respond(serializer_class, obj, request, code=status.HTTP_200_OK):
    return Response(serializer_class(obj, context={"request": request}).data, status=code)


def _body(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- challenges ---------------------------------------------------------------------------

class MatchFilter(df.FilterSet):
    institution = df.NumberFilter(field_name="researcher__institution",
                                  help_text="Institution id.")
    title = df.ChoiceFilter(field_name="researcher__title",
                            choices=ResearcherProfile.Title.choices)
    score_min = df.NumberFilter(field_name="score", lookup_expr="gte")

    class Meta:
        model = MatchScore
        fields = []


MATCH_SEARCH = ["researcher__user__full_name", "researcher__keywords",
                "researcher__disciplines", "researcher__department"]



@extend_schema_view(
    list=extend_schema(description="Published needs (anyone), plus your companies' needs in "
                                   "every state. `search` matches Chinese or English text."),
    create=extend_schema(description="Write a need; it is saved as a draft."),
    partial_update=extend_schema(request=s.ChallengeUpdateSerializer,
                                 description="Edit a draft or rejected need."),
)
class ChallengeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """技术需求: companies' R&D needs."""

    queryset = Challenge.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = s.ChallengeSerializer
    filterset_class = ChallengeFilter
    ordering_fields = ["published_at", "deadline", "reward", "created_at", "title"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]

    search_fields = PUBLIC_SEARCH  # for the schema; per request below

    def get_search_fields(self, request):
        if self.action != "list":
            return []
        viewer = s.viewer_of({"request": request})
        return FULL_SEARCH if request.user.is_staff or viewer.verified_researcher \
            else PUBLIC_SEARCH

    def get_queryset(self):
        user = self.request.user
        # Reads see what is visible; writes reach only the user's companies' needs.
        challenges = selectors.challenges_visible_to(user) if self.request.method in SAFE \
            else selectors.challenges_owned_by(user)
        return (challenges.select_related("company", "industry")
                .prefetch_related("preferred_institutions")
                .order_by("-published_at", "-created_at", "-pk"))

    def get_serializer_class(self):
        return s.ChallengeUpdateSerializer if self.action == "partial_update" \
            else s.ChallengeSerializer

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = challenge_services.challenge_create(
            company=fields.pop("company"), by=self.request.user, **fields)

    def perform_update(self, serializer):
        serializer.instance = challenge_services.challenge_update(
            challenge=serializer.instance, by=self.request.user, **serializer.validated_data)

    def _act(self, fn, request, body=None, **extra):
        challenge = self.get_object()
        args = _body(body, request) if body else {}
        fn(challenge=challenge, by=request.user, **args, **extra)
        return _respond(s.ChallengeSerializer, self.get_queryset().get(pk=challenge.pk), request)

    @extend_schema(request=None, responses={200: s.ChallengeSerializer},
                   description="Submit a draft or rejected need for review (verified "
                               "companies only).")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(challenge_services.challenge_submit, request)

    @extend_schema(request=s.ReasonRequest, responses={200: s.ChallengeSerializer},
                   description="Withdraw a need; once researchers have applied, give a reason.")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        challenge = self.get_object()
        args = _body(s.ReasonRequest, request)
        challenge_services.challenge_withdraw(challenge=challenge, by=request.user,
                                              reason=args.get("reason", ""))
        return _respond(s.ChallengeSerializer, self.get_queryset().get(pk=challenge.pk), request)

    @extend_schema(request=s.NoteRequest, responses={200: s.ChallengeSerializer},
                   description="Publish a need under review (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def publish(self, request, pk=None):
        return self._act(challenge_services.challenge_publish, request, s.NoteRequest)

    @extend_schema(request=s.RequiredNoteRequest, responses={200: s.ChallengeSerializer},
                   description="Reject a need under review, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def reject(self, request, pk=None):
        return self._act(challenge_services.challenge_reject, request, s.RequiredNoteRequest)

    @extend_schema(request=None, responses={200: s.ChallengeSerializer},
                   description="Mark a need in progress as completed.")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(challenge_services.challenge_complete, request)


class MatchViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The researchers who best fit one of your needs, best first, with the reasons
    (the owning company and staff)."""

    queryset = MatchScore.objects.none()  # the model, for the schema
    serializer_class = s.MatchSerializer
    filterset_class = MatchFilter
    search_fields = MATCH_SEARCH
    ordering_fields = ["score"]

    def challenge(self):
        if not hasattr(self, "_challenge"):
            self._challenge = get_object_or_404(
                selectors.challenges_owned_by(self.request.user).select_related("industry"),
                pk=self.kwargs["challenge_pk"])
        return self._challenge

    def get_queryset(self):
        challenge = self.challenge()
        applied = Application.objects.filter(challenge=challenge, researcher=OuterRef("researcher"))
        return (MatchScore.objects.filter(challenge=challenge, engine_version=ENGINE_VERSION)
                .select_related("researcher__user", "researcher__institution")
                .annotate(applied=Exists(applied))
                .order_by("-score", "researcher_id"))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        for score in page:
            score.challenge = self.challenge()
        context = {"request": request, "reasons": explain.explain_many(page)}
        return self.get_paginated_response(s.MatchSerializer(page, many=True,
                                                             context=context).data)


# --- applications -------------------------------------------------------------------------

class ApplicationFilter(df.FilterSet):
    class Meta:
        model = Application
        fields = ["challenge", "status", "researcher"]


@extend_schema_view(
    list=extend_schema(description="Your own applications, and the applications to your "
                                   "companies' needs (with the applicant's match score)."),
    create=extend_schema(description="Apply to a published need (揭榜) as yourself."),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    """揭榜: researchers' applications to needs."""

    queryset = Application.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields = ["challenge__title", "researcher__user__full_name"]
    ordering_fields = ["created_at", "score", "budget"]

    def get_queryset(self):
        return (selectors.applications_visible_to(self.request.user)
                .select_related("challenge", "researcher__user", "researcher__institution")
                .annotate(score=selectors.application_score())
                .order_by("-created_at", "-pk"))

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = application_services.application_submit(
            challenge=fields.pop("challenge"), researcher=own_profile(self.request.user),
            by=self.request.user, **fields)

    def _reload(self, application):
        return self.get_queryset().get(pk=application.pk)

    @extend_schema(request=None, responses={200: s.ApplicationSerializer},
                   description="Withdraw your application before a decision.")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        application_services.application_withdraw(application=application, by=request.user)
        return _respond(s.ApplicationSerializer, self._reload(application), request)

    @extend_schema(request=None, responses={200: s.ApplicationSerializer},
                   description="Shortlist an applicant (the company).")
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        application = self.get_object()
        application_services.application_shortlist(application=application, by=request.user)
        return _respond(s.ApplicationSerializer, self._reload(application), request)

    @extend_schema(request=s.MessageRequest, responses={200: s.ApplicationSerializer},
                   description="Decline an applicant, with a message (the company).")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        application = self.get_object()
        args = _body(s.MessageRequest, request)
        application_services.application_decline(application=application, by=request.user,
                                                  message=args.get("message", ""))
        return _respond(s.ApplicationSerializer, self._reload(application), request)

    @extend_schema(request=s.AcceptRequest, responses={201: s.PlacementSerializer},
                   description="Accept an applicant (the company): creates a placement pending "
                               "district approval.")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        application = self.get_object()
        args = _body(s.AcceptRequest, request)
        placement = application_services.application_accept(application=application,
                                                             by=request.user, **args)
        return _respond(s.PlacementSerializer, placement, request, status.HTTP_201_CREATED)


# --- placements ---------------------------------------------------------------------------

class PlacementFilter(df.FilterSet):
    class Meta:
        model = Placement
        fields = ["status", "programme", "company", "researcher", "cohort", "challenge"]


@extend_schema_view(
    create=extend_schema(description="Create a placement directly, e.g. a technology "
                                     "vice-president appointment (staff)."),
)
class PlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """入企服务 / 聘任: your placements and your companies' (staff: all)."""

    queryset = Placement.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = s.PlacementSerializer
    filterset_class = PlacementFilter
    search_fields = ["company__name", "researcher__user__full_name", "post"]
    ordering_fields = ["created_at", "starts_on", "ends_on"]

    def get_permissions(self):
        if self.action == "create":
            return [IsStaff()]
        return super().get_permissions()

    def get_queryset(self):
        return (selectors.placements_visible_to(self.request.user)
                .select_related("company", "researcher__user")
                .order_by("-created_at", "-pk"))

    def perform_create(self, serializer):
        serializer.instance = placement_services.placement_create(by=self.request.user,
                                                                  **serializer.validated_data)

    def _act(self, fn, request, body=None):
        placement = self.get_object()
        fn(placement=placement, by=request.user, **(_body(body, request) if body else {}))
        return _respond(s.PlacementSerializer, self.get_queryset().get(pk=placement.pk), request)

    @extend_schema(request=s.NoteRequest, responses={200: s.PlacementSerializer},
                   description="Approve a pending placement (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def approve(self, request, pk=None):
        return self._act(placement_services.placement_approve, request, s.NoteRequest)

    @extend_schema(request=s.RequiredNoteRequest, responses={200: s.PlacementSerializer},
                   description="Reject a pending placement, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def reject(self, request, pk=None):
        return self._act(placement_services.placement_reject, request, s.RequiredNoteRequest)

    @extend_schema(request=None, responses={200: s.PlacementSerializer},
                   description="Complete an active placement (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def complete(self, request, pk=None):
        return self._act(placement_services.placement_complete, request)

    @extend_schema(request=s.RequiredNoteRequest, responses={200: s.PlacementSerializer},
                   description="End an active placement early, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def terminate(self, request, pk=None):
        return self._act(placement_services.placement_terminate, request, s.RequiredNoteRequest)


# --- outcomes -----------------------------------------------------------------------------

class OutcomeFilter(df.FilterSet):
    class Meta:
        model = Outcome
        fields = ["status", "kind", "placement"]


@extend_schema_view(
    create=extend_schema(description="Report an outcome of an active or completed placement. "
                                     "Send multipart/form-data to attach evidence."),
)
class OutcomeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    """成果: outcomes of your placements and your companies' (staff: all)."""

    queryset = Outcome.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = s.OutcomeSerializer
    filterset_class = OutcomeFilter
    search_fields = ["title", "identifier"]
    ordering_fields = ["achieved_on", "created_at", "amount"]

    def get_queryset(self):
        return selectors.outcomes_visible_to(self.request.user).order_by("-achieved_on", "-pk")

    def perform_create(self, serializer):
        serializer.instance = outcome_services.outcome_report(by=self.request.user,
                                                              **serializer.validated_data)

    def _act(self, fn, request, body):
        outcome = self.get_object()
        fn(outcome=outcome, by=request.user, **_body(body, request))
        return _respond(s.OutcomeSerializer, self.get_queryset().get(pk=outcome.pk), request)

    @extend_schema(request=s.NoteRequest, responses={200: s.OutcomeSerializer},
                   description="Verify a reported outcome: it then counts in the figures (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def verify(self, request, pk=None):
        return self._act(outcome_services.outcome_verify, request, s.NoteRequest)

    @extend_schema(request=s.RequiredNoteRequest, responses={200: s.OutcomeSerializer},
                   description="Reject a reported outcome, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[IsStaff])
    def reject(self, request, pk=None):
        return self._act(outcome_services.outcome_reject, request, s.RequiredNoteRequest)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   description="Download the evidence file.")
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        outcome = self.get_object()
        if not outcome.evidence:
            raise exceptions.NotFound(_("No evidence was attached to this outcome."))
        return FileResponse(outcome.evidence.open("rb"), as_attachment=True,
                            filename=outcome.evidence.name.rsplit("/", 1)[-1])


# --- cohorts (staff) ----------------------------------------------------------------------

class CohortViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """博士入企 cohorts (staff): their settings and solver runs."""

    serializer_class = s.CohortSerializer
    permission_classes = [IsStaff]
    queryset = Cohort.objects.order_by("-number")
    filterset_fields = ["year"]
    search_fields = ["name"]
    ordering_fields = ["number", "starts_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]


@extend_schema_view(create=extend_schema(
    request=None, description="Start a solver run; poll the list for its progress."))
class CohortRunViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A cohort's solver runs, newest first (staff)."""

    queryset = CohortRun.objects.none()  # the model, for the schema
    serializer_class = s.CohortRunSerializer
    permission_classes = [IsStaff]
    filterset_fields = ["status"]
    search_fields = ["step", "error"]
    ordering_fields = ["created_at", "finished_at"]

    def cohort(self):
        return get_object_or_404(Cohort, pk=self.kwargs["cohort_pk"])

    def get_queryset(self):
        return self.cohort().runs.order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        run = cohort_services.cohort_run_start(cohort=self.cohort(), by=request.user)
        return _respond(s.CohortRunSerializer, run, request, status.HTTP_201_CREATED)


# --- the requester's ----------------------------------------------------------------------

class RecommendationFilter(df.FilterSet):
    programme = df.ChoiceFilter(field_name="challenge__programme", choices=Programme.choices)
    industry = df.NumberFilter(field_name="challenge__industry", help_text="Leading industry id.")
    reward_min = df.NumberFilter(field_name="challenge__reward", lookup_expr="gte")
    deadline_after = df.DateFilter(field_name="challenge__deadline", lookup_expr="gte")

    class Meta:
        model = MatchScore
        fields = []


class RecommendationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The open needs that best fit your researcher profile, best first, with the reasons."""

    queryset = MatchScore.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = s.RecommendationSerializer
    filterset_class = RecommendationFilter
    search_fields = ["challenge__title", "challenge__company__name"]
    ordering_fields = ["score", "challenge__deadline", "challenge__reward"]

    def get_queryset(self):
        profile = own_profile(self.request.user)
        return (MatchScore.objects.filter(researcher=profile, engine_version=ENGINE_VERSION,
                                          challenge__status=Challenge.Status.PUBLISHED)
                .select_related("challenge__company", "challenge__industry")
                .order_by("-score", "challenge_id"))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {"request": request, "reasons": explain.explain_many(page)}
        return self.get_paginated_response(s.RecommendationSerializer(page, many=True,
                                                                      context=context).data)


class NotificationFilter(df.FilterSet):
    unread = df.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = []


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your notifications, newest first."""

    queryset = Notification.objects.none()  # the model, for the schema; see get_queryset

    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilter
    search_fields = ["subject", "body"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=None, responses={200: s.NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = self.get_object()
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
        return _respond(s.NotificationSerializer, note, request)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="All marked read.")})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        self.get_queryset().filter(read_at__isnull=True).update(read_at=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


