"""Every challenge transition: allowed ones succeed, forbidden ones raise and change nothing."""

import pytest
from django.core import mail

from accounts.errors import DomainError
from matching import services
from matching.models import Challenge, Notification
from tests.factories import ApplicationFactory, ChallengeFactory
from tests.transitions import check_transition

S = Challenge.Status

# action → (who acts, how, the statuses it is allowed from, the status it leads to)
ACTIONS = {
    "submit": ("alice", lambda c, by: services.challenge_submit(challenge=c, by=by),
               {S.DRAFT, S.REJECTED}, S.UNDER_REVIEW),
    "publish": ("sam", lambda c, by: services.challenge_publish(challenge=c, by=by),
                {S.UNDER_REVIEW}, S.PUBLISHED),
    "reject": ("sam", lambda c, by: services.challenge_reject(challenge=c, by=by,
                                                              note="请补充技术指标"),
               {S.UNDER_REVIEW}, S.REJECTED),
    "withdraw": ("alice", lambda c, by: services.challenge_withdraw(challenge=c, by=by),
                 {S.DRAFT, S.UNDER_REVIEW, S.REJECTED, S.PUBLISHED}, S.WITHDRAWN),
    "complete": ("alice", lambda c, by: services.challenge_complete(challenge=c, by=by),
                 {S.IN_PROGRESS}, S.COMPLETED),
}
CASES = [(action, status) for action in ACTIONS for status in S.values]


@pytest.mark.parametrize("action, status", CASES)
def test_each_transition_is_allowed_only_from_its_statuses(action, status, request, acme, alice,
                                                          sam):
    who, act, allowed, target = ACTIONS[action]
    challenge = ChallengeFactory(company=acme, status=status)
    actor = request.getfixturevalue(who)
    check_transition(challenge, lambda: act(challenge, actor), allowed=allowed, target=target)


def test_a_company_member_cannot_publish_its_own_need(acme, alice):
    challenge = ChallengeFactory(company=acme, status=S.UNDER_REVIEW)
    with pytest.raises(DomainError):
        services.challenge_publish(challenge=challenge, by=alice)
    assert Challenge.objects.get(pk=challenge.pk).status == S.UNDER_REVIEW


def test_another_company_cannot_submit_or_withdraw_the_need(acme, alice, charlie):
    challenge = ChallengeFactory(company=acme, status=S.DRAFT)
    for act in (services.challenge_submit, services.challenge_withdraw):
        with pytest.raises(DomainError):
            act(challenge=challenge, by=charlie)
    assert Challenge.objects.get(pk=challenge.pk).status == S.DRAFT


def test_an_unverified_company_cannot_submit_a_need(acme, alice):
    acme.verified_at = None
    acme.save()
    challenge = ChallengeFactory(company=acme, status=S.DRAFT)
    with pytest.raises(DomainError, match="认证"):
        services.challenge_submit(challenge=challenge, by=alice)
    assert Challenge.objects.get(pk=challenge.pk).status == S.DRAFT


def test_rejecting_needs_a_note(acme, sam):
    challenge = ChallengeFactory(company=acme, status=S.UNDER_REVIEW)
    with pytest.raises(DomainError) as exc:
        services.challenge_reject(challenge=challenge, by=sam, note="  ")
    assert "review_note" in exc.value.message_dict
    assert Challenge.objects.get(pk=challenge.pk).status == S.UNDER_REVIEW


def test_a_need_with_applicants_is_withdrawn_only_with_a_reason(acme, alice):
    application = ApplicationFactory(challenge__company=acme)
    challenge = application.challenge
    with pytest.raises(DomainError) as exc:
        services.challenge_withdraw(challenge=challenge, by=alice, reason="")
    assert "withdraw_reason" in exc.value.message_dict
    services.challenge_withdraw(challenge=challenge, by=alice, reason="需求已由内部团队解决")
    challenge.refresh_from_db()
    assert (challenge.status, challenge.withdraw_reason) == (S.WITHDRAWN, "需求已由内部团队解决")


def test_the_company_is_told_of_the_review_decision_in_app_and_by_email(
        django_capture_on_commit_callbacks, acme, alice, bob, sam):
    challenge = ChallengeFactory(company=acme, status=S.UNDER_REVIEW, title="钙钛矿封装")
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_reject(challenge=challenge, by=sam, note="请补充技术指标")
    notes = Notification.objects.filter(event_key=f"challenge_reviewed:{challenge.pk}")
    assert {n.user for n in notes} == {alice, bob}
    assert all("请补充技术指标" in n.body for n in notes)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    assert "未通过审核" in mail.outbox[0].subject


def test_overdue_needs_expire_once(acme, alice):
    import datetime

    from django.utils import timezone

    overdue = ChallengeFactory(company=acme, status=S.PUBLISHED,
                               deadline=timezone.localdate() - datetime.timedelta(days=1))
    current = ChallengeFactory(company=acme, status=S.PUBLISHED)
    assert services.challenges_expire_overdue() == 1
    assert services.challenges_expire_overdue() == 0
    overdue.refresh_from_db()
    current.refresh_from_db()
    assert (overdue.status, current.status) == (S.EXPIRED, S.PUBLISHED)
    assert overdue.history.first().status == S.EXPIRED  # kept in the need's history
