"""A need that is withdrawn, expires or fills its places closes the applications
still awaiting a decision, with a reason each applicant sees and is told once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.errors import DomainError
from matching import services
from matching.models import Application, Challenge, Notification
from matching.services.notifications import notification_dispatch
from tests.factories import ApplicationFactory, ChallengeFactory

A = Application.Status
R = Application.CloseReason


@pytest.fixture
def need(acme):
    return ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED, title="钙钛矿封装",
                            headcount=1)


def test_withdrawing_a_need_closes_its_open_applications_and_tells_each_applicant(
        need, alice, django_capture_on_commit_callbacks):
    waiting, shortlisted = ApplicationFactory(challenge=need), ApplicationFactory(challenge=need)
    services.application_shortlist(application=shortlisted, by=alice)
    withdrawn = ApplicationFactory(challenge=need, status=A.WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_withdraw(challenge=need, by=alice, reason="需求已由内部团队解决")
    for application in (waiting, shortlisted):
        application.refresh_from_db()
        assert (application.status, application.close_reason) == (A.CLOSED, R.NEED_WITHDRAWN)
        assert application.history.first().status == A.CLOSED
        note = Notification.objects.get(user=application.researcher.user)
        assert "已关闭" in note.subject and "需求已由内部团队解决" in note.body
    withdrawn.refresh_from_db()
    assert withdrawn.status == A.WITHDRAWN
    assert not Notification.objects.filter(user=withdrawn.researcher.user).exists()


def test_a_replayed_notification_of_a_closed_application_is_sent_once(need, alice):
    application = ApplicationFactory(challenge=need)
    services.challenge_withdraw(challenge=need, by=alice, reason="预算取消")
    sent = [notification_dispatch(event="application_closed", object_id=application.pk)
            for _ in range(2)]
    assert sent == [1, 0]
    assert Notification.objects.filter(user=application.researcher.user).count() == 1


def test_the_company_can_no_longer_decide_on_a_withdrawn_needs_applicants(need, alice):
    application = ApplicationFactory(challenge=need)
    services.challenge_withdraw(challenge=need, by=alice, reason="预算取消")
    # Even an application reopened behind the service's back stays undecidable.
    Application.objects.filter(pk=application.pk).update(status=A.SUBMITTED)
    for act in (services.application_shortlist, services.application_decline,
                services.application_accept):
        with pytest.raises(DomainError, match="已撤回"):
            act(application=application, by=alice)
    assert Application.objects.get(pk=application.pk).status == A.SUBMITTED


def test_an_expired_need_closes_its_applications(need, django_capture_on_commit_callbacks):
    application = ApplicationFactory(challenge=need)
    Challenge.objects.filter(pk=need.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.challenges_expire_overdue() == 1
    application.refresh_from_db()
    assert (application.status, application.close_reason) == (A.CLOSED, R.NEED_EXPIRED)
    assert "截止" in Notification.objects.get(user=application.researcher.user).body


def test_accepting_the_last_place_closes_the_others_as_not_selected(
        need, alice, django_capture_on_commit_callbacks):
    chosen, other = ApplicationFactory(challenge=need), ApplicationFactory(challenge=need)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(application=chosen, by=alice)
    other.refresh_from_db()
    assert (other.status, other.close_reason, other.decided_by) == (A.CLOSED, R.NOT_SELECTED,
                                                                     alice)
    note = Notification.objects.get(user=other.researcher.user)
    assert "已关闭" in note.subject and "其他" in note.body
    assert Notification.objects.get(user=chosen.researcher.user).subject.endswith("已被接受")


def test_the_dashboard_stops_counting_closed_applications_as_new(need, alice):
    ApplicationFactory(challenge=need)
    client = Client()
    client.force_login(alice)

    def new_applicants():
        return client.get(reverse("matching:company_dashboard")).context["new_applicants"]

    assert new_applicants() == 1
    services.challenge_withdraw(challenge=need, by=alice, reason="预算取消")
    assert new_applicants() == 0


def test_the_applicant_sees_why_their_application_closed(need, alice, rita):
    ApplicationFactory(challenge=need, researcher=rita)
    services.challenge_withdraw(challenge=need, by=alice, reason="预算取消")
    client = Client()
    client.force_login(rita.user)
    page = client.get(reverse("matching:researcher_dashboard")).content.decode()
    assert "企业撤回了该需求" in page and "预算取消" in page
