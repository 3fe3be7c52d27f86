"""揭榜: a researcher applies; the company shortlists, accepts or declines."""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import ResearcherProfile, User
from accounts.services import require_member
from accounts.validators import validate_period_date

from ..eligibility import require_eligible
from ..models import Application, Challenge, Panel, Placement
from ._base import after_commit, require_text, transition
from .notifications import notify_after_commit

A = Application.Status
OPEN = Application.OPEN


@transaction.atomic
def application_submit(*, challenge: Challenge, researcher: ResearcherProfile, by: User,
                       proposal: str, team: str = "", budget: decimal.Decimal | None = None,
                       timeline: str = "") -> Application:
    if researcher.user_id != by.pk:
        raise DomainError(_("You can only apply for yourself."), code="forbidden")
    if challenge.status != Challenge.Status.PUBLISHED:
        raise DomainError(_("This need is not open for applications."),
                          code="invalid_transition")
    if challenge.deadline and challenge.deadline < timezone.localdate():
        raise DomainError(_("The deadline of this need has passed."), code="deadline_passed")
    require_eligible(researcher=researcher, company=challenge.company,
                     programme=challenge.programme)
    proposal = require_text(proposal, field="proposal", message=_("Describe your proposal."))
    application = Application(challenge=challenge, researcher=researcher, proposal=proposal,
                              team=team, budget=budget, timeline=timeline)
    application.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            acting(application, by).save()
    except IntegrityError:
        raise DomainError(_("You have already applied to this need."),
                          code="duplicate") from None
    notify_after_commit("application_received", application.pk)
    # The company ranks every applicant: score this pair now, whatever its rank.
    after_commit("researcher_rescore", researcher.pk)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    if application.researcher.user_id != by.pk:
        raise DomainError(_("Only the applicant may withdraw an application."),
                          code="forbidden")
    return transition(application, allowed=OPEN, to=A.WITHDRAWN,
                      action=_("withdraw this application"), by=by)


def _require_deciding(challenge: Challenge) -> None:
    if not challenge.takes_decisions:
        raise DomainError(
            _("This need is %(status)s: its applicants can no longer be decided on.")
            % {"status": challenge.get_status_display()}, code="invalid_transition")


@transaction.atomic
def application_shortlist(*, application: Application, by: User) -> Application:
    challenge = Challenge.objects.select_for_update().get(pk=application.challenge_id)
    require_member(by, challenge.company)
    _require_deciding(challenge)
    return transition(application, allowed={A.SUBMITTED}, to=A.SHORTLISTED,
                      action=_("shortlist this application"), by=by)


@transaction.atomic
def application_decline(*, application: Application, by: User,
                        message: str = "") -> Application:
    challenge = Challenge.objects.select_for_update().get(pk=application.challenge_id)
    require_member(by, challenge.company)
    _require_deciding(challenge)
    transition(application, allowed=OPEN, to=A.DECLINED,
               action=_("decline this application"), by=by, decision_message=message,
               decided_by=by, decided_at=timezone.now())
    notify_after_commit("application_decided", application.pk)
    return application


@transaction.atomic
def application_accept(*, application: Application, by: User, message: str = "",
                       starts_on: datetime.date | None = None,
                       ends_on: datetime.date | None = None) -> Placement:
    """Accept an applicant: creates a placement pending district approval.

    The challenge is locked while its accepted applicants are counted, so two
    members accepting at once cannot exceed its head-count. It becomes
    "awarded" once the head-count is reached.
    """
    challenge = Challenge.objects.select_for_update().get(pk=application.challenge_id)
    require_member(by, challenge.company)
    _require_deciding(challenge)
    # The company chooses after the expert panel, if one sits, has ranked the applicants.
    if challenge.panels.filter(status__in=Panel.OPEN).exists():
        raise DomainError(_("An expert panel is still reviewing the applicants of this need."),
                          code="panel_at_work")
    starts_on = starts_on or timezone.localdate()
    try:
        # Bounded before a year is added to it: 9999-12-31 would overflow.
        validate_period_date(starts_on)
    except ValidationError as e:
        raise DomainError(e.messages[0], field="starts_on", code=e.code) from None
    accepted = challenge.applications.filter(status=A.ACCEPTED).count()
    if accepted >= challenge.headcount:
        raise DomainError(
            _("This need takes %(n)d researcher(s) and all places are filled.")
            % {"n": challenge.headcount}, code="headcount_full")
    transition(application, allowed=OPEN, to=A.ACCEPTED, action=_("accept this application"),
               by=by, decision_message=message, decided_by=by, decided_at=timezone.now())
    ends_on = ends_on or starts_on + datetime.timedelta(days=365)
    placement = Placement(programme=challenge.programme, company=challenge.company,
                          researcher=application.researcher, challenge=challenge,
                          application=application, cohort=challenge.cohort,
                          starts_on=starts_on, ends_on=ends_on)
    placement.full_clean()
    acting(placement, by).save()
    notify_after_commit("application_decided", application.pk)
    if accepted + 1 >= challenge.headcount:
        transition(challenge, allowed={Challenge.Status.PUBLISHED}, to=Challenge.Status.AWARDED,
                   action=_("award this need"), by=by)
        # The last place is taken: the others are told they were not selected.
        applications_close(challenge=challenge, reason=Application.CloseReason.NOT_SELECTED,
                           by=by)
    application.challenge = challenge
    return placement


def applications_close(*, challenge: Challenge, reason: str, by: User | None) -> int:
    """Close every application of `challenge` still awaiting a decision, with the
    reason its applicant is shown, and tell each applicant; returns how many.

    Called inside the transaction that withdraws, expires or fills the need
    (whose row it holds locked), so the need and its applications change
    together; each application moves under its own row lock and keeps a history
    row. The notification is keyed by the application, so a replay sends it once.
    """
    closed = 0
    for application in challenge.applications.open().order_by("pk"):
        transition(application, allowed=OPEN, to=A.CLOSED,
                   action=_("close this application"), by=by, close_reason=reason,
                   decided_by=by, decided_at=timezone.now())
        notify_after_commit("application_closed", application.pk)
        closed += 1
    return closed


