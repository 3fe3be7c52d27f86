"""Links to the 55830 plan: staff tag placements and outcomes with the plan's
actions, and the statistics report what each action produced."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.errors import DomainError
from matching import statistics
from matching.models import Outcome, PlacementPlanAction, PlanAction
from matching.services import outcome_tag, placement_tag
from tests.matching.test_statistics import district  # noqa: F401 (a fixture)

TALENT, COOPERATION = "talent", "industry-academia"


def action(code):
    return PlanAction.objects.get(code=code)


@pytest.fixture
def tagged(district, vera):  # noqa: F811
    p1 = district["k5"].placements.get()
    p2 = district["k6"].placements.get()
    placement_tag(placement=p1, actions=[action(TALENT)], by=vera)
    placement_tag(placement=p2, actions=[action(TALENT), action(COOPERATION)], by=vera)
    verified = Outcome.objects.filter(status=Outcome.Status.VERIFIED)
    outcome_tag(outcome=verified.get(placement=p2, kind=Outcome.Kind.TECH_CONTRACT),
                actions=[action(COOPERATION)], by=vera)
    outcome_tag(outcome=verified.get(placement=p2, kind=Outcome.Kind.INVENTION_PATENT),
                actions=[action(COOPERATION)], by=vera)
    # An unverified outcome linked to an action does not count for it.
    outcome_tag(outcome=Outcome.objects.get(status=Outcome.Status.REPORTED),
                actions=[action(TALENT)], by=vera)
    return p1, p2


def test_the_plan_comes_seeded_with_its_actions_and_measures(db):
    talent = action(TALENT)
    assert talent.name == "人才引育行动" and talent.kind == PlanAction.Kind.ACTION
    assert talent.measures.filter(kind=PlanAction.Kind.MEASURE).exists()


def test_each_action_counts_its_placements_and_verified_outcomes(tagged):
    rows = {r["label"]: (r["placements"], r["researchers"], r["outcomes"], r["deal_value"])
            for r in statistics.breakdown(statistics.StatsFilter(), "plan_action")}
    assert rows == {"人才引育行动": (2, 2, 0, Decimal("0.00")),
                    "产学研协同行动": (1, 1, 2, Decimal("50.00")),
                    "未关联行动计划": (1, 1, 2, Decimal("100.00"))}


def test_tagging_sets_the_whole_set_and_leaves_history(tagged, vera):
    _p1, p2 = tagged
    placement_tag(placement=p2, actions=[action(COOPERATION)], by=vera)
    assert list(p2.plan_actions.values_list("code", flat=True)) == [COOPERATION]
    history = PlacementPlanAction.history.filter(placement_id=p2.pk)
    assert sorted(history.values_list("history_type", flat=True)) == ["+", "+", "-"]
    assert {h.history_user for h in history} == {vera}


def test_only_staff_with_the_permission_tag(tagged, alice):
    _p1, p2 = tagged
    with pytest.raises(DomainError):
        placement_tag(placement=p2, actions=[], by=alice)
    assert p2.plan_actions.count() == 2


def test_the_statistics_page_and_the_api_report_by_plan_action(tagged, sam, client):
    client.force_login(sam)
    page = client.get(reverse("admin-statistics")).content.decode()
    assert 'id="by-plan_action"' in page and "产学研协同行动" in page
    client.logout()
    rows = {r["label"]: (r["placements"], r["outcomes"], r["deal_value_wan_yuan"])
            for r in client.get("/api/v1/stats/").json()["by_plan_action"]}
    assert rows["产学研协同行动"] == (1, 2, "50.00")
    assert rows["人才引育行动"] == (2, 0, "0.00")


def test_staff_link_placements_in_the_admin_by_an_action(tagged, vera, client):
    p1, _p2 = tagged
    client.force_login(vera)
    url = reverse("admin:matching_placement_changelist")
    form = {"action": "placement_tag_action", "_selected_action": [p1.pk]}
    asked = client.post(url, form)
    assert asked.status_code == 200 and "产学研协同行动" in asked.content.decode()
    client.post(url, {**form, "apply": "1", "actions": [action(COOPERATION).pk]})
    assert list(p1.plan_actions.values_list("code", flat=True)) == [COOPERATION]
