"""Needs (技术需求) and their best-matching researchers."""

from django.shortcuts import get_object_or_404
from django_filters import rest_framework as df
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import ResearcherProfile
from accounts.roles import REVIEW_CHALLENGE
from config.api import perm_required

from ... import explain, public_cache, selectors
from ...filters import ChallengeFilter, ChallengeSearchFilter
from ...models import Challenge, MatchScore
from ...services import challenges as challenge_services
from .. import serializers as s
from .common import SAFE, parse_body, respond


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
                                   "every state. `search` finds needs by their text, "
                                   "expertise, company and industry, Chinese or English, "
                                   "with synonyms, most relevant first."),
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

    # One search for the website and the API (matching/search.py).
    filter_backends = [DjangoFilterBackend, ChallengeSearchFilter, filters.OrderingFilter]
    search_fields = ["title"]  # tells the schema that `search` exists; the filter decides

    def get_queryset(self):
        user = self.request.user
        # Reads see what is visible; writes reach only the user's companies' needs.
        challenges = selectors.challenges_visible_to(user) if self.request.method in SAFE \
            else selectors.challenges_owned_by(user)
        return (challenges.select_related("company", "industry")
                .prefetch_related("preferred_institutions")
                .order_by("-published_at", "-created_at", "-pk"))

    def list(self, request, *args, **kwargs):
        # What an anonymous client gets (published needs, confidential text masked)
        # is the same for all of them: matching/public_cache.py keeps it.
        data = public_cache.cached(request, "api-challenges",
                                   lambda: super(ChallengeViewSet, self).list(
                                       request, *args, **kwargs).data)
        return Response(data)

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
        args = parse_body(body, request) if body else {}
        fn(challenge=challenge, by=request.user, **args, **extra)
        return respond(s.ChallengeSerializer, self.get_queryset().get(pk=challenge.pk), request)

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
        args = parse_body(s.ReasonRequest, request)
        challenge_services.challenge_withdraw(challenge=challenge, by=request.user,
                                              reason=args.get("reason", ""))
        return respond(s.ChallengeSerializer, self.get_queryset().get(pk=challenge.pk), request)

    @extend_schema(request=s.NoteRequest, responses={200: s.ChallengeSerializer},
                   description="Publish a need under review (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(REVIEW_CHALLENGE)])
    def publish(self, request, pk=None):
        return self._act(challenge_services.challenge_publish, request, s.NoteRequest)

    @extend_schema(request=s.RequiredNoteRequest, responses={200: s.ChallengeSerializer},
                   description="Reject a need under review, saying why (staff).")
    @action(detail=True, methods=["post"], permission_classes=[perm_required(REVIEW_CHALLENGE)])
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
        return selectors.matches_for_challenge(challenge=self.challenge())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        for score in page:
            score.challenge = self.challenge()
        context = {"request": request, "reasons": explain.explain_many(page)}
        return self.get_paginated_response(s.MatchSerializer(page, many=True,
                                                             context=context).data)
