"""REST API v1 (under /api/v1/). So far: the district's headline figures, from
the same code as the home page and the admin statistics page."""

from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from accounts.models import IndustryCluster, IndustryPlatform, Institution, LeadingIndustry

from . import statistics
from .models import Cohort, Outcome, Programme


class StatsQuery(serializers.Serializer):
    cohort = serializers.PrimaryKeyRelatedField(queryset=Cohort.objects.all(), required=False)
    programme = serializers.ChoiceField(choices=Programme.choices, required=False)
    platform = serializers.PrimaryKeyRelatedField(queryset=IndustryPlatform.objects.all(),
                                                  required=False)
    cluster = serializers.PrimaryKeyRelatedField(queryset=IndustryCluster.objects.all(),
                                                 required=False)
    leading_industry = serializers.PrimaryKeyRelatedField(
        queryset=LeadingIndustry.objects.all(), required=False)
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(),
                                                     required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            from django.utils.translation import gettext as _

            raise serializers.ValidationError({"date_to": _("The end date must be after the "
                                                            "start date.")})
        return data


@api_view(["GET"])
@permission_classes([AllowAny])  # the same figures the public home page shows
@throttle_classes([AnonRateThrottle, UserRateThrottle])
def stats(request):
    query = StatsQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    f = statistics.StatsFilter(**{k: getattr(v, "pk", v) for k, v in query.validated_data.items()})
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
    })
