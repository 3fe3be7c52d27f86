from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions


class ApiLanguageMiddleware:
    """The API speaks the client's Accept-Language (zh-hans unless it asks for en),
    and every answer under /api/ has its error shape.

    LocaleMiddleware gives every path without a language prefix the default
    language, because the site's Chinese pages carry no prefix; API paths have
    no prefix either, so their language is chosen here instead.

    DRF's views answer errors in the API's shape themselves; what Django answers
    before reaching one (an unknown path or id, a method a plain view refuses)
    would be an HTML page. Those become the same JSON here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        # For this request only: the thread's language is put back afterwards.
        with translation.override(translation.get_language_from_request(request)):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            if response.status_code >= 400 and not _is_json(response):
                response = api_error(request, response.status_code)
            return response


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def api_error(request, status: int) -> JsonResponse:
    """{"type", "errors": [{"code", "detail", "attr"}]}, as drf-standardized-errors
    writes them, in the active language (DRF's own messages where it has one)."""
    known = {400: exceptions.ParseError, 403: exceptions.PermissionDenied,
             404: exceptions.NotFound, 405: lambda: exceptions.MethodNotAllowed(request.method)}
    if status in known:
        detail = known[status]().detail
    elif status >= 500:
        detail = exceptions.APIException().detail
    else:
        detail = exceptions.ErrorDetail(_("The request could not be served."), code="error")
    return JsonResponse({
        "type": "server_error" if status >= 500 else "client_error",
        "errors": [{"code": detail.code, "detail": str(detail), "attr": None}],
    }, status=status)
