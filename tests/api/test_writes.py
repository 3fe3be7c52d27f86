"""No mass assignment and no foreign references: a body that sets a field its
sender does not own, or points at another tenant's object, is a 400 naming the
field, and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Company, CompanyMembership, ResearcherProfile, User, Work
from matching.models import Application, Challenge, Outcome, Placement

from .. import factories as f


def errors_of(response) -> dict:
    return {e["attr"]: e["detail"] for e in response.json()["errors"]}


def snapshot(obj) -> dict:
    obj.refresh_from_db()
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


# (who, method, url, body, the field named in the error, the object that must not change)
MASS_ASSIGNMENT = {
    "challenge created as published": (
        "alice", "post", "/api/v1/challenges/", {"title": "新需求", "status": "published"},
        "status", None),
    "challenge moved to another company": (
        "alice", "patch", "/api/v1/challenges/{draft}/", {"company": "{other_company}"},
        "company", "draft"),
    "challenge review note written by its company": (
        "alice", "patch", "/api/v1/challenges/{draft}/", {"review_note": "已批准"},
        "review_note", "draft"),
    "application on behalf of another researcher": (
        "rita", "post", "/api/v1/applications/",
        {"challenge": "{others_challenge}", "proposal": "方案", "researcher": "{oscar}"},
        "researcher", None),
    "application created as accepted": (
        "rita", "post", "/api/v1/applications/",
        {"challenge": "{others_challenge}", "proposal": "方案", "status": "accepted"},
        "status", None),
    "outcome reported as verified": (
        "rita", "post", "/api/v1/outcomes/",
        {"placement": "{placement}", "kind": "paper", "title": "论文", "achieved_on": "2025-03-01",
         "status": "verified"}, "status", None),
    "company verifies itself": (
        "alice", "patch", "/api/v1/companies/{acme}/", {"verified_at": "2025-01-01T00:00:00Z"},
        "verified_at", "acme"),
    "company renames itself after verification": (
        "alice", "patch", "/api/v1/companies/{acme}/", {"credit_code": f.credit_code(9999)},
        "credit_code", "acme"),
    "researcher verifies themself": (
        "rita", "patch", "/api/v1/researchers/me/", {"verified": True}, "verified", "rita"),
    "researcher moves institution unchecked": (
        "rita", "patch", "/api/v1/researchers/me/", {"institution": "{other_institution}"},
        "institution", "rita"),
    "user makes themself staff": (
        "rita", "patch", "/api/v1/me/", {"is_staff": True}, "is_staff", "rita_user"),
    "user changes the e-mail they sign in with": (
        "rita", "patch", "/api/v1/me/", {"email": "x@evil.cn"}, "email", "rita_user"),
    "sign-up as staff": (
        None, "post", "/api/v1/auth/signup/",
        {"email": "new@x.cn", "password": "a-long-enough-passphrase", "full_name": "新",
         "is_staff": True}, "is_staff", None),
    "work added to another researcher": (
        "rita", "post", "/api/v1/researchers/me/works/", {"title": "论文", "researcher": "{oscar}"},
        "researcher", None),
    "placement created as already approved": (
        "sam", "post", "/api/v1/placements/",
        {"programme": "tech_vp", "company": "{acme}", "researcher": "{rita}",
         "starts_on": "2025-01-01", "ends_on": "2026-01-01", "approved_at": "2025-01-01T00:00:00Z"},
        "approved_at", None),
    "withdrawal with a status": (
        "alice", "post", "/api/v1/challenges/{draft}/withdraw/", {"status": "draft"}, "status",
        "draft"),
    "acceptance that decides who is approved": (
        "alice", "post", "/api/v1/applications/{application}/accept/", {"approved_by": "{sam_id}"},
        "approved_by", "application"),
}

FOREIGN_REFERENCES = {
    "need posted for another company": (
        "alice", "post", "/api/v1/challenges/", {"title": "新需求", "company": "{other_company}"},
        "company", None),
    "application to another company's draft": (
        "rita", "post", "/api/v1/applications/", {"challenge": "{others_draft}", "proposal": "方案"},
        "challenge", None),
    "outcome on another company's placement": (
        "alice", "post", "/api/v1/outcomes/",
        {"placement": "{oscar_placement}", "kind": "paper", "title": "论文",
         "achieved_on": "2025-03-01"}, "placement", None),
    "outcome on another researcher's placement": (
        "rita", "post", "/api/v1/outcomes/",
        {"placement": "{oscar_placement}", "kind": "paper", "title": "论文",
         "achieved_on": "2025-03-01"}, "placement", None),
}

COUNTED = [Challenge, Application, Outcome, Placement, Work, Company, CompanyMembership,
           ResearcherProfile, User]


def _fill(value, refs):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return refs[value[1:-1]]
    return value


@pytest.fixture
def refs(world):
    from accounts.models import Institution

    other_institution = Institution.objects.create(name="钱塘测试研究院")
    return {
        "draft": world["draft"].pk, "acme": world["acme"].pk,
        "other_company": world["other_company"].pk, "oscar": world["oscar"].pk,
        "rita": world["rita"].pk, "others_challenge": world["others_challenge"].pk,
        "placement": world["placement"].pk, "oscar_placement": world["oscar_placement"].pk,
        "application": world["application"].pk, "sam_id": world["users"]["sam"].pk,
        "other_institution": other_institution.pk,
        "others_draft": f.ChallengeFactory(company=world["other_company"]).pk,
    }


def _objects(world):
    return {"draft": world["draft"], "acme": world["acme"], "rita": world["rita"],
            "rita_user": world["rita"].user, "application": world["application"]}


@pytest.mark.parametrize("case", [*MASS_ASSIGNMENT, *FOREIGN_REFERENCES])
def test_a_body_reaching_beyond_its_sender_is_refused_and_changes_nothing(case, world, refs, api):
    who, method, url, body, field, watched = {**MASS_ASSIGNMENT, **FOREIGN_REFERENCES}[case]
    url = url.format(**refs)
    body = {k: _fill(v, refs) for k, v in body.items()}
    before = snapshot(_objects(world)[watched]) if watched else None
    counts = {m: m.objects.count() for m in COUNTED}

    response = getattr(api(world["users"][who] if who else None), method)(url, body, format="json")

    assert response.status_code == 400, response.content
    assert field in errors_of(response), response.json()
    assert {m: m.objects.count() for m in COUNTED} == counts
    if watched:
        assert snapshot(_objects(world)[watched]) == before


def test_the_refusal_names_the_field_in_the_requested_language(world, api):
    zh = api(world["users"]["alice"], language="zh-hans").patch(
        f"/api/v1/challenges/{world['draft'].pk}/", {"status": "published"}, format="json")
    en = api(world["users"]["alice"], language="en").patch(
        f"/api/v1/challenges/{world['draft'].pk}/", {"status": "published"}, format="json")
    assert errors_of(zh) == {"status": "此处不能设置该字段。"}
    assert errors_of(en) == {"status": "This field cannot be set here."}


def test_an_outcome_with_evidence_is_reported_on_ones_own_placement(world, api):
    pdf = SimpleUploadedFile("合同.pdf", b"%PDF-1.7 contract", content_type="application/pdf")
    response = api(world["users"]["rita"]).post("/api/v1/outcomes/", {
        "placement": world["placement"].pk, "kind": "tech_contract", "title": "技术开发合同",
        "identifier": "HT-2025-001", "amount": "120.50", "achieved_on": "2025-06-01",
        "evidence": pdf}, format="multipart")
    assert response.status_code == 201, response.content
    outcome = Outcome.objects.get(pk=response.json()["id"])
    assert (outcome.status, outcome.reported_by, outcome.amount) == (
        Outcome.Status.REPORTED, world["users"]["rita"], Decimal("120.50"))
    download = api(world["users"]["alice"]).get(f"/api/v1/outcomes/{outcome.pk}/evidence/")
    assert b"".join(download.streaming_content) == b"%PDF-1.7 contract"


def test_evidence_that_is_not_a_pdf_or_image_is_refused(world, api):
    exe = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf")
    response = api(world["users"]["rita"]).post("/api/v1/outcomes/", {
        "placement": world["placement"].pk, "kind": "paper", "title": "论文",
        "achieved_on": "2025-06-01", "evidence": exe}, format="multipart")
    assert response.status_code == 400
    assert "evidence" in errors_of(response)
    assert not Outcome.objects.filter(title="论文").exists()


def test_accepting_with_an_end_before_the_start_names_the_field(world, api):
    response = api(world["users"]["alice"]).post(
        f"/api/v1/applications/{world['application'].pk}/accept/",
        {"starts_on": "2025-06-01", "ends_on": "2025-01-01"}, format="json")
    assert response.status_code == 400
    assert set(errors_of(response)) == {"ends_on"}
    assert not Placement.objects.filter(application=world["application"]).exists()
    assert world["application"].status == Application.Status.SUBMITTED


def test_a_deadline_in_the_past_is_refused_on_submission(world, api):
    draft = world["draft"]
    Challenge.objects.filter(pk=draft.pk).update(deadline=datetime.date(2020, 1, 1))
    response = api(world["users"]["alice"]).post(f"/api/v1/challenges/{draft.pk}/submit/")
    assert response.status_code == 400
    assert set(errors_of(response)) == {"deadline"}
    draft.refresh_from_db()
    assert draft.status == Challenge.Status.DRAFT
