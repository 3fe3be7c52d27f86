"""Nobody becomes a member of a company (and sees its applicants' proposals)
without accepting an invitation."""

import pytest

from accounts import services
from accounts.errors import DomainError
from accounts.models import CompanyMembership, Invitation
from matching.models import Notification
from tests.factories import UserFactory

S = Invitation.Status


@pytest.fixture
def dan(db):
    return UserFactory(email="dan@acme.cn", full_name="丹")


def test_an_invitation_makes_a_member_only_once_accepted(acme, alice, dan,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(company=acme, email="DAN@acme.cn", by=alice)
    assert not CompanyMembership.objects.filter(company=acme, user=dan).exists()
    told = Notification.objects.get(user=dan)
    assert acme.name in told.subject and told.url.endswith("/invitations/")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.invitation_accept(invitation=invitation, by=dan)
    assert (membership.company, membership.role) == (acme, CompanyMembership.Role.MEMBER)
    assert [h.status for h in invitation.history.order_by("history_id")] == [S.PENDING,
                                                                            S.ACCEPTED]
    assert "已加入" in Notification.objects.get(user=alice).subject


def test_only_the_invitee_answers_and_only_once(acme, alice, bob, dan):
    invitation = services.invitation_create(company=acme, email=dan.email, by=alice)
    with pytest.raises(DomainError):
        services.invitation_accept(invitation=invitation, by=bob)
    services.invitation_decline(invitation=invitation, by=dan)
    with pytest.raises(DomainError):
        services.invitation_accept(invitation=invitation, by=dan)
    assert Invitation.objects.get(pk=invitation.pk).status == S.DECLINED
    assert not CompanyMembership.objects.filter(company=acme, user=dan).exists()


def test_only_the_owner_invites_and_revokes(acme, alice, bob, dan):
    with pytest.raises(DomainError):
        services.invitation_create(company=acme, email=dan.email, by=bob)
    invitation = services.invitation_create(company=acme, email=dan.email, by=alice)
    with pytest.raises(DomainError):
        services.invitation_revoke(invitation=invitation, by=bob)
    services.invitation_revoke(invitation=invitation, by=alice)
    with pytest.raises(DomainError):
        services.invitation_accept(invitation=invitation, by=dan)


def test_a_second_invitation_or_one_to_a_member_is_refused_on_the_email(acme, alice, bob, dan):
    services.invitation_create(company=acme, email=dan.email, by=alice)
    for email in (dan.email, bob.email, "nobody@acme.cn"):
        with pytest.raises(DomainError) as exc:
            services.invitation_create(company=acme, email=email, by=alice)
        assert "email" in exc.value.message_dict
    assert Invitation.objects.count() == 1
