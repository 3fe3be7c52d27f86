"""What every endpoint of the REST API shares: pagination, throttling, the one
error format, strict request bodies, search that cannot reach the database with
bytes it refuses."""

import ipaddress
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from drf_standardized_errors.handler import ExceptionHandler as StandardExceptionHandler
from rest_framework import exceptions, filters, pagination, permissions, serializers
from rest_framework.serializers import as_serializer_error

# Primary keys in URLs: digits that fit a bigint, so that a huge number is a
# 404 from the URL resolver rather than an overflow in the database.
PK = r"[0-9]{1,18}"


def parse_pk(value) -> int | None:
    """A primary key a form sent, or None when it is not one (`abc`, `１`, 10**30)."""
    value = value if isinstance(value, str) else ""
    return int(value) if re.fullmatch(PK, value) else None


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


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"


class ExceptionHandler(StandardExceptionHandler):
    """Django ValidationErrors (the services' DomainError among them) become 400s
    naming the field, like a serializer's; a service's refusal for want of rights
    (code "forbidden") is a 403. A body Django refuses to read (over
    DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields or files) is the client's fault:
    a 413 or a 400, not the 500 an unknown exception would become."""

    def convert_known_exceptions(self, exc):
        if isinstance(exc, RequestDataTooBig):
            return RequestTooLarge(_("The request body is larger than %(mb).1f MB.")
                                   % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20})
        if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            return exceptions.ParseError(_("The request has too many fields or files."))
        if isinstance(exc, DjangoValidationError):
            if not hasattr(exc, "error_dict") and any(
                    e.code == "forbidden" for e in exc.error_list):
                return exceptions.PermissionDenied(exc.messages[0])
            return exceptions.ValidationError(as_serializer_error(exc))
        return super().convert_known_exceptions(exc)


class DateField(serializers.DateField):
    """DRF's date with ASCII digits only.

    DRF's parser reads any Unicode digit (２０２５-０３-０１, ٢٠٢٥-…) where the website's
    and the admin's forms refuse them: one rule everywhere, and it is "YYYY-MM-DD in
    ASCII" (browsers' date inputs and programs send nothing else).
    """

    def to_internal_value(self, value):
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class StrictSerializerMixin:
    """Refuse a body that sets a field the client may not set.

    DRF silently ignores unknown and read-only keys; here `{"status": "verified"}`
    or `{"researcher": 7}` is a 400 naming the field, so that a client learns it
    cannot do that instead of believing it did. A model's dates are read by
    DateField above.
    """

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.DateField: DateField}

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


def client_ip(request) -> str | None:
    """The address sign-in failures are counted against.

    Behind TRUSTED_PROXIES reverse proxies, each appending to X-Forwarded-For,
    the client is the entry that many places from the right (anything further
    left the client could have written itself); with none, REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if a.strip()]
    if proxies and len(forwarded) >= proxies:
        try:
            # Not an address (a miscounted TRUSTED_PROXIES hands the client this
            # entry): the connection's address, rather than text the database's
            # address column refuses.
            return str(ipaddress.ip_address(forwarded[-proxies]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")
