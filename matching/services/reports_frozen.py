"""Frozen reports (issue 18): staff freeze a period's figures with the exact rows
behind them and a SHA-256 checksum; a frozen report never changes, and is
reissued only as a new version with a reason.

An outcome belongs to the period in which staff verified it (`verified_at`), not
the one in which it was achieved: a verification that lands after a period was
frozen counts in the next period and leaves the frozen one as it was. A period
can be frozen only once it has ended, so no verification can still fall into it.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import User
from accounts.roles import FREEZE_REPORT, require_perm

from .. import frozen, statistics
from ..models import FrozenReport, Outcome
from ._base import require_text


def report_rows(period_start: datetime.date, period_end: datetime.date) -> dict:
    """The rows behind a period's figures, as plain data: the counted placements
    that ran during it and the outcomes verified during it."""
    window = statistics.StatsFilter(date_from=period_start, date_to=period_end)
    placements = window.placements().select_related("company").order_by("pk")
    start = timezone.make_aware(datetime.datetime.combine(period_start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(period_end + datetime.timedelta(days=1),
                                                        datetime.time.min))
    outcomes = (statistics.StatsFilter().outcomes()
                .filter(verified_at__gte=start, verified_at__lt=end)
                .select_related("funded_under").order_by("pk"))
    return {
        "placements": [{"id": p.pk, "researcher_id": p.researcher_id, "company_id": p.company_id,
                        "company": p.company.name, "programme": p.programme,
                        "cohort_id": p.cohort_id, "starts_on": p.starts_on.isoformat(),
                        "ends_on": p.ends_on.isoformat()} for p in placements],
        "outcomes": [_outcome_row(o) for o in outcomes],
    }


def _outcome_row(o: Outcome) -> dict:
    return {"id": o.pk, "placement_id": o.placement_id, "kind": o.kind, "title": o.title,
            "identifier": o.identifier, "registration_number": o.registration_number,
            "amount": None if o.amount is None else frozen.money(o.amount),
            "achieved_on": o.achieved_on.isoformat(),
            "verified_at": timezone.localtime(o.verified_at).isoformat(),
            "funded_level": o.funded_under.level if o.funded_under else None}


def _freeze(*, period_start, period_end, version: int, reason: str, by: User) -> FrozenReport:
    rows = report_rows(period_start, period_end)
    figures = frozen.figures_from_rows(rows)
    report = FrozenReport(period_start=period_start, period_end=period_end, version=version,
                          reason=reason, figures=figures, rows=rows, frozen_by=by,
                          checksum=frozen.checksum(
                              period_start=period_start.isoformat(),
                              period_end=period_end.isoformat(), version=version,
                              reason=reason, figures=figures, rows=rows))
    try:
        with transaction.atomic():
            acting(report, by).save()
    except IntegrityError:  # another freeze of the same period won the race
        raise DomainError(_("This period was frozen meanwhile."), field="period_start",
                          code="duplicate") from None
    return report


@transaction.atomic
def report_freeze(*, period_start: datetime.date, period_end: datetime.date, by: User,
                  reason: str = "") -> FrozenReport:
    """Freeze the report of a period that has ended and overlaps no frozen one."""
    require_perm(by, FREEZE_REPORT)
    if period_end < period_start:
        raise DomainError(_("The end date must be after the start date."), field="period_end")
    if period_end >= timezone.localdate():
        raise DomainError(_("A period can be frozen once it has ended."), field="period_end",
                          code="not_ended")
    overlapping = FrozenReport.objects.filter(period_start__lte=period_end,
                                              period_end__gte=period_start)
    if overlapping.filter(period_start=period_start, period_end=period_end).exists():
        raise DomainError(_("This period is frozen already: reissue its report as a new "
                            "version, with a reason."), field="period_start", code="frozen")
    if overlapping.exists():
        raise DomainError(_("This period overlaps a frozen one."), field="period_start",
                          code="overlap")
    return _freeze(period_start=period_start, period_end=period_end, version=1,
                   reason=(reason or "").strip(), by=by)


@transaction.atomic
def report_reissue(*, report: FrozenReport, by: User, note: str) -> FrozenReport:
    """A new version of a frozen report, recomputed now, saying why; the earlier
    versions stay as they were."""
    require_perm(by, FREEZE_REPORT)
    note = require_text(note, field="reason",
                        message=_("Say why the report is reissued."))
    # Locked so that two reissues of the same period cannot take the same number.
    same_period = FrozenReport.objects.select_for_update().filter(
        Q(period_start=report.period_start) & Q(period_end=report.period_end))
    latest = max(r.version for r in same_period)
    return _freeze(period_start=report.period_start, period_end=report.period_end,
                   version=latest + 1, reason=note, by=by)


def report_checksum_ok(report: FrozenReport) -> bool:
    """Whether the stored figures and rows are those the checksum was taken over,
    and the figures are those the rows give."""
    return report.checksum == frozen.checksum(
        period_start=report.period_start.isoformat(), period_end=report.period_end.isoformat(),
        version=report.version, reason=report.reason, figures=report.figures,
        rows=report.rows) and report.figures == frozen.figures_from_rows(report.rows)
