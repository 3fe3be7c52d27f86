"""Nightly jobs: the statistics snapshot and the reminders. Each is replay-safe:
run twice for a day, it leaves the same rows and sends nothing twice."""

import datetime
import json

from django.utils import timezone

from accounts.models import User
from accounts.roles import MANAGE_PLACEMENT

from .. import statistics
from ..models import Placement, Programme, StatsSnapshot
from ..models.placements import QUIET_DAYS
from .notifications import Message, _company_users, send

# Staff hear about tech-VP appointments this close to their end.
ENDING_DAYS = 30


def stats_snapshot_take(*, day: datetime.date | None = None) -> StatsSnapshot:
    day = day or timezone.localdate()
    figures = json.loads(json.dumps(statistics.headline(), default=str))
    snapshot, _created = StatsSnapshot.objects.update_or_create(day=day,
                                                               defaults={"figures": figures})
    return snapshot


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind quiet placements and staff of ending tech-VP terms; returns how many
    notifications were new."""
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    sent = 0
    quiet = Placement.objects.quiet(today).select_related("company", "researcher__user")
    for p in quiet:
        # One reminder per placement per quiet period: the key names the period.
        period = (today - p.starts_on).days // QUIET_DAYS
        sent += send(f"placement_quiet:{p.pk}:{period}", Message(
            [*_company_users(p.company), p.researcher.user],
            lambda p=p: _("No outcome reported for %(p)s in %(n)d days") % {"p": p,
                                                                             "n": QUIET_DAYS},
            lambda: _("Please report patents, contracts, projects or other results, or tell "
                      "the district why there are none yet.")))
    staff = list(User.objects.with_perm(MANAGE_PLACEMENT))
    ending = (Placement.objects.active().filter(
        programme=Programme.TECH_VP, ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=ENDING_DAYS))
        .select_related("company", "researcher__user"))
    for p in ending:
        sent += send(f"tech_vp_ending:{p.pk}:{p.ends_on}", Message(
            staff, lambda p=p: _("A technology vice-president term ends on %(d)s: %(p)s")
            % {"d": p.ends_on, "p": p},
            lambda: _("Renew the appointment or close the placement.")))
    return sent
