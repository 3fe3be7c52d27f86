"""A placement's agreement: the company drafts it, every party signs it online, a
change voids the signatures, a renewal is a new version, an end has a reason."""

import datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.errors import DomainError
from matching.models import Agreement, Notification, Placement, Programme
from matching.services import agreements as services
from tests.factories import PlacementFactory

START, END = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)


@pytest.fixture
def tech_vp(acme, rita):
    return PlacementFactory(company=acme, researcher=rita, programme=Programme.TECH_VP,
                            status=Placement.Status.ACTIVE, starts_on=START, ends_on=END)


@pytest.fixture
def bounty(acme, rita):
    return PlacementFactory(company=acme, researcher=rita, programme=Programme.BOUNTY,
                            status=Placement.Status.PENDING)


def draft(placement, by, **terms):
    return services.agreement_draft(placement=placement, by=by, starts_on=START, ends_on=END,
                                    **terms)


def test_a_tech_vp_agreement_binds_once_company_university_and_researcher_have_signed(
        tech_vp, alice, rita, ursula, django_capture_on_commit_callbacks):
    agreement = draft(tech_vp, alice, service_days_per_month=7)
    assert agreement.parties == ("company", "university", "researcher")
    for user in (alice, rita.user):
        services.agreement_sign(agreement=agreement, by=user)
        agreement.refresh_from_db()
        assert agreement.status == Agreement.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_sign(agreement=agreement, by=ursula)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED and agreement.signed_at
    assert {s.signed_by for s in agreement.signatures.all()} == {alice, rita.user, ursula}
    assert Notification.objects.filter(user=ursula,
                                       event_key=f"agreement_signed:{agreement.pk}").exists()


def test_a_bounty_agreement_needs_only_the_company_and_the_researcher(bounty, alice, rita):
    agreement = draft(bounty, alice, amount="50")
    services.agreement_sign(agreement=agreement, by=rita.user)
    services.agreement_sign(agreement=agreement, by=alice)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def test_changing_the_terms_voids_the_signatures_given_so_far(tech_vp, alice, rita):
    agreement = draft(tech_vp, alice)
    services.agreement_sign(agreement=agreement, by=rita.user)
    services.agreement_update(agreement=agreement, by=alice, service_days_per_month=8)
    assert not agreement.signatures.exists()
    assert agreement.history.first().history_user == alice


@pytest.mark.parametrize("who", ["charlie", "oscar", "bob_twice"])
def test_someone_who_stands_for_no_unsigned_party_cannot_sign(who, tech_vp, alice, bob,
                                                              charlie, oscar):
    agreement = draft(tech_vp, alice)
    user = {"charlie": charlie, "oscar": oscar.user, "bob_twice": bob}[who]
    if who == "bob_twice":  # Acme has signed already through alice
        services.agreement_sign(agreement=agreement, by=alice)
    with pytest.raises(DomainError):
        services.agreement_sign(agreement=agreement, by=user)
    assert agreement.signatures.count() == (1 if who == "bob_twice" else 0)


def test_only_the_company_or_staff_draft_and_a_placement_has_one_open_agreement(
        tech_vp, alice, rita, charlie, sam, vera):
    for outsider in (rita.user, charlie, vera):
        with pytest.raises(DomainError):
            draft(tech_vp, outsider)
    draft(tech_vp, sam)
    with pytest.raises(DomainError):
        draft(tech_vp, alice)
    assert tech_vp.agreements.count() == 1


def test_a_signed_agreement_is_renewed_as_a_new_unsigned_version(bounty, alice, rita):
    agreement = draft(bounty, alice, amount="50", ip_terms="成果归企业所有")
    for user in (alice, rita.user):
        services.agreement_sign(agreement=agreement, by=user)
    with pytest.raises(DomainError):
        services.agreement_update(agreement=agreement, by=alice, amount="60")
    renewal = services.agreement_renew(agreement=agreement, by=alice,
                                       ends_on=datetime.date(2028, 12, 31))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.RENEWED
    assert (renewal.version, renewal.status, renewal.ip_terms) == (2, "draft", "成果归企业所有")


def test_ending_an_agreement_needs_a_reason_the_parties_are_shown(
        bounty, alice, rita, django_capture_on_commit_callbacks):
    agreement = draft(bounty, alice)
    with pytest.raises(DomainError) as refused:
        services.agreement_end(agreement=agreement, by=alice, reason=" ")
    assert "end_reason" in refused.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_end(agreement=agreement, by=alice, reason="企业转产")
    assert Notification.objects.filter(user=rita.user, event_key__startswith="agreement_ended",
                                       body__contains="企业转产").exists()


def test_the_pdf_carries_the_parties_and_the_chinese_terms(tech_vp, alice, rita, ursula,
                                                           client):
    agreement = draft(tech_vp, alice, service_days_per_month=7, terms="每季度提交服务报告")
    services.agreement_sign(agreement=agreement, by=alice)
    client.force_login(rita.user)
    response = client.get(reverse("matching:agreement_pdf", args=[tech_vp.pk]))
    text = "".join(page.extract_text() for page in PdfReader(
        __import__("io").BytesIO(response.content)).pages).replace(" ", "")
    assert response["Content-Type"] == "application/pdf"
    assert "科技副总三方合作协议" in text and "每月驻企服务不少于7天" in text
    assert "每季度提交服务报告" in text and "尚未经全部各方签署" in text


def test_every_party_signs_on_the_website(tech_vp, alice, rita, ursula, client):
    client.force_login(alice)
    page = client.post(reverse("matching:agreement", args=[tech_vp.pk]), {
        "starts_on": "2026-01-01", "ends_on": "2027-12-31", "service_days_per_month": "7",
        "ip_terms": "", "terms": "", "amount": ""})
    assert page.status_code == 302
    for user in (alice, rita.user, ursula):
        client.force_login(user)
        client.post(reverse("matching:agreement_sign", args=[tech_vp.pk]))
    assert tech_vp.agreements.get().status == Agreement.Status.SIGNED
    page = client.get(reverse("matching:agreement", args=[tech_vp.pk])).content.decode()
    assert "已签署" in page and "在线签署" not in page  # nothing left to sign
