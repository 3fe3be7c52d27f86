"""REST API v1 (under /api/v1/). So far: the district's headline figures, from
the same code as the home page and the admin statistics page."""

from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from . import statistics
from .models import Outcome
from .reports import StatsForm


@api_view(["GET"])
@permission_classes([AllowAny])  # the same figures the public home page shows
@throttle_classes([AnonRateThrottle, UserRateThrottle])
def stats(request):
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
    })
