"""Issue 16 through the API: rita logs her days, alice confirms the month, the
year is reported on and graded, alice files the subsidy claim with the salaries
paid, staff approve; rita's university office sees it all, oscar nothing."""

import datetime

from matching.models import Evaluation
from matching.services import evaluations, subsidies

from ..matching.after_approval import signed_placement


def test_the_year_after_the_approval(acme, alice, rita, ursula, oscar, vera, sam, api):
    placement = signed_placement(acme, alice, rita, ursula)
    r = api(rita.user).post("/api/v1/service-logs/", {
        "placement": placement.pk, "day": "2025-03-03", "hours": "7.5", "place": "Acme 研发中心",
        "work": "产线调试"}, format="json")
    assert r.status_code == 201, r.data
    r = api(alice).post("/api/v1/service-logs/confirm/",
                        {"placement": placement.pk, "month": "2025-03"}, format="json")
    assert r.data == {"confirmed": 1}
    evaluations.evaluations_open_due(today=datetime.date(2025, 12, 20))
    evaluation = Evaluation.objects.get()
    url = f"/api/v1/evaluations/{evaluation.pk}/"
    assert api(rita.user).post(url + "report/", {"text": "完成两项专利"},
                               format="json").status_code == 200
    assert api(alice).post(url + "opinion/", {"text": "满意", "targets_total": 2,
                                              "targets_met": 2}, format="json").status_code == 200
    r = api(vera).post(url + "grade/", {"grade": "excellent"}, format="json")
    assert r.status_code == 200 and r.data["days_confirmed"] == 1 and r.data["grade"] == "excellent"
    policy = subsidies.subsidy_policy_create(by=sam, programme="tech_vp", name="补贴",
                                             rate_excellent="0.70", rate_pass="0.50",
                                             cap_per_year="60000")
    subsidies.subsidy_policy_activate(policy=policy, by=sam)
    salaries = [{"month": f"2025-{m:02d}", "amount": "10000.00"} for m in range(1, 13)]
    r = api(alice).post("/api/v1/subsidy-claims/", {"evaluation": evaluation.pk,
                                                    "salaries": salaries}, format="json")
    assert r.status_code == 201, r.data
    assert r.data["amount"] == "60000.00" and len(r.data["calculation"]) == 16
    claim = r.data["id"]
    assert api(sam).post(f"/api/v1/subsidy-claims/{claim}/approve/", {},
                         format="json").data["status"] == "approved"
    for path in ("service-logs", "evaluations", "subsidy-claims"):
        assert api(ursula).get(f"/api/v1/{path}/").data["count"] == 1, path
        assert api(oscar.user).get(f"/api/v1/{path}/").data["count"] == 0, path


def test_bad_input_names_the_field_and_writes_nothing(acme, alice, rita, ursula, api):
    placement = signed_placement(acme, alice, rita, ursula)
    r = api(rita.user, language="zh-hans").post("/api/v1/service-logs/", {
        "placement": placement.pk, "day": "2030-01-01", "hours": "30", "place": "x",
        "work": "y"}, format="json")
    assert r.status_code == 400
    assert "hours" in str(r.data) or "day" in str(r.data)
    r = api(alice).post("/api/v1/service-logs/confirm/", {"placement": placement.pk,
                                                          "month": "2025-13"}, format="json")
    assert r.status_code == 400 and "month" in str(r.data)
