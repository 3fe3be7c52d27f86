"""District staff clear the queues from the admin: one or many at once, refused
transitions change nothing, every decision is kept in the history."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matching.models import Challenge, Notification, Outcome, Placement
from tests.factories import (
    ChallengeFactory,
    CompanyFactory,
    OutcomeFactory,
    PlacementFactory,
    UserFactory,
)


@pytest.fixture
def reviewer(db):
    user = UserFactory(email="reviewer@qiantang.gov.cn", is_staff=True)
    user.groups.add(Group.objects.get(name__startswith="审核员"))
    return user


def act(client, model, action, ids, **extra):
    url = reverse(f"admin:{model}_changelist")
    return client.post(url, {"action": action, "_selected_action": ids, **extra}, follow=True)


def test_the_admin_home_lists_the_queues_with_counts(reviewer, client, acme):
    ChallengeFactory(company=acme, status="under_review")
    ChallengeFactory(company=acme, status="under_review")
    PlacementFactory()
    client.force_login(reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    queues = page.split('id="review-queues"')[1].split("</table>")[0]
    assert ">待审核需求</a></th><td>2</td>" in queues.replace("\n", "")
    assert ">待审批入企服务</a></th><td>1</td>" in queues.replace("\n", "")


def test_many_needs_are_published_at_once_and_a_refused_one_changes_nothing(
        reviewer, client, acme, django_capture_on_commit_callbacks):
    waiting = [ChallengeFactory(company=acme, status="under_review") for _ in range(2)]
    draft = ChallengeFactory(company=acme, status="draft")
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        page = act(client, "matching_challenge", "challenge_publish_action",
                   [c.pk for c in [*waiting, draft]]).content.decode()
    assert "2 项已完成" in page and "未执行" in page
    assert [Challenge.objects.get(pk=c.pk).status for c in waiting] == ["published"] * 2
    assert Challenge.objects.get(pk=draft.pk).status == "draft"
    history = client.get(reverse("admin:matching_challenge_history", args=[waiting[0].pk]))
    assert reviewer.email in history.content.decode()


def test_rejecting_asks_for_a_reason_which_the_company_is_shown(
        reviewer, client, acme, alice, django_capture_on_commit_callbacks):
    need = ChallengeFactory(company=acme, status="under_review")
    client.force_login(reviewer)
    page = act(client, "matching_challenge", "challenge_reject_action", [need.pk])
    assert "form" in page.content.decode() and Challenge.objects.get(pk=need.pk).status == "under_review"
    act(client, "matching_challenge", "challenge_reject_action", [need.pk], apply="1", reason="")
    assert Challenge.objects.get(pk=need.pk).status == "under_review"
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "matching_challenge", "challenge_reject_action", [need.pk], apply="1",
            reason="请补充技术指标")
    need.refresh_from_db()
    assert (need.status, need.review_note) == ("rejected", "请补充技术指标")
    assert "请补充技术指标" in Notification.objects.get(user=alice).body


def test_placements_are_approved_in_bulk(reviewer, client):
    pending = [PlacementFactory() for _ in range(3)]
    client.force_login(reviewer)
    act(client, "matching_placement", "placement_approve_action", [p.pk for p in pending])
    assert set(Placement.objects.values_list("status", flat=True)) == {"active"}
    assert set(Placement.objects.values_list("approved_by", flat=True)) == {reviewer.pk}


def test_outcomes_are_verified_or_rejected(reviewer, client):
    # Confirmed by the other side, with its registration certificate: ready to verify.
    first = OutcomeFactory(status=Outcome.Status.CONFIRMED,
                           evidence=SimpleUploadedFile("登记证明.pdf", b"%PDF-1.4"))
    second = OutcomeFactory()
    client.force_login(reviewer)
    act(client, "matching_outcome", "outcome_verify_action", [first.pk])
    act(client, "matching_outcome", "outcome_reject_action", [second.pk], apply="1",
        reason="合同金额与票据不符")
    assert list(Outcome.objects.order_by("pk").values_list("status", flat=True)) == [
        "verified", "rejected"]


def test_companies_are_verified_or_refused_with_a_reason(reviewer, client):
    one, two = CompanyFactory(verified_at=None), CompanyFactory(verified_at=None)
    client.force_login(reviewer)
    act(client, "accounts_company", "company_verify_action", [one.pk])
    act(client, "accounts_company", "company_reject_action", [two.pk], apply="1",
        reason="营业执照照片不清晰")
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.is_verified and not two.is_verified and two.review_note == "营业执照照片不清晰"


def test_reviewers_act_on_queues_but_only_administrators_manage_users_and_cohorts(
        reviewer, client, db):
    client.force_login(reviewer)
    assert client.get(reverse("admin:matching_challenge_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:matching_cohort_add")).status_code == 403
    administrator = UserFactory(email="admin@qiantang.gov.cn", is_staff=True)
    administrator.groups.add(Group.objects.get(name__startswith="管理员"))
    client.force_login(administrator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:matching_cohort_add")).status_code == 200
