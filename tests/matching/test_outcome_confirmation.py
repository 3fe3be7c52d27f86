"""An outcome counts only when the other side confirmed it and staff verified it
against evidence; contracts carry their registration, patents their checked
number, funded projects their programme."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.errors import DomainError
from matching import services
from matching.models import FundingProgramme, Outcome, Placement
from tests.factories import OutcomeFactory, PlacementFactory
from tests.transitions import check_transition

OS, K = Outcome.Status, Outcome.Kind
PDF = b"%PDF-1.4 registration certificate"


def pdf():
    return SimpleUploadedFile("登记证明.pdf", PDF)


@pytest.fixture
def placement(acme, rita):
    return PlacementFactory(company=acme, researcher=rita, status=Placement.Status.ACTIVE)


def contract(placement, by, **fields):
    values = {"kind": K.TECH_CONTRACT, "title": "技术开发合同", "identifier": "HT-2025-001",
              "amount": Decimal("80"), "achieved_on": datetime.date(2025, 5, 1),
              "registration_number": "2025330114000123",
              "registration_office": "杭州市钱塘区技术合同登记站",
              "contract_type": Outcome.ContractType.DEVELOPMENT,
              "contract_parties": "某公司；浙江理工大学", "evidence": pdf()} | fields
    return services.outcome_report(placement=placement, by=by, **values)


def test_the_researcher_confirms_what_the_company_reported_and_staff_then_verify(
        placement, alice, bob, rita, vera):
    outcome = contract(placement, alice)
    with pytest.raises(DomainError):
        services.outcome_verify(outcome=outcome, by=vera)  # not confirmed yet
    for same_side in (alice, bob):
        with pytest.raises(DomainError):
            services.outcome_confirm(outcome=outcome, by=same_side)
    services.outcome_confirm(outcome=outcome, by=rita.user)
    services.outcome_verify(outcome=outcome, by=vera)
    outcome.refresh_from_db()
    assert (outcome.status, outcome.confirmed_by) == (OS.VERIFIED, rita.user)


def test_the_company_confirms_what_the_researcher_reported(placement, bob, rita, charlie,
                                                          oscar):
    outcome = contract(placement, rita.user)
    for stranger in (rita.user, charlie, oscar.user):
        with pytest.raises(DomainError):
            services.outcome_confirm(outcome=outcome, by=stranger)
    services.outcome_confirm(outcome=outcome, by=bob)
    assert Outcome.objects.get().status == OS.CONFIRMED


def test_a_dispute_needs_a_reason_and_staff_cannot_verify_it(placement, alice, rita, vera):
    outcome = contract(placement, alice)
    with pytest.raises(DomainError) as exc:
        services.outcome_dispute(outcome=outcome, by=rita.user, reason=" ")
    assert "reason" in exc.value.message_dict
    services.outcome_dispute(outcome=outcome, by=rita.user, reason="合同尚未签订")
    with pytest.raises(DomainError):
        services.outcome_verify(outcome=outcome, by=vera)
    services.outcome_reject(outcome=outcome, by=vera, note="双方不一致")
    outcome.refresh_from_db()
    assert (outcome.status, outcome.dispute_reason) == (OS.REJECTED, "合同尚未签订")


@pytest.mark.parametrize("status", OS.values)
def test_staff_verify_only_confirmed_outcomes(status, sam):
    outcome = OutcomeFactory(status=status, evidence=SimpleUploadedFile("e.pdf", PDF))
    check_transition(outcome, lambda: services.outcome_verify(outcome=outcome, by=sam),
                     allowed={OS.CONFIRMED}, target=OS.VERIFIED)


@pytest.mark.parametrize("status", OS.values)
def test_the_other_side_confirms_reported_or_disputed_outcomes(status, placement, rita):
    outcome = OutcomeFactory(placement=placement, status=status, reported_by=None)
    check_transition(outcome, lambda: services.outcome_confirm(outcome=outcome, by=rita.user),
                     allowed={OS.REPORTED, OS.DISPUTED}, target=OS.CONFIRMED)


@pytest.mark.parametrize("kind", [K.TECH_CONTRACT, K.INVENTION_PATENT, K.UTILITY_MODEL,
                                  K.FUNDED_PROJECT])
def test_contracts_patents_and_funded_projects_are_verified_only_with_evidence(kind, sam):
    outcome = OutcomeFactory(kind=kind, status=OS.CONFIRMED)
    with pytest.raises(DomainError) as exc:
        services.outcome_verify(outcome=outcome, by=sam)
    assert "evidence" in exc.value.message_dict
    assert Outcome.objects.get().status == OS.CONFIRMED


def test_a_paper_is_verified_without_evidence(sam):
    outcome = OutcomeFactory(kind=K.PAPER, identifier="", amount=None, status=OS.CONFIRMED)
    services.outcome_verify(outcome=outcome, by=sam)
    assert Outcome.objects.get().status == OS.VERIFIED


@pytest.mark.parametrize("fields, field", [
    ({"registration_number": "HT-2025-001"}, "registration_number"),
    ({"registration_office": ""}, "registration_office"),
    ({"contract_type": ""}, "contract_type"),
    ({"contract_parties": ""}, "contract_parties"),
    ({"kind": K.INVENTION_PATENT, "identifier": "202310123456.5", "patent_status": "filed",
      "registration_number": ""}, "identifier"),
    ({"kind": K.UTILITY_MODEL, "identifier": "202310123456.6", "registration_number": ""},
     "identifier"),
    ({"kind": K.INVENTION_PATENT, "identifier": "202310123456.6", "patent_status": "granted",
      "registration_number": ""}, "granted_on"),
    ({"kind": K.INVENTION_PATENT, "identifier": "202310123456.6", "patent_status": "granted",
      "applied_on": datetime.date(2024, 5, 1), "granted_on": datetime.date(2024, 4, 1),
      "registration_number": ""}, "granted_on"),
    ({"kind": K.FUNDED_PROJECT, "registration_number": ""}, "funded_under"),
])
def test_a_bad_registration_patent_or_programme_is_named(fields, field, placement, alice):
    with pytest.raises(DomainError) as exc:
        contract(placement, alice, **fields)
    assert field in exc.value.message_dict
    assert not Outcome.objects.exists()


def test_a_patent_number_is_stored_in_one_spelling_and_counted_once(placement, alice, rita):
    patent = {"kind": K.INVENTION_PATENT, "patent_status": "granted", "amount": None,
              "applied_on": datetime.date(2023, 3, 1), "granted_on": datetime.date(2024, 9, 1),
              "registration_number": ""}
    outcome = contract(placement, alice, identifier="ZL 202310123456.6", **patent)
    assert (outcome.identifier, outcome.grant_number) == ("202310123456.6",
                                                          "ZL202310123456.6")
    with pytest.raises(DomainError) as exc:
        contract(placement, rita.user, identifier="CN2023101234566", **patent)
    assert "identifier" in exc.value.message_dict


def test_a_registration_number_is_counted_once_district_wide(placement, alice, other_company,
                                                             charlie):
    contract(placement, alice)
    elsewhere = PlacementFactory(company=other_company, status=Placement.Status.ACTIVE)
    with pytest.raises(DomainError) as exc:
        contract(elsewhere, charlie, identifier="HT-OTHER", registration_number="2025-330114000123")
    assert "registration_number" in exc.value.message_dict
    assert Outcome.objects.count() == 1


def test_a_funded_project_names_its_programme_and_level(placement, alice):
    programme = FundingProgramme.objects.get(code="zj-jianbing-lingyan")
    outcome = contract(placement, alice, kind=K.FUNDED_PROJECT, identifier="",
                       registration_number="", funded_under=programme)
    assert (outcome.funding_programme, programme.level) == (programme.name, "provincial")
