"""One eligibility and conflict-of-interest rule (matching/eligibility.py), read when a
researcher applies, when staff approve a placement, and by the cohort solver."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.errors import DomainError
from accounts.models import CompanyMembership, ResearcherProfile
from matching import services
from matching.models import Application, Challenge, Placement, Programme
from matching.services import cohorts
from tests.factories import ChallengeFactory, PlacementFactory

from .test_cohort_flow import cohort  # noqa: F401  (the fixture)

T, D = ResearcherProfile.Title, ResearcherProfile.Degree

# (programme, a profile the programme refuses, one it admits)
REFUSED = [
    (Programme.TECH_VP, {"title": T.LECTURER, "degree": D.MASTER},
     {"title": T.LECTURER, "degree": D.DOCTORATE}),
    (Programme.PHD, {"title": T.LECTURER, "degree": D.MASTER},
     {"title": T.PHD, "degree": D.MASTER}),
]


def _profile(researcher, **fields):
    for name, value in fields.items():
        setattr(researcher, name, value)
    researcher.save()


def _need(company, programme):
    return ChallengeFactory(company=company, programme=programme,
                            status=Challenge.Status.PUBLISHED)


def _api(user, language):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def field_of(exc):
    return next(iter(exc.error_dict))


@pytest.mark.parametrize(("programme", "refused", "admitted"), REFUSED)
def test_applying_is_refused_to_a_researcher_the_programme_does_not_admit(
        programme, refused, admitted, rita, acme):
    need = _need(acme, programme)
    _profile(rita, **refused)
    with pytest.raises(DomainError) as exc:
        services.application_submit(challenge=need, researcher=rita, by=rita.user,
                                    proposal="方案")
    assert field_of(exc.value) == "researcher" and "职称" in exc.value.messages[0]
    assert not Application.objects.exists()
    _profile(rita, **admitted)
    services.application_submit(challenge=need, researcher=rita, by=rita.user, proposal="方案")


def test_the_open_bounty_admits_any_title_and_degree(rita, acme):
    _profile(rita, title=T.LECTURER, degree=D.BACHELOR)
    services.application_submit(challenge=_need(acme, Programme.BOUNTY), researcher=rita,
                                by=rita.user, proposal="方案")


@pytest.mark.parametrize(("programme", "refused", "admitted"), REFUSED)
def test_approval_is_refused_for_a_researcher_the_programme_does_not_admit(
        programme, refused, admitted, rita, acme, sam):
    placement = PlacementFactory(programme=programme, company=acme, researcher=rita)
    _profile(rita, **refused)
    with pytest.raises(DomainError) as exc:
        services.placement_approve(placement=placement, by=sam)
    assert field_of(exc.value) == "researcher"
    placement.refresh_from_db()
    assert placement.status == Placement.Status.PENDING
    _profile(rita, **admitted)
    services.placement_approve(placement=placement, by=sam)


def test_a_company_founded_by_the_researchers_university_is_refused_at_apply_and_approval(
        rita, acme, sam):
    acme.founding_institution = rita.institution
    acme.save()
    with pytest.raises(DomainError, match="利益冲突") as exc:
        services.application_submit(challenge=_need(acme, Programme.BOUNTY), researcher=rita,
                                    by=rita.user, proposal="方案")
    assert field_of(exc.value) == "researcher"
    placement = PlacementFactory(programme=Programme.TECH_VP, company=acme, researcher=rita)
    with pytest.raises(DomainError, match="利益冲突"):
        services.placement_approve(placement=placement, by=sam)


def test_a_member_of_the_company_is_refused_at_approval(rita, acme, sam):
    CompanyMembership.objects.create(company=acme, user=rita.user)
    placement = PlacementFactory(programme=Programme.PHD, company=acme, researcher=rita)
    with pytest.raises(DomainError, match="利益冲突"):
        services.placement_approve(placement=placement, by=sam)


@pytest.mark.parametrize(("programme", "refused", "admitted"), REFUSED)
def test_the_api_names_the_field_in_the_users_language(programme, refused, admitted, rita,
                                                       acme, sam):
    need = _need(acme, programme)
    _profile(rita, **refused)
    response = _api(rita.user, "zh-hans").post("/api/v1/applications/", {
        "challenge": need.pk, "proposal": "方案"}, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "researcher" and "职称" in error["detail"]
    placement = PlacementFactory(programme=programme, company=acme, researcher=rita)
    response = _api(sam, "en").post(f"/api/v1/placements/{placement.pk}/approve/", {},
                                   format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "researcher" and "title" in error["detail"]
    assert Placement.objects.get(pk=placement.pk).status == Placement.Status.PENDING


def test_the_website_shows_the_refusal_on_the_apply_form(rita, acme, client):
    need = _need(acme, Programme.TECH_VP)
    _profile(rita, title=T.LECTURER, degree=D.MASTER)
    client.force_login(rita.user)
    response = client.post(reverse("matching:apply", args=[need.pk]), {"proposal": "方案"})
    assert response.status_code == 400 and "职称" in response.content.decode()


def test_the_solver_never_pairs_a_researcher_the_shared_rule_refuses(cohort):  # noqa: F811
    entries, needs = cohort.test_entries, cohort.test_needs
    company = needs["pv"].challenge.company
    company.founding_institution = entries["pv"].researcher.institution
    company.save()
    _profile(entries["cloth"].researcher, title=T.LECTURER, degree=D.MASTER)
    inst, detail = cohorts.cohort_instance(cohort)
    assert detail["conflicts"][(entries["pv"].pk, needs["pv"].pk)] == "founding_institution"
    assert all(detail["conflicts"][(entries["cloth"].pk, needs[key].pk)] == "ineligible"
               for key in ("gear", "cloth"))
    result = cohorts.assignment.solve(inst)
    assert (str(entries["pv"].pk), str(needs["pv"].pk)) not in result.assignment
    assert not any(r == str(entries["cloth"].pk) for r, _s in result.assignment)
