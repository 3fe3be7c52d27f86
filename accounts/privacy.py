"""PIPL's doors: publishing the legal texts, giving and withdrawing consent.

Every surface (sign-up forms, the API, the page asking again after a new version,
the profile's visibility switch, the admin) calls these services.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signals
from .errors import DomainError
from .history import acting
from .models import (
    Consent,
    DeletionRequest,
    LegalText,
    PersonalDataExport,
    ResearcherProfile,
    User,
)
from .roles import PUBLISH_LEGAL_TEXT, require_perm


def client_ip(request) -> str | None:
    """The address a consent is recorded from, as the server saw it."""
    return request.META.get("REMOTE_ADDR") or None


@transaction.atomic
def legal_text_publish(*, text: LegalText, by: User) -> LegalText:
    """Publish a draft: from now on every user is asked to accept it."""
    require_perm(by, PUBLISH_LEGAL_TEXT)
    text = LegalText.objects.select_for_update().get(pk=text.pk)
    if text.is_published:
        raise DomainError(_("This version is already published."), code="invalid_transition")
    newest = LegalText.objects.published().filter(kind=text.kind).order_by("-version").first()
    if newest is not None and newest.version >= text.version:
        raise DomainError(_("Publish a version above %(v)d, the one in force.")
                          % {"v": newest.version}, field="version", code="invalid")
    if not (text.body_zh.strip() and text.body_en.strip()):
        raise DomainError(_("Write the text in both Chinese and English first."),
                          field="body_en", code="invalid")
    text.published_at, text.published_by = timezone.now(), by
    acting(text, by).save(update_fields=["published_at", "published_by"])
    return text


def _require_self(user: User, by: User) -> None:
    # Consent is personal: nobody gives or withdraws it for another person.
    if by is None or by.pk != user.pk:
        raise DomainError(_("Only the person themselves may give or withdraw their consent."),
                          code="forbidden")


def _give(user: User, by: User, *, kind: str, text: LegalText | None, ip: str | None) -> Consent:
    consent = Consent(user=user, kind=kind, text=text, given_at=timezone.now(), ip_address=ip)
    try:
        with transaction.atomic():
            acting(consent, by).save()
    except IntegrityError:  # a second click of the same form: the first one holds
        return Consent.objects.active().get(user=user, kind=kind, text=text)
    return consent


@transaction.atomic
def legal_texts_accept(*, user: User, by: User, versions: dict[str, int],
                       ip: str | None = None) -> list[Consent]:
    """Accept the texts in force, each named by its version ({"privacy": 2, …}):
    the person saw exactly these. A version that is not the current one is refused
    by name, so a form left open while staff published a newer text asks again."""
    _require_self(user, by)
    given = []
    for text in LegalText.objects.not_accepted_by(user):
        if versions.get(text.kind) != text.version:
            raise DomainError(
                _("Read and accept version %(v)d of the %(kind)s.")
                % {"v": text.version, "kind": text.get_kind_display()},
                field=f"{text.kind}_version", code="required")
        given.append(_give(user, by, kind=text.kind, text=text, ip=ip))
    return given


@transaction.atomic
def legal_text_accept(*, user: User, by: User, kind: str, version: int,
                      ip: str | None = None) -> Consent:
    """Accept one text in force, named by kind and version (the API's door)."""
    _require_self(user, by)
    text = LegalText.objects.current().filter(kind=kind).first()
    if text is None or text.version != version:
        raise DomainError(_("This is not the version in force; read the current one first."),
                          field="version", code="invalid")
    existing = Consent.objects.active().filter(user=user, text=text).first()
    return existing or _give(user, by, kind=kind, text=text, ip=ip)


def current_versions() -> dict[str, int]:
    """The version in force of each text ({} before staff publish any)."""
    return dict(LegalText.objects.current().values_list("kind", "version"))


@transaction.atomic
def visibility_give(*, user: User, by: User, ip: str | None = None) -> Consent:
    """The researcher agrees to be shown to companies: profile, works, match score
    and reasons, in match lists, invitations and exports (PIPL Art. 23)."""
    _require_self(user, by)
    consent = _give(user, by, kind=Consent.Kind.VISIBILITY, text=None, ip=ip)
    _matching_follows(user)
    return consent


@transaction.atomic
def visibility_withdraw(*, user: User, by: User) -> Consent | None:
    """Withdraw it: from now on no company is shown them (what a company already
    received with an application stays with that application)."""
    _require_self(user, by)
    consent = Consent.objects.select_for_update().active().visibility().filter(user=user).first()
    if consent is None:
        return None
    consent.withdrawn_at = timezone.now()
    acting(consent, by).save(update_fields=["withdrawn_at"])
    _matching_follows(user)
    return consent


def shown_to_companies(user: User) -> bool:
    return Consent.objects.active().visibility().filter(user=user).exists()


def _matching_follows(user: User) -> None:
    profile_id = ResearcherProfile.objects.filter(user=user).values_list("pk", flat=True).first()
    if profile_id is not None:
        signals.researcher_changed.send(sender=ResearcherProfile, profile_id=profile_id)


@transaction.atomic
def deletion_request_create(*, user: User, by: User) -> DeletionRequest:
    """The person asks for their account and personal data to be deleted; staff
    see it in their queue with its deadline (settings.DELETION_DEADLINE_DAYS).
    Asking twice returns the request already waiting."""
    _require_self(user, by)
    now = timezone.now()
    request = DeletionRequest(user=user, requested_at=now,
                              due_at=now + timedelta(days=settings.DELETION_DEADLINE_DAYS))
    try:
        with transaction.atomic():
            acting(request, by).save()
    except IntegrityError:
        return DeletionRequest.objects.pending().get(user=user)
    return request


def export_record(*, by: User, what: str) -> PersonalDataExport:
    """Staff downloaded a file with people's personal information: on record."""
    return PersonalDataExport.objects.create(user=by, what=what[:200])
