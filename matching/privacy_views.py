"""Download my data: the website's link and the API's `me/export/` serve the
same copy (matching.privacy.personal_export), as JSON or Excel."""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from .privacy import export_workbook, personal_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(user, fmt: str) -> HttpResponse:
    data = personal_export(user)
    name = f"my-data-{timezone.localdate().isoformat()}"
    if fmt == "xlsx":
        response = HttpResponse(export_workbook(data), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False,
                                           indent=2),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    # A personal copy is never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data(request, fmt):
    if fmt not in ("json", "xlsx"):
        raise Http404
    return export_response(request.user, fmt)


class MyDataExport(APIView):
    """Everything the service holds about you (PIPL Art. 45): account, researcher
    profile, works, company memberships, applications, placements, outcomes,
    notifications, consents and sign-in records, one section each. JSON by
    default; `?file=xlsx` for an Excel workbook with a sheet per section."""

    @extend_schema(
        parameters=[OpenApiParameter("file", str, enum=["json", "xlsx"], required=False)],
        responses={(200, "application/json"): OpenApiTypes.OBJECT,
                   (200, XLSX): OpenApiTypes.BINARY})
    def get(self, request):
        return export_response(request.user,
                               "xlsx" if request.query_params.get("file") == "xlsx" else "json")
