import datetime

import pytest

from accounts.errors import DomainError
from matching import services
from matching.models import Challenge, Placement, Programme
from tests.factories import PlacementFactory
from tests.transitions import check_transition

P = Placement.Status

ACTIONS = {
    "approve": (lambda p, by: services.placement_approve(placement=p, by=by), {P.PENDING},
                P.ACTIVE),
    "reject": (lambda p, by: services.placement_reject(placement=p, by=by, note="材料不全"),
               {P.PENDING}, P.REJECTED),
    "complete": (lambda p, by: services.placement_complete(placement=p, by=by), {P.ACTIVE},
                 P.COMPLETED),
    "terminate": (lambda p, by: services.placement_terminate(placement=p, by=by, note="企业搬迁"),
                  {P.ACTIVE}, P.TERMINATED),
}


@pytest.mark.parametrize("action, status", [(a, s) for a in ACTIONS for s in P.values])
def test_each_transition_is_allowed_only_from_its_statuses(action, status, sam):
    act, allowed, target = ACTIONS[action]
    placement = PlacementFactory(status=status)
    check_transition(placement, lambda: act(placement, sam), allowed=allowed, target=target)


@pytest.mark.parametrize("action", ACTIONS)
def test_only_staff_act_on_placements(action, alice, acme):
    act, allowed, _target = ACTIONS[action]
    placement = PlacementFactory(company=acme, status=next(iter(allowed)))
    with pytest.raises(DomainError):
        act(placement, alice)
    assert Placement.objects.get(pk=placement.pk).status == next(iter(allowed))


def test_it_refuses_a_placement_beyond_the_researchers_capacity(rita, sam):
    PlacementFactory(researcher=rita, status=P.ACTIVE)
    second = PlacementFactory(researcher=rita)
    with pytest.raises(DomainError, match="上限"):
        services.placement_approve(placement=second, by=sam)
    assert Placement.objects.get(pk=second.pk).status == P.PENDING
    rita.capacity = 2
    rita.save()
    services.placement_approve(placement=second, by=sam)
    assert Placement.objects.get(pk=second.pk).approved_by == sam


def test_approving_the_placement_starts_the_awarded_need(acme, sam):
    from tests.factories import ChallengeFactory

    challenge = ChallengeFactory(company=acme, status="awarded")
    placement = PlacementFactory(company=acme, challenge=challenge)
    services.placement_approve(placement=placement, by=sam)
    assert Challenge.objects.get(pk=placement.challenge_id).status == "in_progress"


def test_staff_appoint_a_tech_vp(acme, rita, sam):
    placement = services.placement_create(
        programme=Programme.TECH_VP, company=acme, researcher=rita, by=sam,
        starts_on=datetime.date(2025, 3, 20), ends_on=datetime.date(2027, 3, 19))
    assert (placement.post, placement.status) == ("科技副总", P.PENDING)
