"""Outcomes (成果) of a placement: reported → verified / rejected.

Only verified outcomes count in the district's figures.
"""

import datetime
import decimal
from pathlib import PurePath

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import CompanyMembership, ResearcherProfile, User
from accounts.roles import VERIFY_OUTCOME, require_perm

from ..models import Outcome, Placement
from ._base import after_commit, require_text, transition
from .notifications import notify_after_commit

K = Outcome.Kind
NEEDS_IDENTIFIER = {K.INVENTION_PATENT, K.UTILITY_MODEL, K.SOFTWARE_COPYRIGHT, K.TECH_CONTRACT}
NEEDS_AMOUNT = {K.TECH_CONTRACT, K.FUNDED_PROJECT}
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Evidence is checked by its first bytes, not by the name the browser sent, and
# stored under the extension of what it is: `evil.html` or `invoice.pdf.exe` with
# a PDF header is kept as a .pdf, which is how the evidence link serves it.
EVIDENCE_TYPES = {b"%PDF-": ".pdf", b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


def _may_report(user: User, placement: Placement) -> bool:
    return placement.researcher.user_id == user.pk or CompanyMembership.objects.filter(
        company=placement.company_id, user=user).exists()


def evidence_check(evidence: File) -> str:
    """Refuse evidence too large or of another type; the file name to store it under."""
    if evidence.size > MAX_EVIDENCE_BYTES:
        raise DomainError(_("The evidence file is larger than 10 MB."), field="evidence",
                          code="too_large")
    evidence.seek(0)
    head = evidence.read(8)
    evidence.seek(0)
    for signature, extension in EVIDENCE_TYPES.items():
        if head.startswith(signature):
            # The name before its first dot: no second extension survives.
            stem = PurePath(evidence.name or "").name.split(".", 1)[0][:80] or "evidence"
            return stem + extension
    raise DomainError(_("The evidence must be a PDF, PNG or JPEG file."),
                      field="evidence", code="file_type")


def _check_kind_fields(kind, identifier, amount, patent_status, funding_programme) -> None:
    if kind in NEEDS_IDENTIFIER and not identifier:
        raise DomainError(_("Give the application, registration or contract number."),
                          field="identifier", code="required")
    if kind in NEEDS_AMOUNT and amount is None:
        raise DomainError(_("Give the amount in 10,000 yuan."), field="amount", code="required")
    if kind == K.INVENTION_PATENT and not patent_status:
        raise DomainError(_("Say whether the patent is filed or granted."),
                          field="patent_status", code="required")
    if kind == K.FUNDED_PROJECT and not funding_programme:
        raise DomainError(_("Name the programme that funds the project."),
                          field="funding_programme", code="required")


@transaction.atomic
def outcome_report(*, placement: Placement, by: User, kind: str, title: str,
                   achieved_on: datetime.date, identifier: str = "",
                   amount: decimal.Decimal | None = None, patent_status: str = "",
                   funding_programme: str = "", evidence: File | None = None) -> Outcome:
    if not _may_report(by, placement):
        raise DomainError(_("Only the company or the researcher of this placement may "
                            "report its outcomes."), code="forbidden")
    if placement.status not in {Placement.Status.ACTIVE, Placement.Status.COMPLETED}:
        raise DomainError(_("Outcomes can only be reported on an active or completed "
                            "placement."), code="invalid_transition")
    identifier = (identifier or "").strip()
    _check_kind_fields(kind, identifier, amount, patent_status, funding_programme)
    if evidence is not None:
        evidence_name = evidence_check(evidence)
    outcome = Outcome(placement=placement, kind=kind, title=title, achieved_on=achieved_on,
                      identifier=identifier, amount=amount, patent_status=patent_status,
                      funding_programme=funding_programme, reported_by=by)
    outcome.full_clean(exclude=["evidence"], validate_constraints=False)
    if evidence is not None:
        outcome.evidence.save(evidence_name, evidence, save=False)
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError:
        raise DomainError(_("An outcome with this number has already been reported."),
                          field="identifier", code="duplicate") from None
    return outcome


@transaction.atomic
def outcome_verify(*, outcome: Outcome, by: User, note: str = "") -> Outcome:
    require_perm(by, VERIFY_OUTCOME)
    transition(outcome, allowed={Outcome.Status.REPORTED}, to=Outcome.Status.VERIFIED,
               action=_("verify this outcome"), review_note=note, verified_by=by,
               verified_at=timezone.now())
    # A verified outcome is part of the researcher's track record in the scores.
    researcher_id = outcome.placement.researcher_id
    ResearcherProfile.objects.filter(pk=researcher_id).update(updated_at=timezone.now())
    after_commit("researcher_rescore", researcher_id)
    notify_after_commit("outcome_reviewed", outcome.pk)
    return outcome


@transaction.atomic
def outcome_reject(*, outcome: Outcome, by: User, note: str) -> Outcome:
    require_perm(by, VERIFY_OUTCOME)
    note = require_text(note, field="review_note",
                        message=_("Say why the outcome is rejected."))
    transition(outcome, allowed={Outcome.Status.REPORTED}, to=Outcome.Status.REJECTED,
               action=_("reject this outcome"), review_note=note, verified_by=by,
               verified_at=timezone.now())
    notify_after_commit("outcome_reviewed", outcome.pk)
    return outcome
