"""Long jobs whose worker died are taken over; jobs whose worker lives are not."""

import datetime as dt
import os
import socket
import subprocess

from django.utils import timezone

from matching import engine
from matching.models import CohortRun, MatchRun, OutboxTask
from matching.services import runs, scoring
from tests.factories import CohortFactory

HOST = socket.gethostname()


def exited_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def running(model=MatchRun, *, worker, beat_seconds_ago=0, **fields):
    return model.objects.create(
        status="running", worker=worker, attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=beat_seconds_ago), **fields)


def test_a_run_whose_worker_is_alive_is_not_started_twice(db):
    elsewhere = running(worker="worker-2:4242", engine_version=engine.ENGINE_VERSION)
    here = running(worker=f"{HOST}:{os.getppid()}",
                   engine_version=engine.ENGINE_VERSION)
    assert scoring.match_run_claim(run_id=elsewhere.pk) is None
    assert scoring.match_run_claim(run_id=here.pk) is None


def test_a_run_whose_process_exited_on_this_host_is_taken_at_once(db):
    run = running(worker=f"{HOST}:{exited_pid()}", engine_version=engine.ENGINE_VERSION)
    claimed = scoring.match_run_claim(run_id=run.pk)
    assert (claimed.status, claimed.attempts, claimed.worker) == ("running", 2, runs.holder())


def test_a_run_whose_heartbeat_stopped_is_taken_whoever_held_it(db, settings):
    run = running(worker="worker-2:4242", beat_seconds_ago=settings.RUN_STALE_SECONDS + 1,
                  engine_version=engine.ENGINE_VERSION)
    assert scoring.match_run_claim(run_id=run.pk).worker == runs.holder()


def test_beat_queues_abandoned_runs_again_and_the_jobs_are_taken(
        db, settings, rita, django_capture_on_commit_callbacks):
    stale = settings.RUN_STALE_SECONDS + 1
    silent = running(worker="worker-2:4242", beat_seconds_ago=stale,
                     engine_version=engine.ENGINE_VERSION)
    alive = running(worker="worker-3:4242", engine_version=engine.ENGINE_VERSION)
    # Its process on this host exited a moment ago: no need to wait for the heartbeat.
    solver = running(CohortRun, worker=f"{HOST}:{exited_pid()}", cohort=CohortFactory())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert runs.runs_recover() == 2
    assert sorted(OutboxTask.objects.values_list("task", "args")) == [
        ("cohort_solve", [solver.pk]), ("match_rebuild", [silent.pk])]
    assert CohortRun.objects.get(pk=solver.pk).status == "queued"
    assert MatchRun.objects.get(pk=alive.pk).status == "running"

    # The queued messages run (here, in process): each job is taken on its second attempt.
    # (A rebuild's chunks are queued by the job itself: run them too.)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    silent.refresh_from_db(), solver.refresh_from_db()
    assert (silent.status, silent.attempts) == ("completed", 2)
    assert (solver.attempts, solver.worker) == (2, runs.holder())
    assert runs.runs_recover() == 0

