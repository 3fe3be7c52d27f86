"""Staff in the admin after the approval (issue 16): grade from the queue (a fail
asks for the reason and ends the placement), decide claims and export them, try
a draft policy on last year's claims, see the months that fell short."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from matching.models import Evaluation, Placement, ServiceNotice
from matching.services import evaluations, service_records, subsidies

from .after_approval import signed_placement


@pytest.fixture
def year(acme, alice, rita, ursula):
    placement = signed_placement(acme, alice, rita, ursula)
    evaluations.evaluations_open_due(today=datetime.date(2025, 12, 20))
    return Evaluation.objects.get(placement=placement)


def test_a_reviewer_grades_from_the_queue_but_only_an_administrator_fails(year, vera, sam,
                                                                          client):
    changelist = reverse("admin:matching_evaluation_changelist")
    client.force_login(vera)
    client.post(changelist, {"action": "evaluation_grade_fail_action", "apply": "1",
                             "reason": "缺勤", "_selected_action": [year.pk]})
    year.refresh_from_db()
    assert year.status == "open"  # refused: a reviewer does not end placements
    client.force_login(sam)
    asked = client.post(changelist, {"action": "evaluation_grade_fail_action",
                                     "_selected_action": [year.pk]})
    assert asked.status_code == 200 and "reason" in asked.context["form"].fields
    client.post(changelist, {"action": "evaluation_grade_fail_action", "apply": "1",
                             "reason": "全年服务不足", "_selected_action": [year.pk]})
    year.refresh_from_db()
    assert (year.grade, year.placement.status) == ("fail", Placement.Status.TERMINATED)


def test_claims_are_approved_and_exported_and_a_draft_is_costed(year, alice, sam, client):
    policy = subsidies.subsidy_policy_create(by=sam, programme="tech_vp", name="补贴",
                                             rate_excellent=Decimal("0.7"),
                                             rate_pass=Decimal("0.5"),
                                             cap_per_year=Decimal("60000"))
    subsidies.subsidy_policy_activate(policy=policy, by=sam)
    evaluations.evaluation_grade(evaluation=year, by=sam, grade="pass")
    claim = subsidies.subsidy_claim_file(
        evaluation=year, by=alice,
        salaries=[{"month": f"2025-{m:02d}", "amount": "6000"} for m in range(1, 13)])
    client.force_login(sam)
    page = client.get(reverse("admin:matching_subsidyclaim_change", args=[claim.pk]))
    assert "36000.00" in page.content.decode()  # the calculation, line by line
    changelist = reverse("admin:matching_subsidyclaim_changelist")
    client.post(changelist, {"action": "subsidy_claim_approve_action",
                             "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.decided_by == sam
    export = client.post(changelist, {"action": "export_claims", "_selected_action": [claim.pk]})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][7] == 36000
    from accounts.models import PersonalDataExport  # salaries of named people: on record

    assert PersonalDataExport.objects.get().what == "subsidy claims: 1 rows.xlsx"
    draft = subsidies.subsidy_policy_create(by=sam, programme="tech_vp", name="补贴修订",
                                            rate_excellent=Decimal("0.8"),
                                            rate_pass=Decimal("0.6"),
                                            cap_per_year=Decimal("60000"))
    cost = client.get(reverse("admin:matching_subsidypolicy_cost", args=[draft.pk]),
                      {"year": 2025})
    assert cost.context["cost"]["would_cost"] == Decimal("43200.00")


def test_a_reviewer_may_not_cost_or_write_policies(vera, client, sam):
    policy = subsidies.subsidy_policy_create(by=sam, programme="phd", name="补贴",
                                             rate_excellent=Decimal("0.7"),
                                             rate_pass=Decimal("0.5"), cap_per_year=Decimal(1))
    client.force_login(vera)
    assert client.get(reverse("admin:matching_subsidypolicy_cost",
                              args=[policy.pk])).status_code == 403


def test_staff_see_the_months_that_fell_short(acme, alice, rita, ursula, vera, client):
    signed_placement(acme, alice, rita, ursula)
    service_records.service_notices_send(today=datetime.date(2025, 2, 1))
    assert ServiceNotice.objects.filter(kind="shortfall").count() == 1
    client.force_login(vera)
    page = client.get(reverse("admin:matching_servicenotice_changelist"), {"kind": "shortfall"})
    assert page.status_code == 200 and page.context["cl"].result_count == 1
