import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.errors import DomainError
from matching import services
from matching.models import Outcome, Placement
from tests.factories import OutcomeFactory, PlacementFactory
from tests.transitions import check_transition

OS = Outcome.Status


def report(placement, by, **fields):
    values = {"kind": Outcome.Kind.TECH_CONTRACT, "title": "技术开发合同",
              "identifier": "HT-2025-001", "amount": Decimal("80"),
              "achieved_on": datetime.date(2025, 5, 1)} | fields
    return services.outcome_report(placement=placement, by=by, **values)


@pytest.mark.parametrize("status", OS.values)
def test_staff_reject_outcomes_not_yet_decided(status, sam):
    # Verifying, which needs the other side's confirmation, is in
    # test_outcome_confirmation.py.
    outcome = OutcomeFactory(status=status)
    check_transition(outcome, lambda: services.outcome_reject(outcome=outcome, by=sam,
                                                              note="票据不符"),
                     allowed={OS.REPORTED, OS.CONFIRMED, OS.DISPUTED}, target=OS.REJECTED)


def test_the_company_and_the_researcher_report_outcomes_but_others_do_not(acme, alice, rita,
                                                                         oscar, charlie):
    placement = PlacementFactory(company=acme, researcher=rita, status=Placement.Status.ACTIVE)
    report(placement, alice, identifier="HT-1")
    report(placement, rita.user, identifier="HT-2")
    for stranger in (oscar.user, charlie):
        with pytest.raises(DomainError):
            report(placement, stranger, identifier="HT-3")
    assert sorted(Outcome.objects.values_list("identifier", flat=True)) == ["HT-1", "HT-2"]


def test_a_pending_placement_has_no_outcomes_yet(acme, alice):
    placement = PlacementFactory(company=acme, status=Placement.Status.PENDING)
    with pytest.raises(DomainError):
        report(placement, alice)
    assert not Outcome.objects.exists()


def test_the_same_contract_number_is_counted_once(acme, alice):
    placement = PlacementFactory(company=acme, status=Placement.Status.ACTIVE)
    report(placement, alice)
    with pytest.raises(DomainError) as exc:
        report(placement, alice)
    assert "identifier" in exc.value.message_dict
    assert Outcome.objects.count() == 1


@pytest.mark.parametrize("fields, field", [
    ({"amount": None}, "amount"),
    ({"identifier": ""}, "identifier"),
    ({"kind": Outcome.Kind.INVENTION_PATENT, "identifier": "202310123456.6"}, "patent_status"),
    ({"kind": Outcome.Kind.INVENTION_PATENT, "identifier": "CN1"}, "identifier"),
    ({"kind": Outcome.Kind.FUNDED_PROJECT, "identifier": ""}, "funded_under"),
    ({"amount": Decimal("-1")}, "amount"),
])
def test_a_missing_or_bad_field_is_named(fields, field, acme, alice):
    placement = PlacementFactory(company=acme, status=Placement.Status.ACTIVE)
    with pytest.raises(ValidationError) as exc:
        report(placement, alice, **fields)
    assert field in exc.value.message_dict
    assert not Outcome.objects.exists()


def test_evidence_must_be_a_pdf_or_image_of_at_most_10_mb(acme, alice):
    placement = PlacementFactory(company=acme, status=Placement.Status.ACTIVE)
    fake = SimpleUploadedFile("contract.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError) as exc:
        report(placement, alice, evidence=fake)
    assert "evidence" in exc.value.message_dict
    huge = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError):
        report(placement, alice, evidence=huge)
    assert not Outcome.objects.exists()
    outcome = report(placement, alice, evidence=SimpleUploadedFile("ok.pdf", b"%PDF-1.7\n..."))
    assert outcome.evidence.name.endswith(".pdf")
