"""Publicity (公示) of a bounty's selection, and objections to it.

Once staff approved the placement, they publish the result for a window of
working days (settings.PUBLICITY_WORKING_DAYS; weekends do not count). While
it is open anyone signed in may object, giving reasons; staff uphold or
dismiss each objection. The agreement is signed only after the window closed
with every objection resolved and none upheld (`publicity_require_cleared`,
which the agreement's service asks).
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import User
from accounts.roles import PUBLISH_RESULT, require_perm

from ..models import Objection, Panel, Placement, Programme, Publicity
from ._base import require_text, transition

O = Objection.Status  # noqa: E741


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day counting `start` itself if it is one (Mon–Fri)."""
    day, counted = start, 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def _summary(placement: Placement) -> str:
    researcher = placement.researcher
    return _("%(need)s (%(company)s): selected %(name)s, %(institution)s.") % {
        "need": placement.challenge.title if placement.challenge else "",
        "company": placement.company.name, "name": researcher.user.full_name,
        "institution": researcher.institution.name}


@transaction.atomic
def publicity_open(*, placement: Placement, by: User) -> Publicity:
    """Publish an approved bounty selection for objections, from today."""
    require_perm(by, PUBLISH_RESULT)
    # Only the placement row is locked: its need may be absent (an outer join).
    placement = Placement.objects.select_for_update(of=("self",)).select_related(
        "challenge", "company", "researcher__user", "researcher__institution").get(
        pk=placement.pk)
    if placement.programme != Programme.BOUNTY or placement.status != Placement.Status.ACTIVE:
        raise DomainError(_("Only an approved bounty selection is published."),
                          code="invalid_transition")
    today = timezone.localdate()
    publicity = Publicity(placement=placement, summary=_summary(placement), opens_on=today,
                          closes_on=add_working_days(today, settings.PUBLICITY_WORKING_DAYS),
                          created_by=by)
    try:
        with transaction.atomic():
            acting(publicity, by).save()
    except IntegrityError:
        raise DomainError(_("This selection has already been published."),
                          code="duplicate") from None
    return publicity


@transaction.atomic
def objection_lodge(*, publicity: Publicity, by: User, reasons: str) -> Objection:
    if not (by and by.is_authenticated):
        raise DomainError(_("Sign in to lodge an objection."), code="forbidden")
    reasons = require_text(reasons, field="reasons", message=_("Give the reasons for your "
                                                               "objection."))
    publicity = Publicity.objects.select_for_update().get(pk=publicity.pk)
    if not publicity.is_open_on(timezone.localdate()):
        raise DomainError(_("Objections are taken only while the result is published."),
                          code="closed")
    objection = Objection(publicity=publicity, lodged_by=by, reasons=reasons[:5000])
    acting(objection, by).save()
    return objection


def _resolve(objection: Objection, by: User, note: str, to: str, action: str) -> Objection:
    require_perm(by, PUBLISH_RESULT)
    note = require_text(note, field="review_note",
                        message=_("Say how the objection was resolved."))
    return transition(objection, allowed={O.LODGED}, to=to, action=action, by=by,
                      review_note=note, reviewed_by=by, reviewed_at=timezone.now())


@transaction.atomic
def objection_uphold(*, objection: Objection, by: User, note: str) -> Objection:
    """The objection stands: the agreement stays blocked; staff reject or end the
    placement by its own decision."""
    return _resolve(objection, by, note, O.UPHELD, _("uphold this objection"))


@transaction.atomic
def objection_dismiss(*, objection: Objection, by: User, note: str) -> Objection:
    return _resolve(objection, by, note, O.DISMISSED, _("dismiss this objection"))


def publicity_require_cleared(placement: Placement) -> None:
    """Refuse to bind a bounty selection that is, or should be, under publicity.

    A selection by an expert panel must have been published; any published
    selection must have closed its window with every objection dismissed."""
    if placement.programme != Programme.BOUNTY:
        return
    publicity = Publicity.objects.filter(placement=placement).first()
    if publicity is None:
        if placement.challenge_id and Panel.objects.filter(
                challenge=placement.challenge_id, status=Panel.Status.CLOSED).exists():
            raise DomainError(_("The selection must be published (公示) before the agreement "
                                "is signed."), code="publicity_pending")
        return
    if timezone.localdate() <= publicity.closes_on:
        raise DomainError(_("The selection is published until %(day)s; the agreement is signed "
                            "after that.") % {"day": publicity.closes_on},
                          code="publicity_pending")
    if publicity.objections.exclude(status=O.DISMISSED).exists():
        raise DomainError(_("An objection to the selection is unresolved or was upheld."),
                          code="objection_pending")
