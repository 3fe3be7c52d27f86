"""Middleware of the whole site: the API's language, and the requests refused before
any view reads them (a body over the cap, a NUL character in the query string)."""

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse
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
    return error_json(status, detail.code, str(detail))


def error_json(status: int, code: str, detail: str, attr: str | None = None) -> JsonResponse:
    """The API's one error shape, for answers no DRF view wrote."""
    return JsonResponse({"type": "server_error" if status >= 500 else "client_error",
                         "errors": [{"code": code, "detail": detail, "attr": attr}]},
                        status=status)


def client_error(request, status: int, code: str, detail: str, attr: str | None = None):
    """A refusal in the API's one error shape on /api/, a page of the site elsewhere.

    The page may be rendered before the session and user middleware ran: the
    site's context processors then see an anonymous visitor."""
    if request.path_info.startswith("/api/"):
        return error_json(status, code, detail, attr)
    return TemplateResponse(request, "client_error.html", {"detail": detail},
                            status=status).render()


class HostileInputMiddleware:
    """Refuse, before anything reads them, the requests no view could answer.

    - A body announced larger than REQUEST_BODY_MAX_BYTES: a 413 without reading
      it (Django would otherwise stream a 60 MB upload to a temporary file before
      the service's 10 MB check refused it).
    - A NUL character anywhere in the query string: PostgreSQL refuses it in any
      text, so every filter, search and admin changelist would fail deep inside
      the database with a 500; no honest link carries one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def _refusal(self, request):
        language = translation.get_language_from_path(request.path_info) or \
            translation.get_language_from_request(request)
        with translation.override(language):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return client_error(request, 400, "invalid",
                                    _("The Content-Length header is not a number."))
            limit = settings.REQUEST_BODY_MAX_BYTES
            if length > limit:
                return client_error(request, 413, "too_large", _(
                    "The request is larger than %(mb)d MB; send a smaller file.")
                    % {"mb": limit // (1024 * 1024)})
            if "\x00" in request.META.get("QUERY_STRING", "") or any(
                    "\x00" in key or any("\x00" in v for v in values)
                    for key, values in request.GET.lists()):
                return client_error(request, 400, "null_characters_not_allowed",
                                    _("The address contains a NUL character."))
        return None
