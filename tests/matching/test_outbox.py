"""Enqueueing is durable: the task outbox commits with the change, the send after
commit may fail without failing the request, and the relay sends it later."""

import datetime as dt
import io

import pytest
from celery.app.task import Task
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from config.celery import app as celery_app
from matching import services
from matching.models import Application, Challenge, Notification, OutboxTask
from matching.services import outbox
from tests.factories import ChallengeFactory


class Broker:
    """Stands in for Redis: refuses publishes while down; once up, a publish runs
    the task at once, as a worker would."""

    def __init__(self):
        self.up = False
        self.publishes = 0

    def apply_async(self, task, args=None, **options):
        self.publishes += 1
        if not self.up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return task.apply(args=args)


@pytest.fixture
def broker(monkeypatch):
    broker = Broker()
    monkeypatch.setattr(Task, "apply_async",
                        lambda task, args=None, **options: broker.apply_async(task, args))
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    outbox._broker.reset()
    try:
        yield broker
    finally:
        celery_app.conf.task_always_eager = eager
        outbox._broker.reset()


def a_minute_later():
    """The relay's next run, once the backoff of the failed sends has passed."""
    OutboxTask.objects.filter(sent_at__isnull=True).update(send_after=timezone.now())


def test_a_committed_change_runs_its_task_after_commit_and_marks_it_sent(
        acme, alice, sam, django_capture_on_commit_callbacks):
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_reject(challenge=challenge, by=sam, note="请补充技术指标")
        assert list(OutboxTask.objects.values_list("task", "args", "sent_at")) == [
            ("notify", ["challenge_reviewed", challenge.pk], None)]
    assert Notification.objects.filter(user=alice,
                                       event_key=f"challenge_reviewed:{challenge.pk}").exists()
    assert OutboxTask.objects.get().sent_at is not None


def test_a_rolled_back_change_leaves_no_task(acme, sam):
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.challenge_publish(challenge=challenge, by=sam)
        assert OutboxTask.objects.count() == 2  # the notification and the rescoring
        raise RuntimeError("rolled back")
    assert not OutboxTask.objects.exists()


def test_an_application_made_while_the_broker_is_down_succeeds_and_is_notified_later(
        broker, acme, alice, rita, django_capture_on_commit_callbacks):
    need = ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED)
    client = APIClient()
    client.force_authenticate(rita.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/applications/", {
            "challenge": need.pk, "proposal": "二维钝化层加原子层沉积封装"}, format="json")
    assert response.status_code == 201, response.content
    # The company's notification and the applicant's rescoring wait for the broker.
    assert sorted(OutboxTask.objects.values_list("task", flat=True)) == [
        "notify", "researcher_rescore"]
    # One send was tried after commit; it failed, so the others did not wait on it.
    assert sum(OutboxTask.objects.values_list("attempts", flat=True)) == 1
    pending = OutboxTask.objects.get(task="notify")
    assert pending.sent_at is None
    assert "Connection refused" in pending.error and pending.send_after > timezone.now()
    assert not Notification.objects.exists()
    # The application is there, once: nobody is told to retry into "already applied".
    assert Application.objects.filter(researcher=rita, challenge=need).count() == 1

    # While the broker is still down the relay gives up at once and keeps the row.
    outbox._broker.reset()
    a_minute_later()
    assert outbox.outbox_relay() == 0
    # One more send is tried (the next ones skip a broker that just refused); all stay.
    assert sum(OutboxTask.objects.values_list("attempts", flat=True)) == 2
    assert not OutboxTask.objects.filter(sent_at__isnull=False).exists()

    # The broker answers again: the relay sends it, and the company is notified.
    broker.up = True
    outbox._broker.reset()  # its cool-down over
    a_minute_later()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_relay() == 2
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()
    assert Notification.objects.filter(
        user=alice, event_key=f"application_received:{response.json()['id']}").exists()


def test_after_one_refused_send_the_next_ones_do_not_wait_on_the_broker(
        broker, acme, sam, django_capture_on_commit_callbacks):
    for _need in range(3):
        challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW)
        with django_capture_on_commit_callbacks(execute=True):
            services.challenge_reject(challenge=challenge, by=sam, note="请补充")
    # Three decisions committed: one publish tried, all three kept for the relay.
    assert broker.publishes == 1
    assert OutboxTask.objects.filter(sent_at__isnull=True).count() == 3


def test_the_relay_leaves_new_rows_to_the_send_after_commit_and_prunes_old_sent_ones(db):
    now = timezone.now()
    fresh = OutboxTask.objects.create(task="stats_snapshot", send_after=now + outbox.GRACE)
    OutboxTask.objects.create(task="stats_snapshot", sent_at=now - dt.timedelta(days=8))  # pruned
    recent = OutboxTask.objects.create(task="stats_snapshot", sent_at=now - dt.timedelta(days=1))
    assert outbox.outbox_relay() == 0
    assert set(OutboxTask.objects.values_list("pk", flat=True)) == {fresh.pk, recent.pk}


def test_a_row_naming_a_task_that_no_longer_exists_is_kept_aside_and_others_are_sent(db):
    gone = OutboxTask.objects.create(task="renamed_since", send_after=timezone.now())
    due = OutboxTask.objects.create(task="stats_snapshot", send_after=timezone.now())
    assert outbox.outbox_relay() == 1
    gone.refresh_from_db(), due.refresh_from_db()
    assert (gone.sent_at, gone.attempts, gone.error) == (None, 1, "unknown task 'renamed_since'")
    assert due.sent_at is not None


def test_an_unknown_task_is_refused_when_enqueued(db):
    with pytest.raises(ValueError, match="unknown task"):
        services._base.after_commit("no_such_task", 1)


def test_the_relay_command_sends_everything_pending_when_asked(db):
    OutboxTask.objects.create(task="stats_snapshot", send_after=timezone.now() + outbox.GRACE)
    out = io.StringIO()
    call_command("outbox_relay", "--all", stdout=out)
    assert out.getvalue().splitlines()[:2] == ["sent 1", "pending 0"]
