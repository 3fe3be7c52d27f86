"""Evaluations (考核): each year of a placement's term (the last year of a PhD's
cohort period is its end-of-period evaluation) brings together the researcher's
self-report, the company's opinion and the measured indicators; staff grade it
优秀 / 合格 / 不合格, and 不合格 ends the placement and its agreement."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import CompanyMembership, User
from accounts.roles import GRADE_EVALUATION, MANAGE_PLACEMENT, has_perm, require_perm

from ..models import Agreement, Evaluation, Grade, Outcome, Placement, Programme, month_of
from . import agreements as agreement_services
from . import placements as placement_services
from .service_records import S

# An evaluation opens this many days before its year ends, so that the reports
# are in when it does.
OPEN_BEFORE_DAYS = 30
EVALUATED = (Programme.TECH_VP, Programme.PHD)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_years(placement: Placement) -> list[tuple[int, datetime.date, datetime.date]]:
    """(year, first day, last day) of each year of the placement's term; the last
    year ends with the term."""
    years, n = [], 1
    while True:
        start = _add_years(placement.starts_on, n - 1)
        if start > placement.ends_on:
            return years
        end = min(_add_years(placement.starts_on, n) - datetime.timedelta(days=1),
                  placement.ends_on)
        if end > start:
            years.append((n, start, end))
        n += 1


def evaluations_open_due(*, today: datetime.date | None = None) -> int:
    """The nightly job: open the evaluation of every year of an active, agreed
    placement that ends within OPEN_BEFORE_DAYS. Replay-safe: one evaluation per
    placement, kind and year (a constraint). Returns how many were opened."""
    today = today or timezone.localdate()
    opened = 0
    placements = (Placement.objects.active().filter(
        programme__in=EVALUATED, agreements__status=Agreement.Status.SIGNED)
        .prefetch_related("agreements", "evaluations").distinct())
    for placement in placements:
        agreement = next(a for a in placement.agreements.all()
                         if a.status == Agreement.Status.SIGNED)
        have = {(e.kind, e.year) for e in placement.evaluations.all()}
        for year, start, end in term_years(placement):
            kind = (Evaluation.Kind.FINAL if placement.programme == Programme.PHD
                    and end == placement.ends_on else Evaluation.Kind.ANNUAL)
            if (kind, year) in have or start > today \
                    or end > today + datetime.timedelta(days=OPEN_BEFORE_DAYS):
                continue
            try:
                with transaction.atomic():
                    Evaluation.objects.create(placement=placement, agreement=agreement,
                                              kind=kind, year=year, period_start=start,
                                              period_end=end)
            except IntegrityError:  # a concurrent run opened it
                continue
            opened += 1
    return opened


def _text(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, field=field, code="required")
    if len(text) > 5000:  # a TextField's max_length is not checked by full_clean
        raise DomainError(_("At most 5,000 characters."), field=field, code="too_long")
    return text


def _open(evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().select_related(
        "placement__researcher").get(pk=evaluation.pk)
    if locked.status != Evaluation.Status.OPEN:
        raise DomainError(_("This evaluation is graded already."), code="invalid_transition")
    return locked


@transaction.atomic
def evaluation_self_report(*, evaluation: Evaluation, by: User, text: str) -> Evaluation:
    """The researcher's own account of the year."""
    locked = _open(evaluation)
    if locked.placement.researcher.user_id != by.pk:
        raise DomainError(_("Only the placed researcher writes the self-report."),
                          code="forbidden")
    locked.self_report = _text(text, "self_report", _("Write the self-report."))
    locked.full_clean(validate_constraints=False)
    acting(locked, by).save()
    return locked


@transaction.atomic
def evaluation_company_opinion(*, evaluation: Evaluation, by: User, text: str,
                               targets_total: int | None = None,
                               targets_met: int | None = None) -> Evaluation:
    """The company's opinion of the year, and how many of the agreed targets were met."""
    locked = _open(evaluation)
    if not CompanyMembership.objects.filter(company=locked.placement.company_id,
                                            user=by.pk).exists():
        raise DomainError(_("Only the company of this placement gives its opinion."),
                          code="forbidden")
    text = _text(text, "company_opinion", _("Write the company's opinion."))
    if targets_met is not None and targets_total is not None and targets_met > targets_total:
        raise DomainError(_("More targets met than were set."), field="targets_met",
                          code="invalid")
    locked.company_opinion, locked.targets_total, locked.targets_met = (
        text, targets_total, targets_met)
    locked.full_clean(validate_constraints=False)
    acting(locked, by).save()
    return locked


def indicators(evaluation: Evaluation) -> dict:
    """The measured indicators of the evaluation's period: service days required
    (whole months × the agreement's days a month), logged (not queried),
    confirmed; outcomes verified."""
    from django.db.models import Count, Q

    start, end = evaluation.period_start, evaluation.period_end
    logs = evaluation.placement.service_logs.filter(day__range=(start, end)).aggregate(
        logged=Count("pk", filter=~Q(status=S.QUERIED)),
        confirmed=Count("pk", filter=Q(status=S.CONFIRMED)))
    per_month = evaluation.agreement.service_days_per_month if evaluation.agreement else None
    months = ((month_of(end).year - month_of(start).year) * 12
              + month_of(end).month - month_of(start).month + 1)
    verified = evaluation.placement.outcomes.filter(
        status=Outcome.Status.VERIFIED, achieved_on__range=(start, end)).count()
    return {"days_required": per_month * months if per_month else None,
            "days_logged": logs["logged"], "days_confirmed": logs["confirmed"],
            "outcomes_verified": verified}


@transaction.atomic
def evaluation_grade(*, evaluation: Evaluation, by: User, grade: str,
                     note: str = "") -> Evaluation:
    """Grade a year. The indicators are measured now and kept with the grade.
    不合格 ends the placement and its agreement with the grader's note as the
    reason, through their own services (so only those who may end placements
    give it); 优秀 and 合格 let it continue."""
    require_perm(by, GRADE_EVALUATION)
    if grade not in Grade.values:
        raise DomainError(_("Choose a grade."), field="grade", code="invalid")
    locked = _open(evaluation)
    note = (note or "").strip()
    if grade == Grade.FAIL:
        if not has_perm(by, MANAGE_PLACEMENT):
            raise DomainError(_("A fail ends the placement: only staff who may end placements "
                                "give it."), code="forbidden")
        if not note:
            raise DomainError(_("Say why the year is graded 不合格; the placement ends with "
                                "this reason."), field="grade_note", code="required")
    for name, value in indicators(locked).items():
        setattr(locked, name, value)
    locked.status, locked.grade, locked.grade_note = Evaluation.Status.GRADED, grade, note
    locked.graded_by, locked.graded_at = by, timezone.now()
    acting(locked, by).save()
    if grade == Grade.FAIL:
        _exit(locked.placement, by, note)
    return locked


def _exit(placement: Placement, by: User, reason: str) -> None:
    reason = _("Graded 不合格 (fail): %(why)s") % {"why": reason}
    for agreement in placement.agreements.open():
        agreement_services.agreement_end(agreement=agreement, by=by, reason=reason)
    if placement.status == Placement.Status.ACTIVE:
        placement_services.placement_terminate(placement=placement, by=by, note=reason)
