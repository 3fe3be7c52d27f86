"""A small district for API tests: everything Acme (alice, bob) and rita own, and
the personas who must not reach it (charlie of Other Co, oscar), staff (vera
the reviewer, sam the administrator) and the anonymous public."""

import pytest
from rest_framework.test import APIClient

from accounts.models import IndustryPlatform, Invitation
from matching.models import Agreement, Challenge, Notification, Placement

from .. import factories as f

PERSONAS = ["alice", "charlie", "rita", "oscar", "vera", "sam", "anon"]


@pytest.fixture
def api():
    """api(user) → an APIClient signed in as `user` (None: anonymous)."""

    def client(user=None, language="en"):
        c = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            c.force_authenticate(user)
        return c

    return client


def _selection(acme, rita, oscar, placement):
    """Issue 17: oscar sits, as an approved expert, on the panel reviewing rita's
    bid for another Acme bounty and has scored it; rita objects to the published
    result of her own placement (a window still open)."""
    import datetime

    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from matching.models import (
        Expert,
        Objection,
        Panel,
        PanelMember,
        Publicity,
        Review,
    )

    expert = Expert.objects.create(user=oscar.user, keywords=["钙钛矿"],
                                   status=Expert.Status.APPROVED)
    oscar.user.groups.add(Group.objects.get_or_create(name=Role.EXPERT)[0])
    need = f.ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED, title="Acme 评审需求")
    bid = f.ApplicationFactory(challenge=need, researcher=rita, status="shortlisted")
    panel = Panel.objects.create(challenge=need, size=1, status=Panel.Status.REVIEWING)
    seat = PanelMember.objects.create(panel=panel, expert=expert,
                                      status=PanelMember.Status.ACCEPTED)
    today = datetime.date.today()
    shown = Publicity.objects.create(placement=placement, summary="公示", opens_on=today,
                                     closes_on=today + datetime.timedelta(days=30))
    return {"expert": expert, "panel": panel, "seat": seat, "publicity": shown, "bid": bid,
            "review": Review.objects.create(member=seat, application=bid, total=80),
            "objection": Objection.objects.create(publicity=shown, lodged_by=rita.user,
                                                  reasons="rita 的异议")}


@pytest.fixture
def world(acme, alice, bob, charlie, other_company, rita, oscar, vera, sam):
    """The objects the personas reach for, by name."""
    platform = IndustryPlatform.objects.first()
    draft = f.ChallengeFactory(company=acme, created_by=alice, title="Acme 草稿需求")
    published = f.ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED,
                                   title="Acme 公开需求")
    others = f.ChallengeFactory(company=other_company, status=Challenge.Status.PUBLISHED,
                                title="Other Co 公开需求")
    application = f.ApplicationFactory(challenge=published, researcher=rita,
                                       proposal="rita 的方案：保密")
    placement = f.PlacementFactory(company=acme, researcher=rita, challenge=published,
                                   status=Placement.Status.ACTIVE)
    outcome = f.OutcomeFactory(placement=placement)
    oscar_placement = f.PlacementFactory(company=other_company, researcher=oscar,
                                         status=Placement.Status.ACTIVE)
    selection = _selection(acme, rita, oscar, placement)
    return {
        **selection,
        "users": {"alice": alice, "bob": bob, "charlie": charlie, "rita": rita.user,
                  "oscar": oscar.user, "vera": vera, "sam": sam, "anon": None},
        "acme": acme, "other_company": other_company, "rita": rita, "oscar": oscar,
        "draft": draft, "published": published, "others_challenge": others,
        "application": application, "placement": placement, "outcome": outcome,
        "oscar_placement": oscar_placement,
        "agreement": Agreement.objects.create(placement=placement, starts_on=placement.starts_on,
                                              ends_on=placement.ends_on, created_by=alice),
        "bob_membership": acme.memberships.get(user=bob),
        "work": f.WorkFactory(researcher=rita),
        "cohort": _cohort(draft, rita),
        "notification": Notification.objects.create(user=rita.user, event_key="test:1",
                                                    subject="rita 的通知"),
        "platform": platform,
        "oscar_application": f.ApplicationFactory(challenge=others, researcher=oscar),
        # Acme asks oscar to join; he has not answered.
        "invitation": Invitation.objects.create(company=acme, user=oscar.user, invited_by=alice),
        **_after_approval(placement),
    }


def _cohort(need, researcher):
    """Issue 16: rita takes part in the cohort, where Acme has a (draft, so not yet
    assignable) need: she ranks, Acme marks, nobody else reaches either."""
    from matching.models import CohortNeed, CohortResearcher

    cohort = f.CohortFactory()
    CohortNeed.objects.create(cohort=cohort, challenge=need)
    CohortResearcher.objects.create(cohort=cohort, researcher=researcher)
    return cohort


def _after_approval(placement):
    """Issue 16: a day rita served, the year's evaluation (graded) and its claim."""
    import datetime
    from decimal import Decimal

    from matching.models import Evaluation, ServiceLog, SubsidyClaim, SubsidyPolicy

    policy = SubsidyPolicy.objects.create(programme="tech_vp", name="补贴", status="active",
                                          rate_excellent=Decimal("0.7"), rate_pass=Decimal("0.5"),
                                          cap_per_year=Decimal(60000))
    evaluation = Evaluation.objects.create(
        placement=placement, year=1, period_start=placement.starts_on,
        period_end=placement.ends_on, status="graded", grade="pass")
    return {
        "service_log": ServiceLog.objects.create(placement=placement, day=datetime.date(2025, 3, 3),
                                                 hours=8, place="Acme", work="调试"),
        "evaluation": evaluation,
        "subsidy_claim": SubsidyClaim.objects.create(
            evaluation=evaluation, placement=placement, policy=policy,
            salaries=[{"month": "2025-01", "amount": "1000.00"}], salary_counted=Decimal(1000),
            amount=Decimal(500), explanation=[{"line": "amount", "amount": "500.00"}]),
    }


