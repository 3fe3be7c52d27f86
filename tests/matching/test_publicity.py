"""Publicity (公示) of a bounty selection: a window of working days, objections from
anyone signed in, resolved by staff; the agreement is signed only after."""

import datetime

import pytest
from django.utils import timezone

from accounts.errors import DomainError
from matching.models import Objection, Placement, Programme
from matching.services import agreements, publicity
from matching.services.publicity import add_working_days
from tests.factories import ChallengeFactory, PlacementFactory

THURSDAY = datetime.date(2026, 12, 3)


@pytest.mark.parametrize(("start", "days", "last"), [
    (THURSDAY, 5, datetime.date(2026, 12, 9)),            # Thu, Fri, Mon, Tue, Wed
    (datetime.date(2026, 12, 5), 5, datetime.date(2026, 12, 11)),  # from a Saturday
    (THURSDAY, 1, THURSDAY),
])
def test_the_window_counts_working_days_only(start, days, last):
    assert add_working_days(start, days) == last


@pytest.fixture
def today(monkeypatch):
    """Move the service's calendar: `today.set(date)`."""
    class Clock:
        def set(self, day):
            monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    clock = Clock()
    clock.set(THURSDAY)
    return clock


@pytest.fixture
def selection(acme, rita):
    challenge = ChallengeFactory(company=acme, status="awarded")
    return PlacementFactory(company=acme, researcher=rita, programme=Programme.BOUNTY,
                            challenge=challenge, status=Placement.Status.ACTIVE,
                            starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31))


def agreement_of(placement, alice):
    return agreements.agreement_draft(placement=placement, by=alice,
                                      starts_on=placement.starts_on, ends_on=placement.ends_on)


def test_a_selection_is_published_for_five_working_days(selection, vera, today):
    shown = publicity.publicity_open(placement=selection, by=vera)
    assert (shown.opens_on, shown.closes_on) == (THURSDAY, datetime.date(2026, 12, 9))
    assert "杭州电子科技大学" in shown.summary


def test_only_staff_publish_an_approved_bounty_once(selection, alice, vera, today):
    with pytest.raises(DomainError):
        publicity.publicity_open(placement=selection, by=alice)
    publicity.publicity_open(placement=selection, by=vera)
    with pytest.raises(DomainError):
        publicity.publicity_open(placement=selection, by=vera)
    pending = PlacementFactory(programme=Programme.BOUNTY)
    with pytest.raises(DomainError):
        publicity.publicity_open(placement=pending, by=vera)


def test_anyone_signed_in_objects_with_reasons_while_it_is_open(selection, vera, oscar, today):
    shown = publicity.publicity_open(placement=selection, by=vera)
    with pytest.raises(DomainError) as exc:
        publicity.objection_lodge(publicity=shown, by=oscar.user, reasons=" ")
    assert "reasons" in exc.value.message_dict
    publicity.objection_lodge(publicity=shown, by=oscar.user, reasons="成果存在争议")
    today.set(datetime.date(2026, 12, 10))
    with pytest.raises(DomainError):
        publicity.objection_lodge(publicity=shown, by=oscar.user, reasons="逾期提出")


def test_the_agreement_waits_for_the_window_and_every_objection(selection, alice, rita, vera,
                                                                  oscar, today):
    agreement = agreement_of(selection, alice)
    shown = publicity.publicity_open(placement=selection, by=vera)
    objection = publicity.objection_lodge(publicity=shown, by=oscar.user, reasons="成果存在争议")
    with pytest.raises(DomainError):  # the window is open
        agreements.agreement_sign(agreement=agreement, by=alice)
    today.set(datetime.date(2026, 12, 10))
    with pytest.raises(DomainError):  # an objection is unresolved
        agreements.agreement_sign(agreement=agreement, by=alice)
    with pytest.raises(DomainError):  # a resolution says how
        publicity.objection_dismiss(objection=objection, by=vera, note="")
    publicity.objection_dismiss(objection=objection, by=vera, note="经核查，异议不成立")
    agreements.agreement_sign(agreement=agreement, by=alice)
    agreements.agreement_sign(agreement=agreement, by=rita.user)
    agreement.refresh_from_db()
    assert agreement.is_signed


def test_an_upheld_objection_keeps_the_agreement_unsigned(selection, alice, vera, oscar, today):
    agreement = agreement_of(selection, alice)
    shown = publicity.publicity_open(placement=selection, by=vera)
    objection = publicity.objection_lodge(publicity=shown, by=oscar.user, reasons="成果存在争议")
    publicity.objection_uphold(objection=objection, by=vera, note="异议成立")
    assert objection.status == Objection.Status.UPHELD
    today.set(datetime.date(2026, 12, 10))
    with pytest.raises(DomainError):
        agreements.agreement_sign(agreement=agreement, by=alice)
    with pytest.raises(DomainError):  # resolved once
        publicity.objection_dismiss(objection=objection, by=vera, note="改判")


def test_only_staff_resolve_objections(selection, vera, oscar, alice, today):
    shown = publicity.publicity_open(placement=selection, by=vera)
    objection = publicity.objection_lodge(publicity=shown, by=oscar.user, reasons="成果存在争议")
    with pytest.raises(DomainError):
        publicity.objection_dismiss(objection=objection, by=alice, note="无")
