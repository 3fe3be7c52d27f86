"""Durable enqueueing: a transactional outbox in front of Celery.

`after_commit(task, *args)` (services/_base.py) writes an OutboxTask row in the
caller's transaction, so the intent to run the task commits or rolls back with
the change that asked for it. Right after the commit it is sent to the broker;
if the broker does not answer (down, frozen), the request still succeeds and
the row waits for the relay, a beat job every RECOVERY_SECONDS, which sends
what is due with backoff once the broker answers again. Delivery is at least
once (a row sent but not yet marked sent can be sent again): every task is
replay-safe.

With no broker (the embedded demo and the tests) "sending" runs the task in
process, right after the commit, as before.

Hand-written rather than a library: django-celery-outbox, the one maintained
Celery outbox, pulls sentry-sdk, datadog and structlog into the runtime,
replaces the Celery app class and needs a relay daemon of its own, and sends
nothing until that relay polls; the others target other brokers or need
Python 3.12 and PostgreSQL only. This is one table, a send and a relay.
"""

import logging
from contextvars import ContextVar
from datetime import timedelta

from django.core.signals import request_finished, request_started
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from config.resilience import Breaker

from ..models import OutboxTask

logger = logging.getLogger(__name__)

# The relay leaves a new row alone this long: the send right after its commit
# normally marks it sent within milliseconds, and sending it twice is waste.
GRACE = timedelta(seconds=30)
# After a failed send: 2 s, 4 s, 8 s, ... at most 5 min between attempts of a row.
# (A relay run stops at the first failure, so an outage costs one try a run.)
BACKOFF_FIRST, BACKOFF_MAX = timedelta(seconds=2), timedelta(minutes=5)
# Sent rows are kept this long for whoever investigates a lost e-mail, then deleted.
RETENTION = timedelta(days=7)
BATCH = 100

# After a failed send this process stops trying the broker for a few seconds:
# during an outage one request pays the connection timeout, not every one.
_broker = Breaker("the Celery broker", cooldown=10)


def _task(name: str):
    from .. import tasks  # the tasks module imports the services: import late

    return getattr(tasks, name, None)


def outbox_add(task_name: str, args) -> OutboxTask:
    """Record the intent in the current transaction; send it once that commits."""
    if _task(task_name) is None:
        raise ValueError(f"unknown task {task_name!r}")
    entry = OutboxTask.objects.create(task=task_name, args=list(args),
                                      send_after=timezone.now() + GRACE)
    transaction.on_commit(lambda: _send_after_commit(entry))
    return entry


# Jobs of minutes (a full rebuild) that a request asks for. With a broker they
# are only enqueued, like every task; with none (the embedded demo) a task runs
# in process, and these run once the request's response has been sent (WSGI
# closes the response after writing it), so that "rebuild now" answers at once.
# Not in a thread: that would write beside the requests on SQLite's one lock,
# and a test's transaction could not see it.
AFTER_RESPONSE = {"match_rebuild"}
_deferred: ContextVar[list | None] = ContextVar("outbox_deferred", default=None)


def _request_started(**kwargs) -> None:
    _deferred.set([])


def _request_finished(**kwargs) -> None:
    pending, _ = _deferred.get(), _deferred.set(None)
    for entry in pending or ():
        try:
            _send_after_commit(entry)
        except Exception:  # the response is gone; the run records its own failure
            logger.exception("outbox %s: %s failed after the response", entry.pk, entry.task)


def connect_request_signals() -> None:
    """Called once the apps are ready (MatchingConfig.ready), before any request."""
    request_started.connect(_request_started, dispatch_uid="outbox_request_started")
    request_finished.connect(_request_finished, dispatch_uid="outbox_request_finished")


def _send_after_commit(entry: OutboxTask) -> None:
    pending = _deferred.get()
    eager = _task(entry.task).app.conf.task_always_eager
    if pending is not None and entry.task in AFTER_RESPONSE and eager:
        pending.append(entry)
        return
    try:
        outbox_send(entry)
    except DatabaseError as exc:  # sent (or not) but not marked: the relay sends it again
        logger.warning("outbox %s: could not record the send: %s", entry.pk, exc)


def outbox_send(entry: OutboxTask) -> bool:
    """Hand one entry to the broker; True when it was sent (or, with no broker, run).

    A failure is recorded on the row with the time of the next attempt. With no
    broker the task runs here and its error propagates, as Celery's eager mode does.
    """
    task = _task(entry.task)
    if task is None:  # renamed or removed since the row was written
        _failed(entry, f"unknown task {entry.task!r}")
        return False
    eager = task.app.conf.task_always_eager
    if not eager and not _broker.closed:
        # Not tried: no send after commit races the relay for it any more.
        OutboxTask.objects.filter(pk=entry.pk).update(send_after=timezone.now())
        return False
    try:
        task.apply_async(args=entry.args)
    except Exception as exc:
        _failed(entry, f"{type(exc).__name__}: {exc}")
        if eager:
            raise
        _broker.trip(exc)
        return False
    OutboxTask.objects.filter(pk=entry.pk).update(sent_at=timezone.now(), error="",
                                                  attempts=F("attempts") + 1)
    return True


def _failed(entry: OutboxTask, error: str) -> None:
    attempts = entry.attempts + 1
    delay = min(BACKOFF_FIRST * 2 ** (attempts - 1), BACKOFF_MAX)
    OutboxTask.objects.filter(pk=entry.pk).update(
        attempts=attempts, error=error[:500], send_after=timezone.now() + delay)
    entry.attempts = attempts


def outbox_relay() -> int:
    """Send every due entry, oldest first, until none is left or the broker
    fails; delete entries sent before the retention. Returns how many were sent."""
    sent = 0
    while True:
        with transaction.atomic():
            # Locked rows are another relay's: two relays never send the same row.
            due = list(OutboxTask.objects.select_for_update(skip_locked=True)
                       .filter(sent_at__isnull=True, send_after__lte=timezone.now())
                       .order_by("send_after")[:BATCH])
            for entry in due:
                if outbox_send(entry):
                    sent += 1
                elif not _broker.closed:
                    break  # the broker is down: the rest waits for the next run
        if len(due) < BATCH or not _broker.closed:
            break
    if sent:
        logger.info("outbox relay: %d task(s) sent", sent)
    outbox_prune()
    return sent


def outbox_prune(*, before=None) -> int:
    """Delete entries sent before `before` (default: the retention); replay-safe."""
    before = before or timezone.now() - RETENTION
    deleted, _by_model = OutboxTask.objects.filter(sent_at__lt=before).delete()
    return deleted


def outbox_pending():
    """Entries not sent yet, oldest first (for the management command)."""
    return OutboxTask.objects.filter(sent_at__isnull=True).order_by("created_at")
