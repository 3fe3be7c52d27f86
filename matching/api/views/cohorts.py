"""博士入企 cohorts and their solver runs (staff)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts.errors import DomainError
from accounts.roles import RUN_COHORT
from config.api import ModelPermissions, perm_required

from ... import selectors
from ...models import (
    Cohort,
    CohortMark,
    CohortPreference,
    CohortRun,
)
from ...services import cohorts as cohort_services
from .. import serializers as s
from .common import parse_body, respond


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


class _CohortParticipation(mixins.ListModelMixin, viewsets.GenericViewSet):
    """What a participant enters during a cohort's preference window. The cohort of
    someone taking no part in it is a 404, as another tenant's object."""

    def cohort(self):
        return get_object_or_404(Cohort, pk=self.kwargs["cohort_pk"])


@extend_schema_view(
    list=extend_schema(description="Your ranking of the cohort's needs (a PhD taking part)."),
    create=extend_schema(request=s.CohortPreferencesRequest,
                         responses={200: s.CohortPreferenceSerializer(many=True)},
                         description="Rank up to five of the cohort's published needs, best "
                                     "first, during its preference window; replaces the "
                                     "ranking."))
class CohortPreferenceViewSet(mixins.CreateModelMixin, _CohortParticipation):
    queryset = CohortPreference.objects.none()  # the model, for the schema
    serializer_class = s.CohortPreferenceSerializer

    def entry(self):
        entry = selectors.cohort_entry_of(self.request.user, self.cohort())
        if entry is None:
            raise Http404
        return entry

    def get_queryset(self):
        return self.entry().preferences.select_related("need__challenge__company")

    def create(self, request, *args, **kwargs):
        entry = self.entry()
        ids = parse_body(s.CohortPreferencesRequest, request)["needs"]
        needs = {n.pk: n for n in entry.cohort.needs.filter(pk__in=ids)}
        if len(needs) != len(set(ids)):  # a need of another cohort, or none
            raise DomainError(_("Only published needs of this cohort can be ranked."),
                              field="needs")
        cohort_services.preferences_set(entry=entry, by=request.user,
                                        needs=[needs[i] for i in ids])
        return Response(s.CohortPreferenceSerializer(self.get_queryset(), many=True).data)


@extend_schema_view(
    list=extend_schema(description="Your companies' marks on the cohort's researchers."),
    create=extend_schema(request=s.CohortMarkRequest,
                         responses={200: s.CohortMarkSerializer, 204: None},
                         description="Mark a researcher of the cohort as wanted or not "
                                     "wanted for one of your cohort needs (null takes the "
                                     "mark back), during the preference window."))
class CohortMarkViewSet(mixins.CreateModelMixin, _CohortParticipation):
    queryset = CohortMark.objects.none()  # the model, for the schema
    serializer_class = s.CohortMarkSerializer

    def needs(self):
        needs = selectors.cohort_needs_marked_by(self.request.user, self.cohort())
        if not needs.exists():
            raise Http404
        return needs

    def get_queryset(self):
        return CohortMark.objects.filter(need__in=self.needs()).order_by("need", "researcher")

    def create(self, request, *args, **kwargs):
        cohort, needs = self.cohort(), self.needs()
        body = parse_body(s.CohortMarkRequest, request)
        need = needs.select_related("challenge__company", "cohort").filter(
            pk=body["need"]).first()
        if need is None:
            raise DomainError(_("Choose one of your needs in this cohort."), field="need")
        entry = cohort.researchers.filter(pk=body["researcher"]).first()
        if entry is None:
            raise DomainError(_("This researcher does not take part in this cohort."),
                              field="researcher")
        mark = cohort_services.cohort_mark_set(need=need, entry=entry, wanted=body["wanted"],
                                               by=request.user)
        if mark is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return respond(s.CohortMarkSerializer, mark, request)
