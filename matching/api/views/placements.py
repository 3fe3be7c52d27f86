"""Placements and their outcomes."""

from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action

from accounts.api.reference import reference_viewset
from accounts.roles import APPROVE_PLACEMENT, MANAGE_PLACEMENT, VERIFY_OUTCOME
from config.api import perm_required

from ... import selectors
from ...evidence import evidence_response
from ...letters import letter_response
from ...models import (
    FundingProgramme,
    Outcome,
    Placement,
)
from ...services import outcomes as outcome_services
from ...services import placements as placement_services
from .. import serializers as s
from .common import parse_body, respond


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
            return [perm_required(MANAGE_PLACEMENT)()]
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
        fn(placement=placement, by=request.user, **(parse_body(body, request) if body else {}))
        return respond(s.PlacementSerializer, self.get_queryset().get(pk=placement.pk), request)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY},
                   description="The appointment letter (聘书) of an approved technology "
                               "vice-president placement, as a PDF; 404 for any other.")
    @action(detail=True, methods=["get"])
    def letter(self, request, pk=None):
        try:
            return letter_response(self.get_object())
        except Http404:
            raise exceptions.NotFound(_("This placement has no appointment letter.")) from None

    @extend_schema(request=s.NoteRequest, responses={200: s.PlacementSerializer},
                   description="Approve a pending placement (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(APPROVE_PLACEMENT)])
    def approve(self, request, pk=None):
        return self._act(placement_services.placement_approve, request, s.NoteRequest)

    @extend_schema(request=s.RequiredNoteRequest, responses={200: s.PlacementSerializer},
                   description="Reject a pending placement, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(APPROVE_PLACEMENT)])
    def reject(self, request, pk=None):
        return self._act(placement_services.placement_reject, request, s.RequiredNoteRequest)

    @extend_schema(request=None, responses={200: s.PlacementSerializer},
                   description="Complete an active placement (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(MANAGE_PLACEMENT)])
    def complete(self, request, pk=None):
        return self._act(placement_services.placement_complete, request)

    @extend_schema(request=s.RequiredNoteRequest, responses={200: s.PlacementSerializer},
                   description="End an active placement early, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(MANAGE_PLACEMENT)])
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
        fn(outcome=outcome, by=request.user, **parse_body(body, request))
        return respond(s.OutcomeSerializer, self.get_queryset().get(pk=outcome.pk), request)

    @extend_schema(request=None, responses={200: s.OutcomeSerializer},
                   description="Confirm an outcome the other side of the placement reported "
                               "(the researcher for the company's, the company for the "
                               "researcher's); staff may then verify it.")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        outcome = self.get_object()
        outcome_services.outcome_confirm(outcome=outcome, by=request.user)
        return respond(s.OutcomeSerializer, self.get_queryset().get(pk=outcome.pk), request)

    @extend_schema(request=s.RequiredReasonRequest, responses={200: s.OutcomeSerializer},
                   description="Dispute an outcome the other side reported, saying why.")
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        return self._act(outcome_services.outcome_dispute, request, s.RequiredReasonRequest)

    @extend_schema(request=s.NoteRequest, responses={200: s.OutcomeSerializer},
                   description="Verify an outcome the other side confirmed: it then counts in "
                               "the figures (staff). Contracts, patents and funded projects "
                               "need evidence.")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(VERIFY_OUTCOME)])
    def verify(self, request, pk=None):
        return self._act(outcome_services.outcome_verify, request, s.NoteRequest)

    @extend_schema(request=s.RequiredNoteRequest, responses={200: s.OutcomeSerializer},
                   description="Reject a reported outcome, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(VERIFY_OUTCOME)])
    def reject(self, request, pk=None):
        return self._act(outcome_services.outcome_reject, request, s.RequiredNoteRequest)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY,
                              (200, "image/png"): OpenApiTypes.BINARY,
                              (200, "image/jpeg"): OpenApiTypes.BINARY},
                   description="Download the evidence file (staff, the placement's company "
                               "and researcher), typed by its content.")
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        try:
            return evidence_response(self.get_object())
        except Http404 as e:
            raise exceptions.NotFound(str(e)) from None


# A reference table like the district's others (accounts/api/reference.py).
FundingProgrammeViewSet = reference_viewset(
    FundingProgramme, ["id", "code", "name", "name_en", "level"],
    "Programmes that fund R&D projects, with their level (national, provincial, "
    "municipal, district).")
