"""Long jobs (full rebuilds, cohort solves) that outlive the worker running them.

A job claims its run, writing which process holds it, and keeps a heartbeat on
the run while it works. A run is taken over when its holder is known to be
gone: its heartbeat is older than RUN_STALE_SECONDS, or its process on this
host has exited. That rule serves both ways work comes back after a crash:

- the message itself comes back (a killed child's at once; a killed main
  process's after the broker's visibility timeout): a holder still alive keeps
  the run, so a message re-delivered while its job runs is dropped, not run twice;
- no message comes back soon enough: beat's `runs_recover` finds runs whose
  holder is gone, puts them back to queued and enqueues them again.
"""

import logging
import os
import socket
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from accounts.history import acting

from ..models import CohortRun, MatchRun
from ._base import after_commit

logger = logging.getLogger(__name__)

RUNNING = "running"  # MatchRun.Status.RUNNING == CohortRun.Status.RUNNING
QUEUED = "queued"

# Each kind of run and the task that works on it.
JOBS = ((MatchRun, "match_rebuild"), (CohortRun, "cohort_solve"))


def holder() -> str:
    """This process, as written on the runs it claims ("host:pid")."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.RUN_STALE_SECONDS)


def _process_exited(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # A killed child stays a zombie until its parent reaps it: gone all the same.
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True
    except OSError:  # no /proc here: ask the kernel whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def abandoned(*, worker: str, heartbeat_at) -> bool:
    """Whether a running run's holder is gone (see the module's docstring)."""
    if heartbeat_at is None or heartbeat_at < _stale_before():
        return True
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        # Another machine's process, or no one process (a rebuild's chunks spread
        # over workers): only its heartbeat tells.
        return False
    # This very process holds it only if an earlier attempt here ended without
    # finishing it (a prefork child runs one task at a time).
    return int(pid) == os.getpid() or _process_exited(int(pid))


@transaction.atomic
def run_claim(model: type[models.Model], run_id: int, *, statuses: set[str], **changes) -> bool:
    """Take the run for this process if its status is one of `statuses`, or it is
    running under a holder that is gone; False if someone else has it.

    Under the row's lock, so of two processes claiming at once one wins; the claim
    is on record as the system's (the holder and heartbeat are not history)."""
    run = model.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        return False
    if run.status == RUNNING:
        if not abandoned(worker=run.worker, heartbeat_at=run.heartbeat_at):
            return False
    elif run.status not in statuses:
        return False
    changes |= {"status": RUNNING, "worker": holder(), "heartbeat_at": timezone.now(),
                "attempts": run.attempts + 1}
    for name, value in changes.items():
        setattr(run, name, value)
    acting(run, None).save(update_fields=list(changes))
    return True


@contextmanager
def heartbeat(model: type[models.Model], run_id: int, **held):
    """Refresh the run's heartbeat from a thread while the body runs, as long as
    this process holds it (or, with `held`, as long as those fields match: the
    chunks of a rebuild spread over workers beat for their attempt of the run).

    The thread writes on its own connection; inside a transaction (a test's)
    the run's row is locked by that transaction, so no heartbeat is kept there,
    nor on SQLite (the embedded demo runs jobs in its one process, and a second
    writer would only wait for the database lock).
    """
    if connection.in_atomic_block or connection.vendor == "sqlite":
        yield
        return
    me, stop = holder(), threading.Event()
    held = held or {"worker": me}

    def beat():
        try:
            while not stop.wait(settings.RUN_STALE_SECONDS / 4):
                try:
                    model.objects.filter(pk=run_id, status=RUNNING, **held).update(
                        heartbeat_at=timezone.now())
                except DatabaseError as exc:  # a missed beat; the next may pass
                    logger.warning("heartbeat of %s %s failed: %s", model.__name__, run_id, exc)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=beat, name=f"heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def runs_recover() -> int:
    """Queue again every running job whose holder is gone; returns how many.

    On the holder's own host that is known at once (its process exited), on
    another host once its heartbeat is RUN_STALE_SECONDS old.
    """
    queued = 0
    for model, task in JOBS:
        for run in model.objects.filter(status=RUNNING).values("pk", "worker", "heartbeat_at"):
            if not abandoned(worker=run["worker"], heartbeat_at=run["heartbeat_at"]):
                continue
            with transaction.atomic():
                # Only if nobody claimed it meanwhile: re-read under the row's lock.
                locked = model.objects.select_for_update().filter(
                    status=RUNNING, **run).first()
                if locked is None:
                    continue
                locked.status, locked.heartbeat_at = QUEUED, timezone.now()
                acting(locked, None).save(update_fields=["status", "heartbeat_at"])
                logger.warning("%s %s: its worker %s is gone; queued again",
                               model.__name__, run["pk"], run["worker"])
                after_commit(task, run["pk"])
                queued += 1
    return queued
