"""In-app notifications and their e-mails.

A service calls `notify_after_commit(event, object_id)`; once its transaction
commits, a Celery task calls `notification_dispatch`, which writes one
Notification per recipient and e-mails it. Both steps are replay-safe: the
Notification is unique per (user, event) and a row already e-mailed is not
e-mailed again, so a task re-run after a worker crash sends nothing twice.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Challenge, Notification, Outcome, Placement
from ._base import after_commit


@dataclass
class Message:
    recipients: list[User]
    subject: Callable[[], str]  # evaluated in each recipient's language
    body: Callable[[], str]
    url: str = ""


# Where each notification leads: the page of the thing it is about, as its
# recipient sees it (the company's page of its need, the researcher's row of
# their application).
def _need_url(challenge) -> str:
    return reverse("matching:need_manage", args=[challenge.pk])


def _application_url(application) -> str:
    return f"{reverse('matching:researcher_dashboard')}#application-{application.pk}"


def _placement_url(placement) -> str:
    return f"{reverse('matching:placements')}#placement-{placement.pk}"


def _company_users(company) -> list[User]:
    return list(User.objects.filter(memberships__company=company, is_active=True))


def _challenge_reviewed(pk: int) -> Message | None:
    challenge = Challenge.objects.select_related("company").filter(pk=pk).first()
    if challenge is None:
        return None
    if challenge.status == Challenge.Status.REJECTED:
        return Message(
            _company_users(challenge.company),
            lambda: _("Your need “%(title)s” was not approved") % {"title": challenge.title},
            lambda: _("Reviewer's note: %(note)s\nYou can edit the need and submit it again.")
            % {"note": challenge.review_note}, url=_need_url(challenge))
    return Message(
        _company_users(challenge.company),
        lambda: _("Your need “%(title)s” is published") % {"title": challenge.title},
        lambda: _("Researchers can now see and apply to it."), url=_need_url(challenge))


def _challenge_expired(pk: int) -> Message | None:
    challenge = Challenge.objects.select_related("company").filter(pk=pk).first()
    if challenge is None:
        return None
    return Message(
        _company_users(challenge.company),
        lambda: _("Your need “%(title)s” has expired") % {"title": challenge.title},
        lambda: _("Its deadline has passed; it no longer takes applications."),
        url=_need_url(challenge))


def _company_reviewed(pk: int) -> Message | None:
    from accounts.models import Company

    company = Company.objects.filter(pk=pk).first()
    if company is None:
        return None
    if company.is_verified:
        return Message(_company_users(company),
                       lambda: _("%(name)s is verified") % {"name": company.name},
                       lambda: _("Your company's needs can now be submitted for review."),
                       url=reverse("accounts:company"))
    return Message(_company_users(company),
                   lambda: _("%(name)s could not be verified yet") % {"name": company.name},
                   lambda: _("Reviewer's note: %(note)s") % {"note": company.review_note},
                   url=reverse("accounts:company"))


def _researcher_reviewed(pk: int) -> Message | None:
    from accounts.models import ResearcherProfile

    profile = ResearcherProfile.objects.select_related("user").filter(pk=pk).first()
    if profile is None:
        return None
    if profile.is_verified:
        return Message([profile.user], lambda: _("Your researcher profile is verified"),
                       lambda: _("Companies now see you as a verified researcher."),
                       url=reverse("accounts:profile"))
    return Message([profile.user], lambda: _("Your researcher profile could not be verified yet"),
                   lambda: _("Reviewer's note: %(note)s") % {"note": profile.review_note},
                   url=reverse("accounts:profile"))


def _placement_reviewed(pk: int) -> Message | None:
    placement = Placement.objects.select_related("company", "researcher__user").filter(
        pk=pk).first()
    if placement is None:
        return None
    users = [*_company_users(placement.company), placement.researcher.user]
    if placement.status == Placement.Status.REJECTED:
        return Message(users, lambda: _("A placement was not approved: %(p)s") % {"p": placement},
                       lambda: _("Reviewer's note: %(note)s") % {"note": placement.review_note},
                       url=_placement_url(placement))
    return Message(users, lambda: _("A placement is approved: %(p)s") % {"p": placement},
                   lambda: _("It runs from %(a)s to %(b)s.") % {"a": placement.starts_on,
                                                                 "b": placement.ends_on},
                   url=_placement_url(placement))


def _outcome_reviewed(pk: int) -> Message | None:
    outcome = Outcome.objects.select_related("placement__company",
                                             "placement__researcher__user").filter(pk=pk).first()
    if outcome is None:
        return None
    users = [*_company_users(outcome.placement.company), outcome.placement.researcher.user]
    if outcome.status == Outcome.Status.REJECTED:
        return Message(users, lambda: _("An outcome was not verified: %(t)s") % {"t": outcome.title},
                       lambda: _("Reviewer's note: %(note)s") % {"note": outcome.review_note},
                       url=_placement_url(outcome.placement))
    return Message(users, lambda: _("An outcome is verified: %(t)s") % {"t": outcome.title},
                   lambda: _("It now counts in the district's figures."),
                   url=_placement_url(outcome.placement))


def _application_received(pk: int) -> Message | None:
    from ..models import Application

    application = Application.objects.select_related(
        "challenge__company", "researcher__user", "researcher__institution").filter(pk=pk).first()
    if application is None:
        return None
    return Message(
        _company_users(application.challenge.company),
        lambda: _("New application to “%(title)s”") % {"title": application.challenge.title},
        lambda: _("%(name)s (%(institution)s) applied. See the applicants ranked by match score.")
        % {"name": application.researcher.user, "institution": application.researcher.institution},
        url=_need_url(application.challenge))


def _application_decided(pk: int) -> Message | None:
    from ..models import Application

    application = Application.objects.select_related("challenge", "researcher__user").filter(
        pk=pk).first()
    if application is None:
        return None
    title = application.challenge.title
    message = application.decision_message
    if application.status == Application.Status.ACCEPTED:
        return Message(
            [application.researcher.user],
            lambda: _("Your application to “%(title)s” was accepted") % {"title": title},
            lambda: "\n".join(filter(None, [
                _("The placement now awaits the district's approval."), message])),
            url=_application_url(application))
    return Message(
        [application.researcher.user],
        lambda: _("Your application to “%(title)s” was declined") % {"title": title},
        lambda: message or _("The company chose other applicants this time."),
        url=_application_url(application))


def _agreement(pk: int):
    from ..models import Agreement

    return Agreement.objects.select_related(
        "placement__company", "placement__researcher__user").filter(pk=pk).first()


def _agreement_url(agreement) -> str:
    return reverse("matching:agreement", args=[agreement.placement_id])


def _party_users(agreement, parties) -> list[User]:
    from accounts.models import InstitutionOffice

    from ..models import Party

    placement = agreement.placement
    users = []
    if Party.COMPANY in parties:
        users += _company_users(placement.company)
    if Party.RESEARCHER in parties:
        users.append(placement.researcher.user)
    if Party.UNIVERSITY in parties:
        users += [o.user for o in InstitutionOffice.objects.select_related("user").filter(
            institution=placement.researcher.institution_id, user__is_active=True)]
    return users


def _agreement_to_sign(pk: int) -> Message | None:
    agreement = _agreement(pk)
    if agreement is None or not agreement.is_editable:
        return None
    signed = set(agreement.signatures.values_list("party", flat=True))
    waiting = [p for p in agreement.parties if p not in signed]
    return Message(
        _party_users(agreement, waiting),
        lambda: _("An agreement awaits your signature: %(p)s") % {"p": agreement.placement},
        lambda: _("Read the terms of version %(v)d and sign it online.")
        % {"v": agreement.version}, url=_agreement_url(agreement))


def _agreement_signed(pk: int) -> Message | None:
    agreement = _agreement(pk)
    if agreement is None:
        return None
    return Message(
        _party_users(agreement, agreement.parties),
        lambda: _("The agreement is signed by every party: %(p)s") % {"p": agreement.placement},
        lambda: _("It runs from %(a)s to %(b)s.") % {"a": agreement.starts_on,
                                                      "b": agreement.ends_on},
        url=_agreement_url(agreement))


def _agreement_ended(pk: int) -> Message | None:
    agreement = _agreement(pk)
    if agreement is None:
        return None
    return Message(
        _party_users(agreement, agreement.parties),
        lambda: _("An agreement has ended: %(p)s") % {"p": agreement.placement},
        lambda: _("Reason: %(r)s") % {"r": agreement.end_reason},
        url=_agreement_url(agreement))


def _application_closed(pk: int) -> Message | None:
    from ..models import Application

    application = Application.objects.select_related("challenge", "researcher__user").filter(
        pk=pk, status=Application.Status.CLOSED).first()
    if application is None:
        return None
    challenge = application.challenge
    R = Application.CloseReason
    body = {
        R.NEED_WITHDRAWN: lambda: _("The company withdrew the need: %(reason)s")
        % {"reason": challenge.withdraw_reason},
        R.NEED_EXPIRED: lambda: _("The need's deadline passed before the company decided."),
        R.NOT_SELECTED: lambda: _("The company filled its places with other applicants; "
                                  "thank you for applying."),
    }[application.close_reason]
    return Message(
        [application.researcher.user],
        lambda: _("Your application to “%(title)s” is closed") % {"title": challenge.title},
        body, url=_application_url(application))


def _invitation_received(pk: int) -> Message | None:
    from accounts.models import Invitation

    invitation = Invitation.objects.select_related("company", "user", "invited_by").filter(
        pk=pk, status=Invitation.Status.PENDING).first()
    if invitation is None:  # answered or revoked before the task ran
        return None
    return Message(
        [invitation.user],
        lambda: _("%(name)s invites you to join %(company)s")
        % {"name": invitation.invited_by or "", "company": invitation.company.name},
        lambda: _("As a member you would see the company's needs and everything researchers "
                  "propose to them. Accept or decline the invitation."),
        url=reverse("accounts:invitations"))


def _invitation_answered(pk: int) -> Message | None:
    from accounts.models import CompanyMembership, Invitation

    invitation = Invitation.objects.select_related("company", "user").filter(pk=pk).first()
    if invitation is None or invitation.status not in {Invitation.Status.ACCEPTED,
                                                       Invitation.Status.DECLINED}:
        return None
    owners = list(User.objects.filter(memberships__company=invitation.company_id,
                                      memberships__role=CompanyMembership.Role.OWNER,
                                      is_active=True))
    if invitation.status == Invitation.Status.ACCEPTED:
        return Message(owners, lambda: _("%(name)s joined %(company)s")
                       % {"name": invitation.user, "company": invitation.company.name},
                       lambda: _("They accepted your invitation and are now a member."),
                       url=reverse("accounts:company"))
    return Message(owners, lambda: _("%(name)s declined to join %(company)s")
                   % {"name": invitation.user, "company": invitation.company.name},
                   lambda: _("They declined your invitation."), url=reverse("accounts:company"))


EVENTS: dict[str, Callable[[int], Message | None]] = {
    "challenge_reviewed": _challenge_reviewed,
    "challenge_expired": _challenge_expired,
    "company_reviewed": _company_reviewed,
    "researcher_reviewed": _researcher_reviewed,
    "placement_reviewed": _placement_reviewed,
    "outcome_reviewed": _outcome_reviewed,
    "application_received": _application_received,
    "application_decided": _application_decided,
    "agreement_to_sign": _agreement_to_sign,
    "agreement_signed": _agreement_signed,
    "agreement_ended": _agreement_ended,
    "application_closed": _application_closed,
    "invitation_received": _invitation_received,
    "invitation_answered": _invitation_answered,
}


def notify_after_commit(event: str, object_id: int) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    after_commit("notify", event, object_id)


def notification_dispatch(*, event: str, object_id: int) -> int:
    """Write and e-mail the notifications of one event; returns how many were e-mailed."""
    message = EVENTS[event](object_id)
    if message is None:
        return 0
    return send(f"{event}:{object_id}", message)


def send(event_key: str, message: Message) -> int:
    """Notify every recipient once for `event_key`; returns how many were e-mailed."""
    sent = 0
    for user in message.recipients:
        with translation.override(user.language):
            subject, body = message.subject(), message.body()
        try:
            with transaction.atomic():
                note, _created = Notification.objects.get_or_create(
                    user=user, event_key=event_key,
                    defaults={"subject": subject, "body": body, "url": message.url})
        except IntegrityError:  # a concurrent replay created it first
            note = Notification.objects.get(user=user, event_key=event_key)
        if note.emailed_at is None:
            if note.url:  # the e-mail leads to the same page as the notification
                body = f"{body}\n\n{settings.SITE_URL}{note.url}"
            send_mail(subject, body, None, [user.email])
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent
