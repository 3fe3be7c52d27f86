"""The service record (服务日志): the researcher logs the days served, the company
confirms or queries each month, and the nightly job reminds a short month before
it ends and records a shortfall once it has.

Who may do what is decided here: the placed researcher logs (and corrects a day
the company queried); a member of the placement's company confirms or queries.
"""

import calendar
import datetime
import decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import CompanyMembership, User

from ..evidence import kind_of, named_for
from ..models import Agreement, Placement, ServiceLog, ServiceNotice, month_of
from .notifications import Message, _company_users, send

S = ServiceLog.Status
# The reminder goes out this many days before a short month ends.
REMINDER_DAYS = 5
# Photos are images only (a PDF is no photo), read by their first bytes.
PHOTO_TYPES = {"image/png", "image/jpeg"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def _require_researcher(by: User, placement: Placement) -> None:
    if not (by and by.is_authenticated and placement.researcher.user_id == by.pk):
        raise DomainError(_("Only the placed researcher logs their service days."),
                          code="forbidden")


def _require_company(by: User, placement: Placement) -> None:
    if not CompanyMembership.objects.filter(company=placement.company_id, user=by.pk).exists():
        raise DomainError(_("Only the company of this placement confirms its service days."),
                          code="forbidden")


def _checked_photo(photo: UploadedFile | None):
    """The photo, renamed for what it is, or a refusal naming the field."""
    if not photo:
        return None
    if photo.size > PHOTO_MAX_BYTES:
        raise DomainError(_("The photo is larger than 5 MB."), field="photo", code="too_large")
    kind = kind_of(photo)
    if kind is None or kind[0] not in PHOTO_TYPES:
        raise DomainError(_("The photo must be a PNG or JPEG image."), field="photo",
                          code="invalid")
    photo.name = named_for(photo.name, kind[1])
    return photo


@transaction.atomic
def service_log_add(*, placement: Placement, by: User, day: datetime.date,
                    hours: decimal.Decimal, place: str, work: str,
                    photo: UploadedFile | None = None) -> ServiceLog:
    """Log a day of service; logging a day again corrects it (while unconfirmed)."""
    placement = Placement.objects.select_for_update().select_related("researcher").get(
        pk=placement.pk)
    _require_researcher(by, placement)
    if placement.status != Placement.Status.ACTIVE:
        raise DomainError(_("Service days are logged for an active placement."),
                          code="invalid_transition")
    if not placement.starts_on <= day <= placement.ends_on:
        raise DomainError(_("The day is outside the placement's term."), field="day",
                          code="invalid")
    log = ServiceLog.objects.filter(placement=placement, day=day).first()
    if log is not None and log.status == S.CONFIRMED:
        raise DomainError(_("The company has confirmed this day already."), field="day",
                          code="duplicate")
    work = (work or "").strip()
    if len(work) > 2000:  # a TextField's max_length is not checked by full_clean
        raise DomainError(_("Say what was done in at most 2,000 characters."), field="work",
                          code="too_long")
    log = log or ServiceLog(placement=placement, day=day)
    log.hours, log.place, log.work, log.logged_by = hours, (place or "").strip(), work, by
    # A corrected day goes back to the company to confirm.
    log.status, log.query_reason, log.decided_by, log.decided_at = S.LOGGED, "", None, None
    checked = _checked_photo(photo)
    if checked is not None:
        log.photo = checked
    log.full_clean(validate_constraints=False)
    acting(log, by).save()
    return log


def _month_range(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month, month.replace(day=last)


@transaction.atomic
def service_month_confirm(*, placement: Placement, month: datetime.date, by: User) -> int:
    """Confirm every unconfirmed, unqueried log of a month; returns how many."""
    _require_company(by, placement)
    first, last = _month_range(month_of(month))
    logs = ServiceLog.objects.select_for_update().filter(
        placement=placement, day__range=(first, last), status=S.LOGGED)
    now = timezone.now()
    done = 0
    for log in logs:
        log.status, log.decided_by, log.decided_at = S.CONFIRMED, by, now
        acting(log, by).save()
        done += 1
    return done


@transaction.atomic
def service_log_query(*, log: ServiceLog, by: User, reason: str) -> ServiceLog:
    """The company questions one day, saying why; the researcher may correct it."""
    log = ServiceLog.objects.select_for_update().select_related("placement").get(pk=log.pk)
    _require_company(by, log.placement)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what is wrong with this day."), field="reason",
                          code="required")
    if log.status == S.CONFIRMED:
        raise DomainError(_("This day is confirmed already."), code="invalid_transition")
    log.status, log.query_reason, log.decided_by, log.decided_at = (
        S.QUERIED, reason[:2000], by, timezone.now())
    acting(log, by).save()
    return log


# --- the month's figures, and the nightly notices -------------------------------------------

def days_required(placement: Placement) -> int | None:
    """Days a month the signed agreement asks for (None: no signed agreement or no rule)."""
    agreement = placement.agreements.filter(status=Agreement.Status.SIGNED).first()
    return agreement.service_days_per_month if agreement else None


def month_days(placement: Placement, month: datetime.date) -> dict:
    """Days logged (not queried) and confirmed in `month`."""
    first, last = _month_range(month_of(month))
    return ServiceLog.objects.filter(placement=placement, day__range=(first, last)).aggregate(
        logged=Count("pk", filter=~Q(status=S.QUERIED)),
        confirmed=Count("pk", filter=Q(status=S.CONFIRMED)))


def _placements_with_a_rule():
    """Active placements whose signed agreement sets days per month, each with that
    number as `required` (one query, whatever their number)."""
    signed = Q(agreements__status=Agreement.Status.SIGNED)
    return (Placement.objects.active().filter(signed, agreements__service_days_per_month__gt=0)
            .annotate(required=Max("agreements__service_days_per_month", filter=signed))
            .select_related("company", "researcher__user").order_by("pk"))


def service_notices_send(*, today: datetime.date | None = None) -> int:
    """The nightly job: remind each placement whose month is short REMINDER_DAYS
    before it ends; record a shortfall for last month once it has ended. Only whole
    months of a placement count (it started on or before the month's first day).
    Returns how many notices were new. Replay-safe: a notice is unique per
    placement, month and kind, and nothing is sent for a notice that existed."""
    today = today or timezone.localdate()
    month = month_of(today)
    previous = month_of(month - datetime.timedelta(days=1))
    reminding = (_month_range(month)[1] - today).days < REMINDER_DAYS
    new = 0
    for placement in _placements_with_a_rule():
        if reminding and placement.starts_on <= month:
            new += _notice(placement, month, ServiceNotice.Kind.REMINDER, placement.required)
        if placement.starts_on <= previous:
            new += _notice(placement, previous, ServiceNotice.Kind.SHORTFALL,
                           placement.required)
    return new


def _notice(placement: Placement, month: datetime.date, kind: str, required: int) -> int:
    """Record and send one notice if the month is short and it was not sent yet."""
    logged = month_days(placement, month)["logged"]
    if logged >= required:
        return 0
    try:
        with transaction.atomic():
            notice, created = ServiceNotice.objects.get_or_create(
                placement=placement, month=month, kind=kind,
                defaults={"days_logged": logged, "days_required": required})
    except IntegrityError:  # a concurrent run recorded it first
        return 0
    if not created:
        return 0
    key = f"service_{kind}:{placement.pk}:{month:%Y-%m}"
    if kind == ServiceNotice.Kind.REMINDER:
        send(key, Message(
            [placement.researcher.user],
            lambda: _("%(m)s: %(n)d of %(r)d service days logged") % {
                "m": f"{month:%Y-%m}", "n": logged, "r": required},
            lambda: _("The month ends soon; log the days you served at %(c)s.")
            % {"c": placement.company.name}))
    else:
        send(key, Message(
            [placement.researcher.user, *_company_users(placement.company)],
            lambda: _("%(m)s fell short: %(n)d of %(r)d service days") % {
                "m": f"{month:%Y-%m}", "n": logged, "r": required},
            lambda: _("The agreement asks for %(r)d days a month. The district sees this "
                      "shortfall.") % {"r": required}))
    return 1
