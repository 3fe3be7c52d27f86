"""What every endpoint of the REST API shares: pagination, throttling, the one
error format, strict request bodies, search that cannot reach the database with
bytes it refuses."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_standardized_errors.handler import ExceptionHandler as StandardExceptionHandler
from rest_framework import exceptions, filters, pagination, permissions, serializers
from rest_framework.serializers import as_serializer_error

# Primary keys in URLs: digits that fit a bigint, so that a huge number is a
# 404 from the URL resolver rather than an overflow in the database.
PK = r"[0-9]{1,18}"


def perm_required(perm: str) -> type[permissions.BasePermission]:
    """A DRF permission class: the requester holds `perm` (accounts/roles.py), the
    same permission the service checks, so a refusal comes before the body is read."""
    from accounts.roles import has_perm

    class HasPerm(permissions.BasePermission):
        def has_permission(self, request, view):
            return has_perm(request.user, perm)

    HasPerm.__name__ = HasPerm.__qualname__ = f"HasPerm[{perm}]"
    return HasPerm


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django's model permissions, reading included (view_<model>)."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map,
                 "GET": ["%(app_label)s.view_%(model_name)s"],
                 "HEAD": ["%(app_label)s.view_%(model_name)s"]}


class Pagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ExceptionHandler(StandardExceptionHandler):
    """Django ValidationErrors (the services' DomainError among them) become 400s
    naming the field, like a serializer's; a service's refusal for want of rights
    (code "forbidden") is a 403."""

    def convert_known_exceptions(self, exc):
        if isinstance(exc, DjangoValidationError):
            if not hasattr(exc, "error_dict") and any(
                    e.code == "forbidden" for e in exc.error_list):
                return exceptions.PermissionDenied(exc.messages[0])
            return exceptions.ValidationError(as_serializer_error(exc))
        return super().convert_known_exceptions(exc)


class StrictSerializerMixin:
    """Refuse a body that sets a field the client may not set.

    DRF silently ignores unknown and read-only keys; here `{"status": "verified"}`
    or `{"researcher": 7}` is a 400 naming the field, so that a client learns it
    cannot do that instead of believing it did.
    """

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            refused = sorted(set(data.keys()) - writable)
            if refused:
                raise serializers.ValidationError(
                    {name: [_("This field cannot be set here.")] for name in refused},
                    code="not_writable")
        return super().to_internal_value(data)


class SearchFilter(filters.SearchFilter):
    """DRF's search, minus NUL characters (PostgreSQL refuses them in text); a view
    may choose its fields per request with `get_search_fields(request)`."""

    def get_search_fields(self, view, request):
        if hasattr(view, "get_search_fields"):
            return view.get_search_fields(request)
        return super().get_search_fields(view, request)

    def get_search_terms(self, request):
        return [t.replace("\x00", "") for t in super().get_search_terms(request)
                if t.replace("\x00", "")]


def login_username(request, credentials):
    """Accounts are e-mail addresses, compared without case: `Alice@x` and `alice@x`
    count against the same lock."""
    credentials = credentials or {}
    # axes hands over {"email": …} (the user model's USERNAME_FIELD) when it checks a
    # lock, and Django's {"username": …} when it records a failure.
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


def login_locked_out(request, credentials, *args, **kwargs):
    """What a locked-out sign-in gets: a 429 in the API's error format on the API,
    the usual page elsewhere."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    message = _("Too many failed sign-in attempts. Try again later or reset your password.")
    if request.path.startswith("/api/"):
        return JsonResponse({"type": "client_error", "errors": [
            {"code": "throttled", "detail": message, "attr": None}]}, status=429)
    from django.http import HttpResponse

    return HttpResponse(message, status=429)


def client_ip(request) -> str | None:
    """The address sign-in failures are counted against.

    Behind TRUSTED_PROXIES reverse proxies, each appending to X-Forwarded-For,
    the client is the entry that many places from the right (anything further
    left the client could have written itself); with none, REMOTE_ADDR.
    """
    from django.conf import settings

    proxies = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
