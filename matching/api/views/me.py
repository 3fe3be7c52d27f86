"""The requester's recommendations and notifications."""

from django.utils import timezone
from django_filters import rest_framework as df
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import own_profile

from ... import explain, selectors
from ...models import (
    MatchScore,
    Notification,
    Programme,
)
from .. import serializers as s
from .common import respond


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
        return selectors.recommendations_for(researcher=own_profile(self.request.user))

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
        return respond(s.NotificationSerializer, note, request)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="All marked read.")})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        self.get_queryset().filter(read_at__isnull=True).update(read_at=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)
