"""Sign-in locks (django-axes): per account and address, with a ceiling per address.

Five wrong passwords for one account from one address lock that pair for the
cool-off; the account stays open from elsewhere, so nobody can lock a colleague
(or district staff) out by typing their e-mail address wrongly five times. One
address is locked for every account only past a far higher ceiling, which stops
a password sprayer without shutting a campus or an office behind one NAT out.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler where each lockout parameter has its own limit.

    AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "ip_address"]: axes
    counts both and compares the larger with one limit; here the pair is held to
    AXES_FAILURE_LIMIT and the address alone to AXES_ADDRESS_FAILURE_LIMIT.
    """

    def get_failures(self, request, credentials=None) -> int:
        pair, address = self.get_user_attempts(request, credentials)
        limit = settings.AXES_FAILURE_LIMIT
        if _failures(address) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return limit
        return min(_failures(pair), limit)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that account's failures from that address
        only: clearing the whole address would let a sprayer reset its count by
        signing in to an account of its own now and then."""
        pair, _address = self.filter_user_attempts(request, credentials)
        count, _ = pair.delete()
        return count


def locked_out(request, credentials, *args, **kwargs):
    """What a locked-out sign-in gets: a 429 in the API's error format on the API,
    a page of the site elsewhere that says what to do."""
    message = _("Too many failed sign-in attempts. Try again later or reset your password.")
    if request.path.startswith("/api/"):
        return JsonResponse({"type": "client_error", "errors": [
            {"code": "throttled", "detail": message, "attr": None}]}, status=429)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
