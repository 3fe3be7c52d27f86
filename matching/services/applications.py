"""揭榜: a researcher applies; the company shortlists, accepts or declines."""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import CompanyMembership, ResearcherProfile, User
from accounts.services import require_member
from accounts.validators import validate_period_date

from ..models import Application, Challenge, Placement
from ._base import require_text, transition
from .notifications import notify_after_commit

A = Application.Status
OPEN = {A.SUBMITTED, A.SHORTLISTED}


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
    if CompanyMembership.objects.filter(company=challenge.company_id, user=by).exists():
        raise DomainError(_("You cannot apply to a need of your own company."),
                          code="conflict_of_interest")
    proposal = require_text(proposal, field="proposal", message=_("Describe your proposal."))
    application = Application(challenge=challenge, researcher=researcher, proposal=proposal,
                              team=team, budget=budget, timeline=timeline)
    application.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise DomainError(_("You have already applied to this need."),
                          code="duplicate") from None
    notify_after_commit("application_received", application.pk)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    if application.researcher.user_id != by.pk:
        raise DomainError(_("Only the applicant may withdraw an application."),
                          code="forbidden")
    return transition(application, allowed=OPEN, to=A.WITHDRAWN,
                      action=_("withdraw this application"))


@transaction.atomic
def application_shortlist(*, application: Application, by: User) -> Application:
    require_member(by, application.challenge.company)
    return transition(application, allowed={A.SUBMITTED}, to=A.SHORTLISTED,
                      action=_("shortlist this application"))


@transaction.atomic
def application_decline(*, application: Application, by: User,
                        message: str = "") -> Application:
    require_member(by, application.challenge.company)
    transition(application, allowed=OPEN, to=A.DECLINED,
               action=_("decline this application"), decision_message=message,
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
    starts_on = starts_on or timezone.localdate()
    try:
        # Bounded before a year is added to it: 9999-12-31 would overflow.
        validate_period_date(starts_on)
    except ValidationError as e:
        raise DomainError(e.messages[0], field="starts_on", code=e.code) from None
    if challenge.status not in {Challenge.Status.PUBLISHED, Challenge.Status.AWARDED}:
        raise DomainError(_("Applicants can only be accepted while the need is published."),
                          code="invalid_transition")
    accepted = challenge.applications.filter(status=A.ACCEPTED).count()
    if accepted >= challenge.headcount:
        raise DomainError(
            _("This need takes %(n)d researcher(s) and all places are filled.")
            % {"n": challenge.headcount}, code="headcount_full")
    transition(application, allowed=OPEN, to=A.ACCEPTED, action=_("accept this application"),
               decision_message=message, decided_by=by, decided_at=timezone.now())
    ends_on = ends_on or starts_on + datetime.timedelta(days=365)
    placement = Placement(programme=challenge.programme, company=challenge.company,
                          researcher=application.researcher, challenge=challenge,
                          application=application, cohort=challenge.cohort,
                          starts_on=starts_on, ends_on=ends_on)
    placement.full_clean()
    placement.save()
    notify_after_commit("application_decided", application.pk)
    if accepted + 1 >= challenge.headcount:
        transition(challenge, allowed={Challenge.Status.PUBLISHED}, to=Challenge.Status.AWARDED,
                   action=_("award this need"))
    application.challenge = challenge
    return placement


