"""The life of a challenge (技术需求): draft → under review → published → awarded →
in progress → completed; or rejected / withdrawn / expired."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import Company, User
from accounts.roles import REVIEW_CHALLENGE, has_perm, require_perm
from accounts.services import require_member

from ..models import Application, Challenge, Programme
from ..search import challenge_search_index
from ._base import after_commit, require_text, transition
from .applications import applications_close
from .notifications import notify_after_commit

S = Challenge.Status


@transaction.atomic
def challenge_create(*, company: Company, by: User, preferred_institutions=(),
                     **fields) -> Challenge:
    require_member(by, company)
    challenge = Challenge(company=company, created_by=by, status=S.DRAFT, **fields)
    challenge.full_clean()
    _check_programme_and_cohort(challenge)
    acting(challenge, by).save()
    challenge.preferred_institutions.set(preferred_institutions)
    challenge_search_index(challenges=[challenge])
    return challenge


@transaction.atomic
def challenge_update(*, challenge: Challenge, by: User, **fields) -> Challenge:
    require_member(by, challenge.company)
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not locked.is_editable:
        raise DomainError(_("Only a draft or a rejected need can be edited."),
                          code="invalid_transition")
    institutions = fields.pop("preferred_institutions", None)
    for name, value in fields.items():
        setattr(challenge, name, value)
    challenge.full_clean()
    _check_programme_and_cohort(challenge)
    acting(challenge, by).save()
    if institutions is not None:
        challenge.preferred_institutions.set(institutions)
    challenge_search_index(challenges=[challenge])
    return challenge


@transaction.atomic
def challenge_submit(*, challenge: Challenge, by: User) -> Challenge:
    require_member(by, challenge.company)
    if not challenge.company.is_verified:
        raise DomainError(
            _("Your company has not been verified by district staff yet, so its needs "
              "cannot be submitted for review."), code="company_unverified")
    if challenge.is_editable:  # else the transition refuses it by its status
        _check_complete(challenge)
        _check_programme_and_cohort(challenge)
    if challenge.deadline and challenge.deadline <= timezone.localdate():
        raise DomainError(_("The deadline must be in the future."), field="deadline")
    return transition(challenge, allowed=Challenge.EDITABLE, to=S.UNDER_REVIEW,
                      action=_("submit this need for review"), by=by)


def _is_blank(value) -> bool:
    return not value.strip() if isinstance(value, str) else not value  # None, [] too


def _check_complete(challenge: Challenge) -> None:
    """A draft may be a title only; a need staff review says what it is about,
    what it takes, where it belongs and until when (every field named at once)."""
    required = {
        "background": _("Describe the background before submitting the need."),
        "required_expertise": _("Name the expertise the work needs before submitting."),
        "industry": _("Choose the leading industry before submitting the need."),
        "deadline": _("Set a deadline before submitting the need."),
    }
    missing = {name: [message] for name, message in required.items()
               if _is_blank(getattr(challenge, Challenge._meta.get_field(name).attname))}
    if missing:
        raise ValidationError(missing, code="incomplete")


def _check_programme_and_cohort(challenge: Challenge) -> None:
    """A PhD need belongs to a cohort that has not ended; other programmes to none."""
    cohort = challenge.cohort
    if challenge.programme == Programme.PHD:
        if cohort is None:
            raise DomainError(_("A PhDs-into-enterprises need joins a cohort: choose one."),
                              field="cohort", code="cohort_required")
        if cohort.ends_on < timezone.localdate():
            raise DomainError(
                _("%(cohort)s ended on %(date)s; choose a cohort that is still running.")
                % {"cohort": cohort, "date": cohort.ends_on}, field="cohort",
                code="cohort_ended")
    elif cohort is not None:
        raise DomainError(_("Only PhDs-into-enterprises needs join a cohort; leave it empty "
                            "for this programme."), field="cohort", code="cohort_not_allowed")


@transaction.atomic
def challenge_publish(*, challenge: Challenge, by: User, note: str = "") -> Challenge:
    require_perm(by, REVIEW_CHALLENGE)
    now = timezone.now()
    transition(challenge, allowed={S.UNDER_REVIEW}, to=S.PUBLISHED,
               action=_("publish this need"), by=by, review_note=note, reviewed_by=by,
               reviewed_at=now, published_at=now)
    notify_after_commit("challenge_reviewed", challenge.pk)
    # Within seconds of publication the company sees who fits its need.
    after_commit("challenge_rescore", challenge.pk)
    return challenge


@transaction.atomic
def challenge_reject(*, challenge: Challenge, by: User, note: str) -> Challenge:
    require_perm(by, REVIEW_CHALLENGE)
    note = require_text(note, field="review_note",
                        message=_("Say why the need is rejected; the company is shown it."))
    transition(challenge, allowed={S.UNDER_REVIEW}, to=S.REJECTED,
               action=_("reject this need"), by=by, review_note=note, reviewed_by=by,
               reviewed_at=timezone.now())
    notify_after_commit("challenge_reviewed", challenge.pk)
    return challenge


@transaction.atomic
def challenge_withdraw(*, challenge: Challenge, by: User, reason: str = "") -> Challenge:
    """Withdraw a need; once researchers have applied, a reason is required, and
    the applications still awaiting a decision are closed with it."""
    require_member(by, challenge.company)
    if challenge.applications.exists():
        reason = require_text(
            reason, field="withdraw_reason",
            message=_("Researchers have applied to this need: say why it is withdrawn."))
    transition(challenge, allowed=Challenge.WITHDRAWABLE, to=S.WITHDRAWN,
               action=_("withdraw this need"), by=by, withdraw_reason=(reason or "").strip())
    applications_close(challenge=challenge, reason=Application.CloseReason.NEED_WITHDRAWN,
                       by=by)
    return challenge


@transaction.atomic
def challenge_complete(*, challenge: Challenge, by: User) -> Challenge:
    if not has_perm(by, REVIEW_CHALLENGE):
        require_member(by, challenge.company)
    return transition(challenge, allowed={S.IN_PROGRESS}, to=S.COMPLETED,
                      action=_("complete this need"), by=by)


def challenges_expire_overdue(*, today: datetime.date | None = None) -> int:
    """Expire every published need whose deadline has passed; returns how many.

    Each need moves under its own row lock, so running this twice, or beside a
    company accepting an applicant, changes each need at most once.
    """
    today = today or timezone.localdate()
    overdue = Challenge.objects.published().filter(deadline__lt=today).values_list("pk", flat=True)
    expired = 0
    for pk in list(overdue):
        with transaction.atomic():
            challenge = Challenge.objects.select_for_update().get(pk=pk)
            if challenge.status != S.PUBLISHED:
                continue  # decided meanwhile
            # Through save(), not update(): the expiry belongs in the need's history.
            transition(challenge, allowed={S.PUBLISHED}, to=S.EXPIRED,
                       action=_("expire this need"), by=None)
            applications_close(challenge=challenge,
                               reason=Application.CloseReason.NEED_EXPIRED, by=None)
            expired += 1
            notify_after_commit("challenge_expired", pk)
    return expired
