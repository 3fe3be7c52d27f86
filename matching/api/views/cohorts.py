"""博士入企 cohorts and their solver runs (staff)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets

from accounts.roles import RUN_COHORT
from config.api import ModelPermissions, perm_required

from ...models import (
    Cohort,
    CohortRun,
)
from ...services import cohorts as cohort_services
from .. import serializers as s
from .common import respond


class CohortViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """博士入企 cohorts (staff): their settings and solver runs."""

    serializer_class = s.CohortSerializer
    permission_classes = [ModelPermissions]
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
    filterset_fields = ["status"]
    search_fields = ["error"]
    ordering_fields = ["created_at", "finished_at"]

    def get_permissions(self):
        needed = RUN_COHORT if self.action == "create" else "matching.view_cohortrun"
        return [perm_required(needed)()]

    def cohort(self):
        return get_object_or_404(Cohort, pk=self.kwargs["cohort_pk"])

    def get_queryset(self):
        return self.cohort().runs.order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        run = cohort_services.cohort_run_start(cohort=self.cohort(), by=request.user)
        return respond(s.CohortRunSerializer, run, request, status.HTTP_201_CREATED)
