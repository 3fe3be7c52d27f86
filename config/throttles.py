"""Throttles of the REST API (own module: DRF imports them while it loads its views)."""

from django.conf import settings
from rest_framework import throttling


class _LiveRateMixin:
    """DRF binds the rates when the class is defined; read them when asked, so that
    settings (and tests that override them) take effect."""

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]


class AnonThrottle(_LiveRateMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(_LiveRateMixin, throttling.UserRateThrottle):
    pass
