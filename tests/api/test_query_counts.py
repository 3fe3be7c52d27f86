"""Every list endpoint makes the same number of queries at page size 1 and 50,
and at most 6: no query per row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import CompanyMembership, Institution, Invitation, User
from matching.engine import ENGINE_VERSION
from matching.models import (
    Agreement,
    Application,
    Challenge,
    Cohort,
    CohortMark,
    CohortPreference,
    CohortResearcher,
    CohortRun,
    Evaluation,
    Expert,
    FrozenReport,
    MatchScore,
    Notification,
    Objection,
    Outcome,
    Panel,
    PanelMember,
    Placement,
    Publicity,
    Review,
    ServiceLog,
    SubsidyClaim,
    SubsidyPolicy,
)

from .. import factories as f

N = 55  # more rows than the larger page


@pytest.fixture
def crowd(world):
    """N of everything a list shows, visible to the persona who lists it."""
    acme, rita, acme_owner = world["acme"], world["rita"], world["users"]["alice"]
    institution = Institution.objects.first()
    researchers = f.ResearcherFactory.create_batch(N)
    challenges = f.ChallengeFactory.create_batch(N, company=acme,
                                                 status=Challenge.Status.PUBLISHED,
                                                 published_at=timezone.now())
    for i, c in enumerate(challenges):
        c.preferred_institutions.set([institution])
        if i % 2:  # half of them confidential: details depend on who looks
            Challenge.objects.filter(pk=c.pk).update(
                confidentiality=Challenge.Confidentiality.SUMMARY)
    Application.objects.bulk_create(
        Application(challenge=challenges[0], researcher=r, proposal="方案") for r in researchers)
    placements = Placement.objects.bulk_create(
        Placement(programme="bounty", company=acme, researcher=r, status="active",
                  starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2026, 1, 1))
        for r in researchers)
    Outcome.objects.bulk_create(
        Outcome(placement=placements[0], kind="paper", title=f"论文{i}",
                achieved_on=datetime.date(2025, 2, 1)) for i in range(N))
    MatchScore.objects.bulk_create(
        MatchScore(challenge=challenges[0], researcher=r, score=0.5 - i / 1000,
                   components={"text": 0.4}, engine_version=ENGINE_VERSION)
        for i, r in enumerate(researchers))
    MatchScore.objects.bulk_create(
        MatchScore(challenge=c, researcher=rita, score=0.5 - i / 1000, components={"text": 0.4},
                   engine_version=ENGINE_VERSION) for i, c in enumerate(challenges))
    f.WorkFactory.create_batch(N, researcher=rita)
    Notification.objects.bulk_create(
        Notification(user=rita.user, event_key=f"e:{i}", subject=f"通知{i}") for i in range(N))
    CompanyMembership.objects.bulk_create(
        CompanyMembership(company=acme, user=u) for u in User.objects.filter(
            researcher__isnull=False).exclude(memberships__company=acme))
    companies = f.CompanyFactory.create_batch(N)
    Invitation.objects.bulk_create(Invitation(company=c, user=rita.user) for c in companies)
    Invitation.objects.bulk_create(Invitation(company=acme, user=u, invited_by=acme_owner)
                                   for u in f.UserFactory.create_batch(N))
    Cohort.objects.bulk_create(
        Cohort(number=100 + i, name=f"第{100 + i}期", year=2030, starts_on=datetime.date(2030, 1, 1),
               ends_on=datetime.date(2030, 12, 31)) for i in range(N))
    CohortRun.objects.bulk_create(CohortRun(cohort=world["cohort"]) for _ in range(N))
    Agreement.objects.bulk_create(
        Agreement(placement=p, starts_on=p.starts_on, ends_on=p.ends_on) for p in placements)
    FrozenReport.objects.bulk_create(  # issue 18: one frozen year each
        FrozenReport(period_start=datetime.date(1990 + i, 1, 1),
                     period_end=datetime.date(1990 + i, 12, 31), checksum="0" * 64,
                     frozen_by=world["users"]["sam"]) for i in range(N))
    # issue 16: a service day, a graded year and its claim for each placement
    ServiceLog.objects.bulk_create(
        ServiceLog(placement=p, day=datetime.date(2025, 3, 1), hours=8, place="园区", work="调试")
        for p in placements)
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(placement=p, year=1, period_start=p.starts_on, period_end=p.ends_on,
                   status="graded", grade="pass") for p in placements)
    policy = SubsidyPolicy.objects.create(programme="bounty", name="测试政策", rate_excellent="0.7",
                                          rate_pass="0.5", rate_fail="0", cap_per_year=100000,
                                          salary_floor=0, max_years=3)
    SubsidyClaim.objects.bulk_create(
        SubsidyClaim(evaluation=e, placement=e.placement, policy=policy, salaries=[],
                     salary_counted=0, amount=0, explanation=[]) for e in evaluations)
    # issue 17: experts, a panel per need, one expert's reviews, objections to one publicity
    experts = Expert.objects.bulk_create(Expert(user=u, status="approved")
                                         for u in f.UserFactory.create_batch(N))
    panels = Panel.objects.bulk_create(Panel(challenge=c, size=3) for c in challenges)
    seat = PanelMember.objects.create(panel=panels[0], expert=experts[0])
    Review.objects.bulk_create(Review(member=seat, application=a, total=80)
                               for a in Application.objects.filter(challenge=challenges[0]))
    publicity = Publicity.objects.create(placement=placements[0], summary="公示",
                                         opens_on=datetime.date(2025, 1, 1),
                                         closes_on=datetime.date(2025, 1, 8))
    Objection.objects.bulk_create(Objection(publicity=publicity, lodged_by=u, reasons="异议")
                                  for u in f.UserFactory.create_batch(N))
    # issue 16 (self-service): every researcher joins the world's cohort; Acme marks each
    need = world["cohort"].needs.get()
    CohortMark.objects.bulk_create(
        CohortMark(need=need, researcher=e, wanted=True) for e in CohortResearcher.objects.bulk_create(
            CohortResearcher(cohort=world["cohort"], researcher=r) for r in researchers))
    CohortPreference.objects.create(entry=world["cohort"].researchers.get(researcher=rita),
                                    need=need, rank=1)
    return {"challenge": challenges[0].pk, "company": acme.pk, "cohort": world["cohort"].pk}


# (persona, list URL)
LISTS = {
    "challenges (public)": (None, "/api/v1/challenges/"),
    "challenges (company)": ("alice", "/api/v1/challenges/"),
    "challenges (researcher)": ("rita", "/api/v1/challenges/?search=钙钛矿"),
    "applications": ("alice", "/api/v1/applications/"),
    "placements": ("alice", "/api/v1/placements/"),
    "outcomes": ("alice", "/api/v1/outcomes/"),
    "matches": ("alice", "/api/v1/challenges/{challenge}/matches/"),
    "recommendations": ("rita", "/api/v1/me/recommendations/"),
    "works": ("rita", "/api/v1/researchers/me/works/"),
    "researchers": ("alice", "/api/v1/researchers/"),
    "notifications": ("rita", "/api/v1/notifications/"),
    "companies": ("sam", "/api/v1/companies/"),
    "members": ("alice", "/api/v1/companies/{company}/members/"),
    "invitations (company)": ("alice", "/api/v1/companies/{company}/invitations/"),
    "invitations (invitee)": ("rita", "/api/v1/invitations/"),
    "cohorts": ("sam", "/api/v1/cohorts/"),
    "agreements": ("alice", "/api/v1/agreements/"),
    "cohort runs": ("sam", "/api/v1/cohorts/{cohort}/runs/"),
    "cohort preferences": ("rita", "/api/v1/cohorts/{cohort}/preferences/"),
    "cohort marks": ("alice", "/api/v1/cohorts/{cohort}/marks/"),
    "platforms": (None, "/api/v1/reference/platforms/"),
    "clusters": (None, "/api/v1/reference/clusters/"),
    "industries": (None, "/api/v1/reference/industries/"),
    "institutions": (None, "/api/v1/reference/institutions/"),
    "funding programmes": (None, "/api/v1/reference/funding-programmes/"),
    "frozen reports": ("sam", "/api/v1/reports/"),
    "service logs": ("alice", "/api/v1/service-logs/"),
    "evaluations": ("alice", "/api/v1/evaluations/"),
    "subsidy claims": ("alice", "/api/v1/subsidy-claims/"),
    "experts": ("sam", "/api/v1/experts/"),
    "panels": ("sam", "/api/v1/panels/"),
    "reviews": ("sam", "/api/v1/reviews/"),
    "objections": ("sam", "/api/v1/objections/"),
}


def test_every_list_endpoint_is_counted():
    from .test_isolation_matrix import ROUTES

    lists = {name for name, method in ROUTES if method == "GET" and name.endswith("-list")}
    counted = {"challenge-list", "application-list", "placement-list", "outcome-list",
               "match-list", "recommendation-list", "work-list", "researcher-list",
               "notification-list", "company-list", "member-list", "cohort-list",
               "company-invitation-list", "invitation-list",
               "cohort-run-list", "platform-list", "cluster-list", "industry-list",
               "institution-list", "agreement-list", "funding-programme-list", "report-list",
               "service-log-list", "evaluation-list", "subsidy-claim-list",
               "expert-list", "panel-list", "review-list", "objection-list",
               "cohort-preference-list", "cohort-mark-list"}
    assert lists == counted


@pytest.mark.parametrize("case", LISTS)
def test_a_list_costs_the_same_queries_at_page_size_1_and_50(case, crowd, world, api):
    who, url = LISTS[case]
    client = api(world["users"][who] if who else None)
    url = url.format(**crowd)
    sep = "&" if "?" in url else "?"
    client.get(f"{url}{sep}page_size=1")  # warm process-wide caches (the segmenter's words)

    counts, rows = {}, {}
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}{sep}page_size={size}")
        assert response.status_code == 200, response.content
        counts[size], rows[size] = len(queries), len(response.json()["results"])

    total = response.json()["count"]
    assert rows == {1: 1, 50: min(50, total)}
    # Reference lists are short; a researcher ranks five needs at most.
    if case not in {"platforms", "clusters", "industries", "institutions",
                    "funding programmes", "cohort preferences"}:
        assert total > 50, "the fixture must fill more than a page"
    print(f"\n{case}: {counts[1]} queries at page size 1, {counts[50]} at 50")
    assert counts[1] == counts[50] <= 6, counts
