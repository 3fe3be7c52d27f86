"""A domain task crosses a real broker to a real worker and writes to PostgreSQL."""

import json

import pytest
from django.db import transaction

from matching import services
from matching.models import Challenge, Notification
from tests.factories import ChallengeFactory

from .conftest import wait_for

QUEUE = "celery"


def test_a_committed_decision_is_notified_by_the_worker(celery_worker_process, acme, alice, bob,
                                                        sam):
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW)
    with transaction.atomic():
        services.challenge_reject(challenge=challenge, by=sam, note="请补充技术指标")

    def both_members_notified_and_emailed():
        return Notification.objects.filter(
            event_key=f"challenge_reviewed:{challenge.pk}", emailed_at__isnull=False).count() == 2

    wait_for(both_members_notified_and_emailed)
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        alice.email, bob.email}
    assert celery_worker_process.poll() is None


def test_a_rolled_back_transaction_enqueues_nothing(real_services, acme, sam):
    broker = real_services
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.challenge_publish(challenge=challenge, by=sam)
        raise Abort
    assert broker.llen(QUEUE) == 0
    assert Challenge.objects.get(pk=challenge.pk).status == Challenge.Status.UNDER_REVIEW

    # The same call, committed, does put its messages on the queue: the check above can fail.
    services.challenge_publish(challenge=challenge, by=sam)
    queued = sorted(json.loads(m)["headers"]["task"] for m in broker.lrange(QUEUE, 0, -1))
    assert queued == ["matching.tasks.challenge_rescore", "matching.tasks.notify"]
