import pytest

from accounts.errors import DomainError
from matching import services
from matching.models import Application, Challenge, Placement
from tests.factories import ApplicationFactory, ChallengeFactory
from tests.transitions import check_transition

A = Application.Status

ACTIONS = {
    "withdraw": ("researcher", lambda a, by: services.application_withdraw(application=a, by=by),
                 {A.SUBMITTED, A.SHORTLISTED}, A.WITHDRAWN),
    "shortlist": ("alice", lambda a, by: services.application_shortlist(application=a, by=by),
                  {A.SUBMITTED}, A.SHORTLISTED),
    "decline": ("alice", lambda a, by: services.application_decline(application=a, by=by,
                                                                    message="方向不符"),
                {A.SUBMITTED, A.SHORTLISTED}, A.DECLINED),
    "accept": ("alice", lambda a, by: services.application_accept(application=a, by=by),
               {A.SUBMITTED, A.SHORTLISTED}, A.ACCEPTED),
}


@pytest.mark.parametrize("action, status", [(a, s) for a in ACTIONS for s in A.values])
def test_each_transition_is_allowed_only_from_its_statuses(action, status, acme, alice):
    who, act, allowed, target = ACTIONS[action]
    application = ApplicationFactory(challenge__company=acme, status=status)
    actor = application.researcher.user if who == "researcher" else alice
    check_transition(application, lambda: act(application, actor), allowed=allowed, target=target)
    assert Placement.objects.exists() == (action == "accept" and status in allowed)


def test_a_researcher_applies_once(rita):
    challenge = ChallengeFactory(status=Challenge.Status.PUBLISHED)
    services.application_submit(challenge=challenge, researcher=rita, by=rita.user,
                                proposal="方案一")
    with pytest.raises(DomainError, match="已揭过此榜"):
        services.application_submit(challenge=challenge, researcher=rita, by=rita.user,
                                    proposal="方案二")
    assert list(Application.objects.values_list("proposal", flat=True)) == ["方案一"]


def test_nobody_applies_on_behalf_of_another_researcher(rita, oscar):
    challenge = ChallengeFactory(status=Challenge.Status.PUBLISHED)
    with pytest.raises(DomainError):
        services.application_submit(challenge=challenge, researcher=rita, by=oscar.user,
                                    proposal="代为揭榜")
    assert not Application.objects.exists()


@pytest.mark.parametrize("status", [s for s in Challenge.Status.values if s != "published"])
def test_only_a_published_need_takes_applications(status, rita):
    challenge = ChallengeFactory(status=status)
    with pytest.raises(DomainError):
        services.application_submit(challenge=challenge, researcher=rita, by=rita.user,
                                    proposal="方案")
    assert not Application.objects.exists()


def test_a_member_of_the_company_cannot_apply_to_its_need(acme, alice):
    from tests.factories import ResearcherFactory

    profile = ResearcherFactory(user=alice)
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED)
    with pytest.raises(DomainError):
        services.application_submit(challenge=challenge, researcher=profile, by=alice,
                                    proposal="自己揭自己的榜")
    assert not Application.objects.exists()


def test_another_company_cannot_decide_on_acmes_applicants(acme, charlie):
    application = ApplicationFactory(challenge__company=acme)
    for act in (services.application_shortlist, services.application_accept,
                services.application_decline):
        with pytest.raises(DomainError):
            act(application=application, by=charlie)
    assert Application.objects.get(pk=application.pk).status == A.SUBMITTED


def test_accepting_creates_a_pending_placement_and_awards_at_the_head_count(acme, alice):
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED, headcount=2)
    first, second, third = (ApplicationFactory(challenge=challenge) for _ in range(3))
    placement = services.application_accept(application=first, by=alice, message="欢迎加入")
    assert (placement.status, placement.company, placement.researcher) == (
        Placement.Status.PENDING, acme, first.researcher)
    assert Challenge.objects.get(pk=challenge.pk).status == Challenge.Status.PUBLISHED
    services.application_accept(application=second, by=alice)
    assert Challenge.objects.get(pk=challenge.pk).status == Challenge.Status.AWARDED
    with pytest.raises(DomainError, match="名额已满"):
        services.application_accept(application=third, by=alice)
    third.refresh_from_db()
    assert (third.status, third.close_reason) == (A.CLOSED, Application.CloseReason.NOT_SELECTED)
    assert Placement.objects.count() == 2
