"""Throttles of the REST API (own module: DRF imports them while it loads its views)."""

from django.conf import settings
from rest_framework import throttling


class _LiveRateMixin:
    """DRF binds the rates when the class is defined; read them when asked, so that
    settings (and tests that override them) take effect."""

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]


class AnonThrottle(_LiveRateMixin, throttling.AnonRateThrottle):
    """Keyed on the address the trusted proxies report, the same one sign-in locks
    count against. DRF's own key without NUM_PROXIES is the whole X-Forwarded-For
    header, which a client writes: each invented address was a fresh allowance."""

    def get_ident(self, request):
        from .api import client_ip  # config.api imports DRF's views: import late

        return client_ip(request) or ""


class UserThrottle(_LiveRateMixin, throttling.UserRateThrottle):
    pass
