"""Staff take a PhD cohort from participants to deployed placements in the admin."""

import datetime

import pytest
from django.urls import reverse

from accounts.errors import DomainError
from accounts.models import CompanyMembership
from matching import services
from matching.models import (
    Challenge,
    CohortNeed,
    CohortPair,
    CohortResearcher,
    CohortRun,
    Placement,
)
from matching.services import cohorts
from tests.factories import (
    ChallengeFactory,
    CohortFactory,
    CompanyFactory,
    ResearcherFactory,
    WorkFactory,
)

TOPICS = {
    "pv": ("钙钛矿组件封装", "钙钛矿太阳能电池界面钝化与封装", "湿热老化 钝化层 封装"),
    "gear": ("减速器齿轮啸叫", "新能源汽车减速器齿轮啸叫噪声控制", "齿面修形 传动误差"),
    "cloth": ("抗菌面料整理", "功能性纺织面料的抗菌整理工艺", "壳聚糖 棉织物 抗菌"),
}


@pytest.fixture
def cohort(db):
    cohort = CohortFactory(number=6, name="第六期博士入企", min_score=0.05)
    needs = {}
    for key, (title, _work, words) in TOPICS.items():
        challenge = ChallengeFactory(company=CompanyFactory(), title=title, background=words,
                                     required_expertise=words.split(), programme="phd",
                                     cohort=cohort, status=Challenge.Status.PUBLISHED)
        needs[key] = CohortNeed.objects.create(cohort=cohort, challenge=challenge,
                                               min_researchers=1, max_researchers=1)
    entries = {}
    for key, (_title, work, words) in TOPICS.items():
        researcher = ResearcherFactory(keywords=words.split())
        WorkFactory(researcher=researcher, title=work, abstract=words)
        entries[key] = CohortResearcher.objects.create(cohort=cohort, researcher=researcher)
    cohort.test_needs, cohort.test_entries = needs, entries
    return cohort


def solve(client, cohort, capture):
    with capture(execute=True):
        response = client.post(reverse("admin:matching_cohort_solve", args=[cohort.pk]))
    run = CohortRun.objects.latest("created_at")
    assert response.status_code == 302 and response.url.endswith(f"/{run.pk}/change/")
    return run


def pairs(run):
    return {(p["entry"], p["need"]) for p in run.result["assignment"]}


def test_staff_run_inspect_force_rerun_deploy_and_undeploy(
        cohort, superuser, client, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    needs, entries = cohort.test_needs, cohort.test_entries
    run = solve(client, cohort, django_capture_on_commit_callbacks)
    assert run.status == "completed" and run.step
    assert pairs(run) == {(entries[k].pk, needs[k].pk) for k in TOPICS}
    page = client.get(reverse("admin:matching_cohortrun_change", args=[run.pk])).content.decode()
    assert "钙钛矿组件封装" in page and "强制保留" in page  # a row, with its button

    # Staff keep the textile researcher on the gearbox need instead.
    response = client.post(reverse("admin:matching_cohortrun_act", args=[run.pk, "pair"]),
                           {"entry": entries["cloth"].pk, "need": needs["gear"].pk,
                            "kind": "forced"})
    assert response.status_code == 302
    assert CohortPair.objects.get().kind == "forced"
    second = solve(client, cohort, django_capture_on_commit_callbacks)
    assert (entries["cloth"].pk, needs["gear"].pk) in pairs(second)
    assert (entries["gear"].pk, needs["gear"].pk) not in pairs(second)
    unassigned = {u["entry"]: u["reason"] for u in second.result["unassigned"]}
    assert unassigned == {entries["gear"].pk: "capacity"}
    assert {u["need"]: u["reason"] for u in second.result["unfilled"]} == {
        needs["cloth"].pk: "capacity"}

    client.post(reverse("admin:matching_cohortrun_act", args=[second.pk, "deploy"]))
    deployed = Placement.objects.filter(cohort_run=second)
    assert deployed.count() == 2
    assert set(deployed.values_list("status", flat=True)) == {"pending"}
    assert {p.company for p in deployed} == {needs["pv"].challenge.company,
                                             needs["gear"].challenge.company}
    # A second deployment of the cohort is refused and changes nothing.
    client.post(reverse("admin:matching_cohortrun_act", args=[run.pk, "deploy"]))
    assert Placement.objects.count() == 2

    client.post(reverse("admin:matching_cohortrun_act", args=[second.pk, "undeploy"]))
    assert not Placement.objects.exists()
    second.refresh_from_db()
    assert second.deployed_at is None


def test_undeploy_is_refused_once_a_placement_is_approved(
        cohort, superuser, sam, client, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    run = solve(client, cohort, django_capture_on_commit_callbacks)
    client.post(reverse("admin:matching_cohortrun_act", args=[run.pk, "deploy"]))
    services.placement_approve(placement=Placement.objects.first(), by=sam)
    response = client.post(reverse("admin:matching_cohortrun_act", args=[run.pk, "undeploy"]),
                           follow=True)
    assert "已有入企服务完成审批" in response.content.decode()
    assert Placement.objects.count() == 3


def test_a_member_of_the_company_is_never_assigned_to_it(cohort, sam,
                                                        django_capture_on_commit_callbacks):
    entries, needs = cohort.test_entries, cohort.test_needs
    CompanyMembership.objects.create(company=needs["pv"].challenge.company,
                                     user=entries["pv"].researcher.user)
    with django_capture_on_commit_callbacks(execute=True):
        run = cohorts.cohort_run_start(cohort=cohort, by=sam)
    run.refresh_from_db()
    assert (entries["pv"].pk, needs["pv"].pk) not in pairs(run)


def test_a_company_founded_by_the_researchers_institution_is_a_conflict(cohort, sam):
    entries, needs = cohort.test_entries, cohort.test_needs
    company = needs["gear"].challenge.company
    company.founding_institution = entries["gear"].researcher.institution
    company.save()
    inst, detail = cohorts.cohort_instance(cohort)
    assert detail["conflicts"][(entries["gear"].pk, needs["gear"].pk)] == "founding_institution"
    assert (str(entries["gear"].pk), str(needs["gear"].pk)) in inst.conflicts


def test_preferences_are_ranked_within_the_window(cohort):
    entry, needs = cohort.test_entries["pv"], cohort.test_needs
    user = entry.researcher.user
    cohorts.preferences_set(entry=entry, by=user, needs=[needs["pv"], needs["cloth"]])
    inst, detail = cohorts.cohort_instance(cohort)
    assert detail["parts"][(entry.pk, needs["pv"].pk)]["preference"] == cohorts.RANK_BONUS[1]
    with pytest.raises(DomainError):
        cohorts.preferences_set(entry=entry, by=user, needs=list(needs.values()) * 2)
    cohort.preferences_open_until = datetime.date(2020, 1, 1)
    cohort.save()
    with pytest.raises(DomainError, match="已截止"):
        cohorts.preferences_set(entry=entry, by=user, needs=[needs["gear"]])
    assert list(entry.preferences.values_list("need", flat=True)) == [needs["pv"].pk,
                                                                       needs["cloth"].pk]


def test_a_cancelled_run_is_not_solved_and_can_be_retried(cohort, sam,
                                                         django_capture_on_commit_callbacks):
    run = CohortRun.objects.create(cohort=cohort)
    cohorts.cohort_run_cancel(run=run, by=sam)
    assert cohorts.cohort_solve(run_id=run.pk) is None
    with django_capture_on_commit_callbacks(execute=True):
        cohorts.cohort_run_retry(run=run, by=sam)
    run.refresh_from_db()
    assert run.status == "completed" and len(run.result["assignment"]) == 3


def test_the_progress_is_stored_as_a_code_and_shown_in_the_readers_language(
        cohort, sam, client, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    with django_capture_on_commit_callbacks(execute=True):
        run = cohorts.cohort_run_start(cohort=cohort, by=sam)
    run.refresh_from_db()
    assert run.step == CohortRun.Step.DONE == "done"
    client.force_login(sam)
    page = client.get(reverse("admin:matching_cohortrun_changelist")).content.decode()
    assert "完成" in page
    api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.force_authenticate(sam)
    [row] = api.get(f"/api/v1/cohorts/{cohort.pk}/runs/").json()["results"]
    assert (row["step"], row["step_display"]) == ("done", "完成")


def test_deploying_asks_for_confirmation_naming_the_placements(
        cohort, sam, client, django_capture_on_commit_callbacks):
    client.force_login(sam)
    run = solve(client, cohort, django_capture_on_commit_callbacks)
    url = reverse("admin:matching_cohortrun_act", args=[run.pk, "deploy"])
    change = client.get(reverse("admin:matching_cohortrun_change", args=[run.pk]))
    assert f'href="{url}"' in change.content.decode()  # a link to the question, not a POST
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and not Placement.objects.exists()
    assert "3" in text and all(n.challenge.company.name in text
                               for n in cohort.test_needs.values())
    client.post(url)
    assert Placement.objects.filter(cohort_run=run).count() == 3
    assert all(p.history.exists() for p in Placement.objects.all())


def test_a_reviewer_cannot_open_the_deploy_question(cohort, vera, client):
    run = CohortRun.objects.create(cohort=cohort, status=CohortRun.Status.COMPLETED)
    client.force_login(vera)
    assert client.get(reverse("admin:matching_cohortrun_act",
                              args=[run.pk, "deploy"])).status_code == 403


def test_the_solver_uses_only_the_cohorts_own_published_phd_needs(cohort, sam):
    bounty = ChallengeFactory(title="钙钛矿揭榜", programme="bounty", background="钙钛矿 封装",
                              status=Challenge.Status.PUBLISHED)
    withdrawn = ChallengeFactory(title="已撤回", programme="phd", cohort=cohort,
                                 status=Challenge.Status.WITHDRAWN)
    elsewhere = ChallengeFactory(title="别期需求", programme="phd", cohort=CohortFactory(),
                                 status=Challenge.Status.PUBLISHED)
    for challenge in (bounty, withdrawn, elsewhere):
        CohortNeed.objects.create(cohort=cohort, challenge=challenge, max_researchers=1)
    inst, _detail = cohorts.cohort_instance(cohort)
    assert {int(seat) for seat, *_ in inst.seats} == {n.pk for n in cohort.test_needs.values()}


def test_a_cohort_whose_dates_are_past_cannot_be_run_or_deployed(cohort, sam):
    run = CohortRun.objects.create(cohort=cohort, status=CohortRun.Status.COMPLETED)
    cohort.starts_on = datetime.date(2023, 9, 1)
    cohort.ends_on = datetime.date(2024, 8, 31)
    cohort.save()
    with pytest.raises(DomainError, match="2024-08-31"):
        cohorts.cohort_run_start(cohort=cohort, by=sam)
    with pytest.raises(DomainError):
        cohorts.cohort_deploy(run=run, by=sam)
    assert (CohortRun.objects.count(), Placement.objects.count()) == (1, 0)
