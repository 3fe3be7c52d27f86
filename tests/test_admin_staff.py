"""District staff decide and correct in the admin, through the same services as
every other door and as far as their role goes: vera (reviewer) decides from a
queue or from one object's page and reads the rest; sam (administrator) also
keeps the records, runs the solver and the rebuilds, imports."""

import pytest
from django.urls import reverse

from accounts.models import Institution, ResearcherProfile, Work
from matching.models import Challenge, CohortNeed, MatchScore, Placement, Programme
from tests.factories import (
    ChallengeFactory,
    CohortFactory,
    PlacementFactory,
    StaffFactory,
    WorkFactory,
)


def page_data(response) -> dict:
    """What the admin page's forms would post back unchanged, inlines included."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            add(form)
    return data


def latest_by(obj):
    return type(obj).history.filter(id=obj.pk).latest().history_user


# --- decisions: a queue's action, or a button on the object's page -------------

def test_a_reviewer_approves_one_placement_with_the_button_on_its_page(vera, client):
    placement = PlacementFactory()
    client.force_login(vera)
    page = client.get(reverse("admin:matching_placement_change", args=[placement.pk]))
    decide = reverse("admin:matching_placement_decide",
                     args=[placement.pk, "placement_approve_action"])
    assert decide in page.content.decode()
    # Completing or ending a placement is the administrators': no button for her.
    assert "placement_complete_action" not in page.content.decode()
    response = client.post(decide, {"action": "placement_approve_action"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.approved_by) == (Placement.Status.ACTIVE, vera)
    assert latest_by(placement) == vera


def test_rejecting_from_the_page_asks_for_the_reason_first(vera, client, acme):
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW)
    client.force_login(vera)
    decide = reverse("admin:matching_challenge_decide",
                     args=[challenge.pk, "challenge_reject_action"])
    asked = client.post(decide, {"action": "challenge_reject_action"})
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    client.post(decide, {"action": "challenge_reject_action", "apply": "1",
                         "reason": "技术指标不明确"})
    challenge.refresh_from_db()
    assert (challenge.status, challenge.review_note) == (Challenge.Status.REJECTED, "技术指标不明确")


def test_a_decision_the_role_does_not_grant_is_refused(vera, client):
    placement = PlacementFactory(status=Placement.Status.ACTIVE)
    client.force_login(vera)
    response = client.post(reverse("admin:matching_placement_decide",
                                   args=[placement.pk, "placement_complete_action"]))
    assert response.status_code == 403
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


def test_a_refused_decision_says_why_and_changes_nothing(vera, client):
    placement = PlacementFactory(status=Placement.Status.REJECTED)
    client.force_login(vera)
    response = client.post(reverse("admin:matching_placement_decide",
                                   args=[placement.pk, "placement_approve_action"]),
                           {"action": "placement_approve_action"}, follow=True)
    assert "未执行" in response.content.decode() and "未通过" in response.content.decode()
    placement.refresh_from_db()
    assert placement.status == Placement.Status.REJECTED


# --- the admin's own pages check the permission they need --------------------

@pytest.fixture
def cohort_run(db):
    from matching.models import CohortRun

    return CohortRun.objects.create(cohort=CohortFactory(), status=CohortRun.Status.FAILED)


def custom_views(run):
    return [
        reverse("admin:matching_cohort_solve", args=[run.cohort_id]),
        *(reverse("admin:matching_cohortrun_act", args=[run.pk, verb])
          for verb in ["deploy", "undeploy", "cancel", "retry", "pair"]),
        reverse("admin:matching_matchrun_start"),
        reverse("admin:accounts_company_import"),
        reverse("admin:accounts_company_import_template"),
        reverse("admin:accounts_researcherprofile_import"),
        reverse("admin:accounts_researcherprofile_import_template"),
    ]


def test_a_reviewer_may_not_run_deploy_rebuild_or_import(vera, client, cohort_run):
    client.force_login(vera)
    for url in custom_views(cohort_run):
        assert client.post(url).status_code == 403, url
    # What she may see of them, she sees: the run's page, without its buttons.
    page = client.get(reverse("admin:matching_cohortrun_change", args=[cohort_run.pk]))
    assert page.status_code == 200
    assert reverse("admin:matching_cohortrun_act", args=[cohort_run.pk, "retry"]) \
        not in page.content.decode()


def test_an_administrator_may(sam, client, cohort_run):
    client.force_login(sam)
    for url in custom_views(cohort_run):
        assert client.post(url).status_code != 403, url


def test_the_appointment_letter_is_for_staff_who_may_see_placements(vera, client, acme):
    placement = PlacementFactory(company=acme, programme=Programme.TECH_VP, post="科技副总",
                                 status=Placement.Status.ACTIVE)
    url = reverse("admin:matching_placement_letter", args=[placement.pk])
    client.force_login(StaffFactory(email="new@qiantang.gov.cn"))  # staff, no role yet
    assert client.get(url).status_code == 403
    client.force_login(vera)
    assert client.get(url)["Content-Type"] == "application/pdf"


# --- corrections go through the services, and are on record --------------------

def test_correcting_a_researchers_keywords_in_the_admin_rescores_them(
        sam, rita, acme, client, django_capture_on_commit_callbacks):
    need = ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED,
                            title="纳米纤维素气凝胶保温材料", required_expertise=["纳米纤维素"])
    rita.keywords = ["棉织物"]
    rita.save()
    client.force_login(sam)
    url = reverse("admin:accounts_researcherprofile_change", args=[rita.pk])
    data = {**page_data(client.get(url)), "keywords": '["纳米纤维素", "气凝胶"]'}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    rita.refresh_from_db()
    assert rita.keywords == ["纳米纤维素", "气凝胶"] and latest_by(rita) == sam
    assert MatchScore.objects.filter(researcher=rita, challenge=need).exists()


def test_a_work_added_in_the_admin_is_on_record_as_the_staff_members(
        sam, rita, client, django_capture_on_commit_callbacks):
    WorkFactory(researcher=rita)
    client.force_login(sam)
    url = reverse("admin:accounts_researcherprofile_change", args=[rita.pk])
    data = page_data(client.get(url))
    data.update({"works-TOTAL_FORMS": "2", "works-1-title": "纤维素气凝胶的制备",
                 "works-1-kind": "paper", "works-1-keywords": "[]",
                 "works-1-researcher": str(rita.pk)})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(url, data).status_code == 302
    work = Work.objects.get(title="纤维素气凝胶的制备")
    assert latest_by(work) == sam
    assert callbacks  # the researcher is rescored


def test_staff_create_a_tech_vp_placement_pending_approval(sam, vera, rita, acme, client):
    client.force_login(vera)
    assert client.get(reverse("admin:matching_placement_add")).status_code == 403
    client.force_login(sam)
    response = client.post(reverse("admin:matching_placement_add"), {
        "programme": Programme.TECH_VP, "company": acme.pk, "researcher": rita.pk,
        "starts_on": "2025-03-20", "ends_on": "2027-03-19"})
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.status, placement.post) == (Placement.Status.PENDING, "科技副总")
    assert latest_by(placement) == sam


def test_an_administrator_adds_a_need_to_a_cohort_on_record(sam, acme, client):
    cohort = CohortFactory()
    need = ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED,
                            programme=Programme.PHD)
    client.force_login(sam)
    url = reverse("admin:matching_cohort_change", args=[cohort.pk])
    data = page_data(client.get(url))
    data.update({"needs-TOTAL_FORMS": "1", "needs-0-challenge": str(need.pk),
                 "needs-0-min_researchers": "1", "needs-0-max_researchers": "2"})
    assert client.post(url, data).status_code == 302
    entry = CohortNeed.objects.get(cohort=cohort)
    assert (entry.max_researchers, latest_by(entry)) == (2, sam)


def test_staff_correct_a_companys_name_but_not_its_verification(sam, acme, client):
    client.force_login(sam)
    url = reverse("admin:accounts_company_change", args=[acme.pk])
    data = {**page_data(client.get(url)), "name": "杭州钱塘光伏科技股份有限公司",
            "verified_at_0": "", "verified_at_1": "", "review_note": "随便"}
    assert client.post(url, data).status_code == 302
    acme.refresh_from_db()
    assert acme.name == "杭州钱塘光伏科技股份有限公司" and latest_by(acme) == sam
    assert acme.is_verified and acme.review_note == ""


def test_reference_data_is_kept_on_record(sam, client):
    client.force_login(sam)
    response = client.post(reverse("admin:accounts_institution_add"),
                           {"name": "钱塘实验室", "name_en": "Qiantang Lab", "kind": "institute"})
    assert response.status_code == 302
    assert latest_by(Institution.objects.get(name="钱塘实验室")) == sam


def test_a_profile_cannot_be_given_another_account_in_the_admin(sam, rita, oscar, client):
    client.force_login(sam)
    url = reverse("admin:accounts_researcherprofile_change", args=[rita.pk])
    data = {**page_data(client.get(url)), "user": str(oscar.user_id)}
    client.post(url, data)
    assert ResearcherProfile.objects.get(pk=rita.pk).user_id == rita.user_id


def test_an_administrator_may_not_make_anyone_a_superuser(sam, vera, client):
    client.force_login(sam)
    url = reverse("admin:accounts_user_change", args=[vera.pk])
    data = {**page_data(client.get(url)), "is_superuser": "on"}
    assert client.post(url, data).status_code == 302
    vera.refresh_from_db()
    assert not vera.is_superuser


def test_nobody_mints_a_token_for_someone_else_in_the_admin(sam, client):
    client.force_login(sam)
    assert client.get(reverse("admin:authtoken_tokenproxy_add")).status_code == 403


def test_roles_are_shown_not_edited(sam, client):
    from django.contrib.auth.models import Group

    client.force_login(sam)
    group = Group.objects.get(name__startswith="审核员")
    assert client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 200
    assert client.post(reverse("admin:auth_group_change", args=[group.pk]),
                       {"name": "x"}).status_code == 403
