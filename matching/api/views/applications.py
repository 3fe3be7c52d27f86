"""Applications (揭榜) and the company's decisions on them."""

from django_filters import rest_framework as df
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action

from accounts.api import own_profile

from ... import selectors
from ...models import (
    Application,
)
from ...services import applications as application_services
from .. import serializers as s
from .common import parse_body, respond


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
        return respond(s.ApplicationSerializer, self._reload(application), request)

    @extend_schema(request=None, responses={200: s.ApplicationSerializer},
                   description="Shortlist an applicant (the company).")
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        application = self.get_object()
        application_services.application_shortlist(application=application, by=request.user)
        return respond(s.ApplicationSerializer, self._reload(application), request)

    @extend_schema(request=s.MessageRequest, responses={200: s.ApplicationSerializer},
                   description="Decline an applicant, with a message (the company).")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        application = self.get_object()
        args = parse_body(s.MessageRequest, request)
        application_services.application_decline(application=application, by=request.user,
                                                  message=args.get("message", ""))
        return respond(s.ApplicationSerializer, self._reload(application), request)

    @extend_schema(request=s.AcceptRequest, responses={201: s.PlacementSerializer},
                   description="Accept an applicant (the company): creates a placement pending "
                               "district approval.")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        application = self.get_object()
        args = parse_body(s.AcceptRequest, request)
        placement = application_services.application_accept(application=application,
                                                             by=request.user, **args)
        return respond(s.PlacementSerializer, placement, request, status.HTTP_201_CREATED)
