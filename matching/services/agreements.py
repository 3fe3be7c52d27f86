"""Agreements: drafted by the company (or staff), signed online by every party,
renewed as a new version, ended with a reason.

Who signs for which party is decided here, once: a member of the placement's
company signs for the company, the placed researcher for themselves, a member
of the office of the researcher's institution for the university.
"""

import datetime
import decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import CompanyMembership, InstitutionOffice, User
from accounts.roles import MANAGE_PLACEMENT, has_perm

from ..models import Agreement, AgreementSignature, Party, Placement
from ._base import transition
from .notifications import notify_after_commit
from .publicity import publicity_require_cleared

A = Agreement.Status
# The terms a company may write; the rest is set by the service.
TERMS = {"starts_on", "ends_on", "amount", "service_days_per_month", "ip_terms", "terms"}


class Signer:
    """Whom a user may sign for: read once (two queries), then asked per placement
    without further queries, so a list of agreements costs the same at any length."""

    def __init__(self, user: User):
        self.user = user
        signed_in = bool(user and user.is_authenticated)
        self.company_ids = set(CompanyMembership.objects.filter(user=user).values_list(
            "company_id", flat=True)) if signed_in else set()
        self.office_ids = set(InstitutionOffice.objects.filter(user=user).values_list(
            "institution_id", flat=True)) if signed_in else set()

    def parties(self, placement: Placement) -> set[str]:
        """The parties of `placement`'s agreement this user may sign for."""
        parties = set()
        if placement.company_id in self.company_ids:
            parties.add(Party.COMPANY)
        if self.user.is_authenticated and placement.researcher.user_id == self.user.pk:
            parties.add(Party.RESEARCHER)
        if placement.researcher.institution_id in self.office_ids:
            parties.add(Party.UNIVERSITY)
        return parties


def parties_of(user: User, placement: Placement) -> set[str]:
    """The parties of `placement`'s agreement that `user` may sign for."""
    return Signer(user).parties(placement)


def _require_drafter(by: User, placement: Placement) -> None:
    """The company writes its agreements; staff who manage placements may too."""
    if has_perm(by, MANAGE_PLACEMENT):
        return
    if not CompanyMembership.objects.filter(company=placement.company_id, user=by).exists():
        raise DomainError(_("Only the company of this placement or district staff may write "
                            "its agreement."), code="forbidden")


def _only_terms(fields: dict) -> None:
    unknown = set(fields) - TERMS
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s")
                          % {"f": ", ".join(sorted(unknown))}, code="forbidden")


def _save(agreement: Agreement, by: User, **kwargs) -> None:
    agreement.full_clean(validate_constraints=False)
    acting(agreement, by).save(**kwargs)


@transaction.atomic
def agreement_draft(*, placement: Placement, by: User, starts_on: datetime.date,
                    ends_on: datetime.date, amount: decimal.Decimal | None = None,
                    service_days_per_month: int | None = None, ip_terms: str = "",
                    terms: str = "") -> Agreement:
    """Write the first (or next) version of a placement's agreement, unsigned."""
    placement = Placement.objects.select_for_update().select_related("researcher").get(
        pk=placement.pk)
    _require_drafter(by, placement)
    if placement.status not in {Placement.Status.PENDING, Placement.Status.ACTIVE}:
        raise DomainError(_("An agreement can only be written for a pending or active "
                            "placement."), code="invalid_transition")
    if placement.agreements.open().exists():
        raise DomainError(_("This placement already has an agreement; edit or renew it."),
                          code="duplicate")
    version = (placement.agreements.aggregate(v=Max("version"))["v"] or 0) + 1
    agreement = Agreement(placement=placement, version=version, starts_on=starts_on,
                          ends_on=ends_on, amount=amount,
                          service_days_per_month=service_days_per_month,
                          ip_terms=ip_terms or "", terms=terms or "", created_by=by)
    try:
        with transaction.atomic():
            _save(agreement, by)
    except IntegrityError:  # a concurrent draft won the race
        raise DomainError(_("This placement already has an agreement; edit or renew it."),
                          code="duplicate") from None
    notify_after_commit("agreement_to_sign", agreement.pk)
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement, by: User, **fields) -> Agreement:
    """Change an unsigned agreement; the signatures given so far no longer hold."""
    _only_terms(fields)
    locked = Agreement.objects.select_for_update().select_related("placement").get(
        pk=agreement.pk)
    _require_drafter(by, locked.placement)
    if not locked.is_editable:
        raise DomainError(_("A signed agreement cannot be changed; renew it instead."),
                          code="invalid_transition")
    for name, value in fields.items():
        setattr(agreement, name, value)
    _save(agreement, by)
    for signature in agreement.signatures.all():
        acting(signature, by).delete()
    notify_after_commit("agreement_to_sign", agreement.pk)
    return agreement


@transaction.atomic
def agreement_sign(*, agreement: Agreement, by: User) -> Agreement:
    """Sign for every party `by` stands for; the last signature makes it bind."""
    agreement = Agreement.objects.select_for_update().select_related(
        "placement__researcher").get(pk=agreement.pk)
    if not agreement.is_editable:
        raise DomainError(_("This agreement is not awaiting signatures."),
                          code="invalid_transition")
    # A bounty selection binds only after its publicity (公示) cleared (issue 17).
    publicity_require_cleared(agreement.placement)
    signed = set(agreement.signatures.values_list("party", flat=True))
    mine = (parties_of(by, agreement.placement) & set(agreement.parties)) - signed
    if not mine:
        raise DomainError(_("You do not sign for any party of this agreement that has not "
                            "signed yet."), code="forbidden")
    for party in sorted(mine):
        acting(AgreementSignature(agreement=agreement, party=party, signed_by=by), by).save()
    if signed | mine >= set(agreement.parties):
        transition(agreement, allowed={A.DRAFT}, to=A.SIGNED, action=_("sign this agreement"),
                   by=by, signed_at=timezone.now())
        notify_after_commit("agreement_signed", agreement.pk)
    return agreement


@transaction.atomic
def agreement_renew(*, agreement: Agreement, by: User, **fields) -> Agreement:
    """Replace a signed agreement by a new version (unsigned), e.g. for another term."""
    _only_terms(fields)
    old = Agreement.objects.select_for_update().select_related("placement").get(pk=agreement.pk)
    _require_drafter(by, old.placement)
    transition(old, allowed={A.SIGNED}, to=A.RENEWED, action=_("renew this agreement"),
               by=by, ended_at=timezone.now())
    terms = {name: getattr(old, name) for name in TERMS} | fields
    new = Agreement(placement=old.placement, version=old.version + 1, created_by=by, **terms)
    _save(new, by)
    notify_after_commit("agreement_to_sign", new.pk)
    return new


@transaction.atomic
def agreement_end(*, agreement: Agreement, by: User, reason: str) -> Agreement:
    """End an agreement early (or withdraw a draft), saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the agreement ends."), field="end_reason", code="required")
    locked = Agreement.objects.select_related("placement").get(pk=agreement.pk)
    _require_drafter(by, locked.placement)
    transition(agreement, allowed=set(Agreement.OPEN), to=A.ENDED,
               action=_("end this agreement"), by=by, end_reason=reason, ended_at=timezone.now())
    notify_after_commit("agreement_ended", agreement.pk)
    return agreement
