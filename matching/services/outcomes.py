"""Outcomes (成果) of a placement: reported → confirmed (or disputed) by the other
side → verified / rejected by staff.

An outcome the company reports is confirmed by the researcher, and one the
researcher reports by the company, before staff may verify it; contracts,
patents and funded projects are verified only with evidence. Only verified
outcomes count in the district's figures.
"""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import CompanyMembership, User
from accounts.roles import VERIFY_OUTCOME, require_perm

from .. import evidence as evidence_files
from .. import identifiers
from ..models import FundingProgramme, Outcome, Placement
from ._base import after_commit, require_text, transition
from .notifications import notify_after_commit

K = Outcome.Kind
NEEDS_IDENTIFIER = {K.INVENTION_PATENT, K.UTILITY_MODEL, K.SOFTWARE_COPYRIGHT, K.TECH_CONTRACT}
NEEDS_AMOUNT = {K.TECH_CONTRACT, K.FUNDED_PROJECT}
# Staff verify these only against a document (a registration certificate, a
# patent office notice, a funding decision).
NEEDS_EVIDENCE = {K.INVENTION_PATENT, K.UTILITY_MODEL, K.TECH_CONTRACT, K.FUNDED_PROJECT}
PATENT_KINDS = {K.INVENTION_PATENT: "invention", K.UTILITY_MODEL: "utility_model"}
REJECTABLE = {Outcome.Status.REPORTED, Outcome.Status.CONFIRMED, Outcome.Status.DISPUTED}
CONTRACT_FIELDS = ("registration_office", "contract_type", "contract_parties")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def _may_report(user: User, placement: Placement) -> bool:
    return placement.researcher.user_id == user.pk or CompanyMembership.objects.filter(
        company=placement.company_id, user=user).exists()


def evidence_check(evidence: File) -> str:
    """Refuse what is too large or not a PDF, PNG or JPEG; returns its extension."""
    if evidence.size > MAX_EVIDENCE_BYTES:
        raise DomainError(_("The evidence file is larger than 10 MB."), field="evidence",
                          code="too_large")
    kind = evidence_files.kind_of(evidence)
    if kind is None:
        raise DomainError(_("The evidence must be a PDF, PNG or JPEG file."),
                          field="evidence", code="file_type")
    return kind[1]


def _field_error(field: str, error: ValidationError):
    return DomainError(error.messages[0], field=field, code=error.code or "invalid")


def _check_kind_fields(kind, fields: dict) -> dict:
    """The fields `kind` needs, normalised; a DomainError names the first missing
    or malformed one."""
    if kind in NEEDS_IDENTIFIER and not fields["identifier"]:
        raise DomainError(_("Give the application, registration or contract number."),
                          field="identifier", code="required")
    if kind in NEEDS_AMOUNT and fields["amount"] is None:
        raise DomainError(_("Give the amount in 10,000 yuan."), field="amount", code="required")
    if kind in PATENT_KINDS:
        try:
            fields["identifier"] = identifiers.normalize_patent_number(fields["identifier"],
                                                                       PATENT_KINDS[kind])
        except ValidationError as e:
            raise _field_error("identifier", e) from None
    if kind == K.INVENTION_PATENT and not fields["patent_status"]:
        raise DomainError(_("Say whether the patent is filed or granted."),
                          field="patent_status", code="required")
    if fields["patent_status"] == Outcome.PatentStatus.GRANTED and not fields["granted_on"]:
        raise DomainError(_("Give the date the patent was granted."), field="granted_on",
                          code="required")
    if (fields["granted_on"] and fields["applied_on"]
            and fields["granted_on"] < fields["applied_on"]):
        raise DomainError(_("A patent is granted after it is applied for."),
                          field="granted_on", code="invalid")
    if kind == K.FUNDED_PROJECT and fields["funded_under"] is None:
        raise DomainError(_("Choose the programme that funds the project."),
                          field="funded_under", code="required")
    if fields["registration_number"]:
        if kind != K.TECH_CONTRACT:
            raise DomainError(_("Only a technology contract has a registration number."),
                              field="registration_number", code="invalid")
        try:
            fields["registration_number"] = identifiers.normalize_contract_number(
                fields["registration_number"])
        except ValidationError as e:
            raise _field_error("registration_number", e) from None
        for name in CONTRACT_FIELDS:
            if not fields[name]:
                raise DomainError(_("A registered contract names its registering office, "
                                    "type and parties."), field=name, code="required")
    return fields


@transaction.atomic
def outcome_report(*, placement: Placement, by: User, kind: str, title: str,
                   achieved_on: datetime.date, identifier: str = "",
                   amount: decimal.Decimal | None = None, patent_status: str = "",
                   funding_programme: str = "", evidence: File | None = None,
                   applied_on: datetime.date | None = None,
                   granted_on: datetime.date | None = None,
                   funded_under: FundingProgramme | None = None,
                   registration_number: str = "", registration_office: str = "",
                   contract_type: str = "", contract_parties: str = "") -> Outcome:
    if not _may_report(by, placement):
        raise DomainError(_("Only the company or the researcher of this placement may "
                            "report its outcomes."), code="forbidden")
    if not placement.takes_outcomes:
        raise DomainError(_("Outcomes can only be reported on an active or completed "
                            "placement."), code="invalid_transition")
    fields = _check_kind_fields(kind, {
        "identifier": (identifier or "").strip(), "amount": amount,
        "patent_status": patent_status, "applied_on": applied_on, "granted_on": granted_on,
        "funded_under": funded_under,
        "funding_programme": funding_programme or (funded_under.name if funded_under else ""),
        "registration_number": (registration_number or "").strip(),
        "registration_office": (registration_office or "").strip(),
        "contract_type": contract_type, "contract_parties": (contract_parties or "").strip()})
    extension = evidence_check(evidence) if evidence is not None else ""
    outcome = Outcome(placement=placement, kind=kind, title=title, achieved_on=achieved_on,
                      reported_by=by, **fields)
    outcome.full_clean(exclude=["evidence"], validate_constraints=False)
    if evidence is not None:
        # Stored under the extension of what it is, whatever name it came with.
        outcome.evidence.save(evidence_files.named_for(evidence.name, extension), evidence,
                              save=False)
    try:
        with transaction.atomic():
            acting(outcome, by).save()
    except IntegrityError:
        # Which number was counted already: the registration number when another
        # outcome holds it, else the patent or contract number.
        field = "registration_number" if fields["registration_number"] and Outcome.objects.filter(
            registration_number=fields["registration_number"]).exclude(
            status=Outcome.Status.REJECTED).exists() else "identifier"
        raise DomainError(_("An outcome with this number has already been reported."),
                          field=field, code="duplicate") from None
    return outcome


def _other_side_of(outcome: Outcome, user: User) -> bool:
    """Whether `user` speaks for the side that did not report `outcome`: the
    researcher for what the company reported, a company member for what the
    researcher reported. An outcome nobody reported on the site (an import)
    is confirmed by either side."""
    placement = outcome.placement
    is_researcher = placement.researcher.user_id == user.pk
    is_company = CompanyMembership.objects.filter(company=placement.company_id,
                                                  user=user).exists()
    reporter = outcome.reported_by_id
    if reporter is None:
        return is_researcher or is_company
    if reporter == placement.researcher.user_id:
        return is_company and not is_researcher
    return is_researcher and reporter != user.pk


def _require_other_side(outcome: Outcome, by: User) -> None:
    if not _other_side_of(outcome, by):
        raise DomainError(_("Only the other side of the placement may confirm or dispute "
                            "this outcome."), code="forbidden")


CONFIRMABLE = {Outcome.Status.REPORTED, Outcome.Status.DISPUTED}


def outcome_awaits(outcome: Outcome, user: User) -> tuple[bool, bool]:
    """(may confirm, may dispute) for `user` now: what the pages offer."""
    if outcome.status not in CONFIRMABLE or not _other_side_of(outcome, user):
        return False, False
    return True, outcome.status == Outcome.Status.REPORTED


@transaction.atomic
def outcome_confirm(*, outcome: Outcome, by: User) -> Outcome:
    """The other side agrees the outcome is real; staff may then verify it. A
    disputed outcome may still be confirmed (the two sides settled it)."""
    _require_other_side(outcome, by)
    transition(outcome, allowed=CONFIRMABLE, to=Outcome.Status.CONFIRMED,
               action=_("confirm this outcome"), by=by, confirmed_by=by,
               confirmed_at=timezone.now())
    return outcome


@transaction.atomic
def outcome_dispute(*, outcome: Outcome, by: User, reason: str) -> Outcome:
    """The other side says the outcome is not (or not so): staff see why."""
    _require_other_side(outcome, by)
    reason = require_text(reason, field="reason",
                          message=_("Say why you dispute this outcome."))
    transition(outcome, allowed={Outcome.Status.REPORTED}, to=Outcome.Status.DISPUTED,
               action=_("dispute this outcome"), by=by, dispute_reason=reason)
    return outcome


@transaction.atomic
def outcome_verify(*, outcome: Outcome, by: User, note: str = "") -> Outcome:
    require_perm(by, VERIFY_OUTCOME)
    if outcome.kind in NEEDS_EVIDENCE and not outcome.evidence:
        raise DomainError(_("Attach the evidence before verifying a contract, patent or "
                            "funded project."), field="evidence", code="required")
    transition(outcome, allowed={Outcome.Status.CONFIRMED}, to=Outcome.Status.VERIFIED,
               action=_("verify this outcome"), by=by, review_note=note, verified_by=by,
               verified_at=timezone.now())
    # A verified outcome is part of the researcher's track record in the scores
    # (the scoring index notices it by the outcomes' history).
    after_commit("researcher_rescore", outcome.placement.researcher_id)
    notify_after_commit("outcome_reviewed", outcome.pk)
    return outcome


@transaction.atomic
def outcome_reject(*, outcome: Outcome, by: User, note: str) -> Outcome:
    require_perm(by, VERIFY_OUTCOME)
    note = require_text(note, field="review_note",
                        message=_("Say why the outcome is rejected."))
    transition(outcome, allowed=REJECTABLE, to=Outcome.Status.REJECTED,
               action=_("reject this outcome"), by=by, review_note=note, verified_by=by,
               verified_at=timezone.now())
    notify_after_commit("outcome_reviewed", outcome.pk)
    return outcome
