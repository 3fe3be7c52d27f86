"""The invariants hold in the database itself, not only in the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from matching import services
from matching.models import Application, Challenge, Cohort, Placement, Programme
from tests.factories import ApplicationFactory, ChallengeFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_application_by_the_same_researcher():
    application = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(challenge=application.challenge,
                                   researcher=application.researcher, proposal="再来一次")
    assert Application.objects.count() == 1


def test_a_negative_reward_is_refused_naming_the_field(acme, alice):
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            services.challenge_create(company=acme, by=alice, title="需求", reward=Decimal("-1"))
        assert "reward" in exc.value.message_dict
    assert not Challenge.objects.exists()


def test_the_database_refuses_a_negative_reward():
    challenge = ChallengeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Challenge.objects.filter(pk=challenge.pk).update(reward=Decimal("-0.01"))
    assert Challenge.objects.get(pk=challenge.pk).reward == Decimal("50")


def test_a_placement_ending_before_it_starts_is_refused_naming_the_field(acme, rita, sam):
    with pytest.raises(ValidationError) as exc:
        services.placement_create(programme=Programme.TECH_VP, company=acme, researcher=rita,
                                  by=sam, starts_on=datetime.date(2025, 3, 1),
                                  ends_on=datetime.date(2025, 2, 1))
    assert "ends_on" in exc.value.message_dict
    assert "结束日期" in exc.value.message_dict["ends_on"][0]
    assert not Placement.objects.exists()


def test_the_database_refuses_an_end_before_the_start():
    placement = PlacementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(ends_on=datetime.date(2024, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(number=9, name="第九期", year=2027,
                              starts_on=datetime.date(2027, 9, 1), ends_on=datetime.date(2027, 9, 1))
    assert not Cohort.objects.exists()
