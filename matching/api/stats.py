"""GET /api/v1/stats/: the district's headline figures, from the same code as the
home page and the admin statistics page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import statistics
from ..models import Outcome, Programme
from ..reports import StatsForm


class PlanActionRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    placements = serializers.IntegerField()
    researchers = serializers.IntegerField()
    outcomes = serializers.IntegerField()
    deal_value_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2,
                                                   coerce_to_string=True)


class StatsSerializer(serializers.Serializer):
    filter = serializers.DictField(child=serializers.CharField())
    researchers_placed = serializers.IntegerField()
    companies_served = serializers.IntegerField()
    deal_value_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2,
                                                   coerce_to_string=True)
    outcomes = serializers.IntegerField()
    outcomes_by_kind = serializers.DictField(child=serializers.IntegerField())
    patents = serializers.IntegerField()
    funded_projects = serializers.IntegerField()
    funding_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2,
                                                coerce_to_string=True)
    kinds = serializers.DictField(child=serializers.CharField())
    by_plan_action = PlanActionRowSerializer(many=True)


def _id(name, help_text):
    return OpenApiParameter(name, OpenApiTypes.INT, description=help_text)


class StatsView(APIView):
    """Researchers placed, companies served, verified deal value and outcomes, for
    any cohort, programme, platform, cluster, industry, institution and period.
    Public, like the home page."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: StatsSerializer}, auth=[], parameters=[
        _id("cohort", "Cohort id."),
        OpenApiParameter("programme", OpenApiTypes.STR, enum=Programme.values),
        _id("platform", "Industry platform id."), _id("cluster", "Industry cluster id."),
        _id("leading_industry", "Leading industry id."), _id("institution", "Institution id."),
        OpenApiParameter("date_from", OpenApiTypes.DATE),
        OpenApiParameter("date_to", OpenApiTypes.DATE),
    ])
    def get(self, request):
        # The admin page's filter form validates here too: one definition of the filters.
        form = StatsForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        f = form.stats_filter()
        figures = statistics.headline(f)
        return Response({
            "filter": {k: str(v) for k, v in f.as_dict().items()},
            "researchers_placed": figures["researchers"],
            "companies_served": figures["companies"],
            "deal_value_wan_yuan": str(figures["deal_value"]),
            "outcomes": figures["outcomes"],
            "outcomes_by_kind": figures["by_kind"],
            "patents": figures["patents"],
            "funded_projects": figures["funded_projects"],
            "funding_wan_yuan": str(figures["funding"]),
            "kinds": dict(Outcome.Kind.choices),
            # What each action of the 55830 plan produced: placements and verified
            # outcomes linked to it (the page's breakdown, one definition).
            "by_plan_action": [
                {"label": str(r["label"]), "placements": r["placements"],
                 "researchers": r["researchers"], "outcomes": r["outcomes"],
                 "deal_value_wan_yuan": str(r["deal_value"])}
                for r in statistics.breakdown(f, "plan_action")],
        })
